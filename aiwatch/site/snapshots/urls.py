from django.urls import path

from aiwatch.site.snapshots import views

app_name = "data"

urlpatterns = [
    path("", views.snapshot_list, name="snapshot-list"),
    path("latest/", views.latest, name="latest"),
    path("latest/<str:name>", views.latest, name="latest-file"),
    path("v<int:version>/", views.snapshot_detail, name="snapshot-detail"),
    path("v<int:version>/<str:name>", views.snapshot_file, name="snapshot-file"),
]
