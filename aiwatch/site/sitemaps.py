"""The sitemap: the list pages, then every published row of each kind that asks to be listed."""

from functools import partial

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from aiwatch.core import registry


class KindSitemap(Sitemap):
    """Every published row of one kind; drafts are never listed."""

    def __init__(self, kind: registry.ContentKind):
        self.kind = kind
        self.priority = kind.sitemap_priority

    def items(self):
        return self.kind.model.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class PageSitemap(Sitemap):
    priority = 0.9

    def items(self):
        return [
            "home",
            "articles:article-list",
            "entities:entity-list",
            "entities:event-list",
            "entities:claim-list",
        ]

    def location(self, item):
        return reverse(item)


def sitemaps() -> dict:
    """The sections, built from the registry once the apps have registered their kinds.

    Callables, not instances: Django's view makes a fresh Sitemap per request.
    """
    return {
        "pages": PageSitemap,
        **{
            str(kind.model._meta.verbose_name_plural): partial(KindSitemap, kind)
            for kind in registry.kinds()
            if kind.sitemap_priority is not None
        },
    }
