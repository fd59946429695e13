from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "entities"
    verbose_name = "Knowledge graph"

    def ready(self):
        from entities import kinds, signals

        kinds.register()
        signals.connect()
