from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView
from django_filters.views import FilterView

from aiwatch.mixins import PublishedMixin
from aiwatch.publishing import Status
from articles.filters import ArticleFilter
from articles.models import Article, Source


class ArticleListView(PublishedMixin, FilterView):
    model = Article
    filterset_class = ArticleFilter
    select_related = ("source",)
    template_name = "articles/article_list.html"

    def get_queryset(self):
        return super().get_queryset().newest_first()


class ArticleDetailView(PublishedMixin, DetailView):
    model = Article
    select_related = ("source",)
    template_name = "articles/article_detail.html"

    def get_queryset(self):
        # The graph app links to articles, not the other way round, so the
        # related models are reached through the reverse relations, not imports.
        mention, claim, event = (
            Article._meta.get_field(name).related_model for name in ("mentions", "claims", "events")
        )
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "mentions",
                    queryset=mention.objects.filter(entity__status=Status.PUBLISHED)
                    .select_related("entity")
                    .order_by("entity__name"),
                ),
                Prefetch("claims", queryset=claim.objects.published().select_related("claimant")),
                Prefetch("events", queryset=event.objects.published().chronological()),
            )
        )


def article_raw(request, slug):
    """The capture exactly as imported, for readers who want to check the cleaning."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    response = HttpResponse(article.raw, content_type="text/plain; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response


class SourceDetailView(DetailView):
    model = Source
    template_name = "articles/source_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["articles"] = self.object.articles.published().newest_first()
        return context
