from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "aiwatch.core"
    # The label the base had before it became a package of its own: its
    # tables, migrations, permissions and history keep their names.
    label = "aiwatch"
    verbose_name = "aiwatch"
