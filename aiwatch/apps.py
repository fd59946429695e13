from django.apps import AppConfig


class AiwatchConfig(AppConfig):
    name = "aiwatch"
    verbose_name = "aiwatch"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import pre_save

        from aiwatch import history
        from aiwatch.search import indexing
        from aiwatch.slugs import remember_old_slug

        history.register()
        indexing.connect()
        for label in SLUGGED:
            pre_save.connect(remember_old_slug, sender=apps.get_model(label), dispatch_uid=label)


# Models whose public URL carries a slug: renaming one must not break shared links.
SLUGGED = (
    "articles.Source",
    "articles.Article",
    "entities.Entity",
    "entities.Event",
    "entities.Claim",
)
