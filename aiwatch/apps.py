from django.apps import AppConfig


class AiwatchConfig(AppConfig):
    name = "aiwatch"
    verbose_name = "aiwatch"
