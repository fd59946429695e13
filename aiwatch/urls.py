"""The project's URLs: reader pages, search, feeds, sitemap, health checks, admin, then each app."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from aiwatch.api.endpoints import api
from aiwatch.core import health
from aiwatch.search import views as search_views
from aiwatch.site import feeds, views
from aiwatch.site.sitemaps import sitemaps

feed_patterns = (
    [
        path("articles/", feeds.LatestArticles(), name="articles"),
        path("events/", feeds.LatestEvents(), name="events"),
        path("entities/<slug:slug>/", feeds.EntityArticles(), name="entity"),
        path("search/", feeds.SearchResults(), name="search"),
    ],
    "feeds",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search_views.search, name="search"),
    path("coverage/", views.coverage, name="coverage"),
    path("network/", views.network, name="network"),
    path("feeds/", include(feed_patterns)),
    path("data/", include("aiwatch.site.snapshots.urls")),
    path("api/v1/", api.urls),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps()}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    path("", include("entities.urls")),
]
