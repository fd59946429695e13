from django.apps import AppConfig


class AiwatchConfig(AppConfig):
    name = "aiwatch"
    verbose_name = "aiwatch"

    def ready(self):
        from aiwatch.search import indexing

        indexing.connect()
