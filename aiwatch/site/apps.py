from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "aiwatch.site"
    label = "site"
    verbose_name = "Reader pages"
