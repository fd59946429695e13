from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and outlets"

    def ready(self):
        from articles import kinds

        kinds.register()
