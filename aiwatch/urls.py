from django.contrib import admin
from django.urls import include, path

from aiwatch import views
from aiwatch.search import views as search_views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search_views.search, name="search"),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    path("", include("entities.urls")),
]
