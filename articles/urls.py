from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("articles/", views.ArticleListView.as_view(), name="article-list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("articles/<slug:slug>/raw/", views.article_raw, name="article-raw"),
    path("articles/<slug:slug>/original/", views.article_original, name="article-original"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
]
