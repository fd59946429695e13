import axes.apps
from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aiwatch.core"
    # The label the base had before it became a package of its own: its
    # tables, migrations, permissions and history keep their names.
    label = "aiwatch"
    verbose_name = "aiwatch"

    def ready(self):
        from aiwatch.core import page_cache

        # Every edit of the apps' content drops the readers' kept pages, on commit.
        page_cache.connect()


class SignInConfig(axes.apps.AppConfig):
    """django-axes, named in the admin for what it holds: failed sign-ins and lockouts."""

    verbose_name = "Sign-in"
    # Named in INSTALLED_APPS by its path; not a candidate for "aiwatch.core" itself,
    # which would otherwise find two configs here and fall back to the wrong label.
    default = False
