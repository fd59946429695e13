from django.contrib import admin
from django.urls import include, path

from aiwatch import views

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    path("", include("entities.urls")),
]
