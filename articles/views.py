from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.generic import DetailView
from django_filters.views import FilterView

from aiwatch.core.views import PublishedMixin
from articles.citation import Citable, all_formats
from articles.filters import ArticleFilter, RepublicationsFilterSet
from articles.models import Article, Original, Source
from articles.reader import Link, Quote, annotate, is_heading


class ArticleListView(PublishedMixin, FilterView):
    model = Article
    filterset_class = ArticleFilter
    select_related = ("source",)
    template_name = "articles/article_list.html"

    def get_queryset(self):
        return super().get_queryset().with_republication_flag().newest_first()


# How the "About this capture" block names the fields the importer found.
PROVENANCE_LABELS = {
    "title": "Title",
    "published_on": "Date published",
    "modified_on": "Date updated",
    "author": "Author",
    "language": "Language",
    "url": "Address",
    "site_name": "Outlet",
}


def provenance_rows(article: Article) -> list[tuple[str, str]]:
    """(what, where the importer found it), in the order the block lists them.

    The encoding is left out: the block shows it beside the encoding itself.
    """
    found = article.provenance or {}
    known = [(PROVENANCE_LABELS[name], found[name]) for name in PROVENANCE_LABELS if name in found]
    other = [
        (name.replace("_", " ").capitalize(), where)
        for name, where in found.items()
        if name not in PROVENANCE_LABELS and name != "encoding"
    ]
    return [(label, str(where)) for label, where in known + other if where]


class ArticleDetailView(PublishedMixin, DetailView):
    model = Article
    # The original file's headers and name, never its bytes (deferred below).
    select_related = ("source", "original")
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
            .defer("original__content")
            .with_republications()
            .prefetch_related(
                Prefetch(
                    "mentions",
                    queryset=mention.objects.accepted()
                    .of_published_entities()
                    .prefetch_related("entity__aliases")
                    .order_by("entity__name"),
                ),
                Prefetch("claims", queryset=claim.objects.published().select_related("claimant")),
                Prefetch("events", queryset=event.objects.published().chronological()),
            )
        )

    def get_context_data(self, **kwargs):
        article = self.object
        links = [
            Link(name, mention.entity.get_absolute_url(), mention.entity.name)
            for mention in article.mentions.all()
            for name in [mention.entity.name, *(a.name for a in mention.entity.aliases.all())]
        ]
        quotes = [
            Quote(claim.quote, f"claim-{claim.pk}", claim.get_absolute_url(), claim.statement)
            for claim in article.claims.all()
        ]
        paragraphs = [(is_heading(p), annotate(p, links, quotes)) for p in article.paragraphs]
        citation = Citable(
            key=f"aiwatch-{article.slug}",
            title=article.title,
            url=article.original_url or self.request.build_absolute_uri(article.get_absolute_url()),
            author=article.author,
            container=article.source.name if article.source else "",
            issued=article.published_on,
        )
        return super().get_context_data(
            paragraphs=paragraphs,
            citations=all_formats(citation),
            original=article.original if article.has_original else None,
            provenance=provenance_rows(article),
            encoding_found=str((article.provenance or {}).get("encoding", "")),
            **kwargs,
        )


def original_response(original: Original) -> HttpResponse:
    """The original file as a download: never rendered on aiwatch's own origin."""
    response = HttpResponse(bytes(original.content), content_type=original.media_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=original.download_name
    )
    # A saved page is someone else's HTML and scripts: sandboxed even if a browser opened it.
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Robots-Tag"] = "noindex"
    return response


def article_original(request, slug):
    """The file a published article was imported from, byte for byte."""
    original = get_object_or_404(
        Original.objects.select_related("article"),
        article__slug=slug,
        article__in=Article.objects.published(),
    )
    return original_response(original)


def article_raw(request, slug):
    """The capture exactly as imported, for readers who want to check the cleaning."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    response = HttpResponse(article.raw, content_type="text/plain; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response


class SourceDetailView(DetailView):
    """An outlet and its published articles; ?republications=exclude leaves out its copies."""

    model = Source
    template_name = "articles/source_detail.html"

    def get_context_data(self, **kwargs):
        published = self.object.articles.published()
        filterset = RepublicationsFilterSet(
            self.request.GET or None,
            queryset=published.with_republication_flag().newest_first(),
        )
        return super().get_context_data(
            filter=filterset,
            articles=filterset.qs,
            counts=published.counted(),
            excluding=filterset.excludes_republications,
            **kwargs,
        )
