"""Atom feeds: the latest articles, the latest events, one entity's coverage, any search.

A feed reader shows a summary (type="html") with no Content-Security-Policy
of ours to fall back on, so every summary is HTML built here: markdown
rendered and sanitized as on the pages (aiwatch.core.markup), or plain text
escaped. The markdown is rendered from its source, not read from the stored
`*_html`, which a write past save() could have filled with anything. Titles
are Atom's default type="text": plain text, never parsed as HTML.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from aiwatch.core.markup import render_markdown
from aiwatch.core.outputs import xml_safe
from aiwatch.search import engine
from aiwatch.search.models import SearchEntry
from aiwatch.search.query import to_search_query
from aiwatch.search.text import clean, parse
from articles.models import Article
from entities.models import Entity, Event

FEED_SIZE = 30


def _xml_safe(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(v) for v in value)
    return value


class XMLSafeAtom1Feed(Atom1Feed):
    """Atom without the characters XML 1.0 cannot carry.

    Django refuses to write a control character (a 500 for the whole feed),
    and one pasted into any title or summary would otherwise take down every
    feed that lists it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_xml_safe, args), **{k: _xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_xml_safe, args), **{k: _xml_safe(v) for k, v in kwargs.items()})


class AtomFeed(Feed):
    feed_type = XMLSafeAtom1Feed
    author_name = "aiwatch"


class LatestArticles(AtomFeed):
    title = "aiwatch: latest articles"
    subtitle = "Sources on OpenAI's China block and the response."

    def link(self):
        return reverse("articles:article-list")

    def items(self):
        return Article.objects.published().select_related("source").newest_first()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        if item.summary:
            return render_markdown(item.summary)
        return escape(" ".join(item.body.split()[:60])) + " …"

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class LatestEvents(AtomFeed):
    title = "aiwatch: latest events"
    subtitle = "The timeline of OpenAI's China block, newest first."

    def link(self):
        return reverse("entities:event-list")

    def items(self):
        return Event.objects.published().order_by("-date", "title")[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.date_display}: {item.title}"

    def item_description(self, item):
        return render_markdown(item.description)

    def item_updateddate(self, item):
        return item.updated_at


class EntityArticles(LatestArticles):
    """Articles that mention one entity."""

    def get_object(self, request, slug):
        return get_object_or_404(Entity.objects.published(), slug=slug)

    def title(self, obj):
        return f"aiwatch: {obj.name}"

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return (
            Article.objects.published()
            .mentioning(obj)
            .select_related("source")
            .newest_first()[:FEED_SIZE]
        )


class SearchResults(AtomFeed):
    """The newest results of a search: subscribe to a query."""

    def get_object(self, request):
        # XML cannot carry control characters; clean() drops them, as the search page does.
        return clean(request.GET.get("q", ""))[0]

    def title(self, obj):
        return f"aiwatch: search for “{obj[:80]}”"

    def link(self, obj):
        return reverse("search") + "?" + self.request_query

    def __call__(self, request, *args, **kwargs):
        self.request_query = request.GET.urlencode()
        return super().__call__(request, *args, **kwargs)

    def items(self, obj):
        parsed = parse(obj)
        query = to_search_query(parsed)
        if query is None:
            return []
        queryset = SearchEntry.objects.filter(vector=query)
        return engine.search(
            queryset, query, parsed, sort="newest", page_size=FEED_SIZE, count=False
        ).hits

    def item_title(self, item):
        return f"{item.kind_label}: {item.title_text}"

    def item_description(self, item):
        # Safe as it is: escaped text, and no <mark> but the search's own.
        return item.snippet

    def item_link(self, item):
        return item.url
