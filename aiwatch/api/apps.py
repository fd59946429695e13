from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "aiwatch.api"
    label = "api"
    verbose_name = "Read API"
