from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article
from entities.models import Claim, Entity, Event


class PublishedSitemap(Sitemap):
    """Every published row of one model; drafts are never listed."""

    model = None

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class ArticleSitemap(PublishedSitemap):
    model = Article
    priority = 0.8


class EntitySitemap(PublishedSitemap):
    model = Entity
    priority = 0.7


class EventSitemap(PublishedSitemap):
    model = Event
    priority = 0.6


class ClaimSitemap(PublishedSitemap):
    model = Claim
    priority = 0.6


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


SITEMAPS = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "entities": EntitySitemap,
    "events": EventSitemap,
    "claims": ClaimSitemap,
}
