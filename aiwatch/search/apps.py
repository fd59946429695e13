from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "aiwatch.search"
    label = "search"
    verbose_name = "Search"

    def ready(self):
        from aiwatch.search import checks, indexing

        checks.register()
        indexing.connect()
