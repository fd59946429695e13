"""/api/v1/: articles, entities, events, claims and search, read-only, as JSON.

django-ninja builds the OpenAPI 3.1 schema (/api/v1/openapi.json) and the docs
(/api/v1/docs, Swagger UI from ninja's own static files, no CDN) from these
functions and aiwatch.api.schemas. What the API adds to the pages' JSON twins:

- **Cursor pagination**, by id: a list is in the order rows were created, so a
  harvester that follows `next` to the end has everything, and one that comes
  back later with its last cursor gets what was created since (not a draft made
  before it and published since: that one needs a new walk).
- **ETags** and 304s, from Django's ConditionalGetMiddleware, and the readers'
  page cache; **CORS** for GET (django-cors-headers, settings); a **rate limit**
  per client address (AIWATCH_API_RATE).
- **Errors as JSON**: 404 for an unknown slug, in the path or in a filter; 422,
  naming each parameter that did not validate; 429 with Retry-After.

Only published rows, and links whose both ends are published.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI, Query
from ninja.errors import HttpError, ValidationError
from ninja.throttling import AnonRateThrottle

from aiwatch.api import schemas as s
from aiwatch.core.page_cache import CACHE_ERRORS
from aiwatch.search import engine
from aiwatch.search.filters import SearchFilter
from aiwatch.search.models import SearchEntry
from aiwatch.search.text import parse
from articles.filters import ArticleFilter
from articles.models import Article
from entities import lineage
from entities.filters import ClaimFilter, EntityFilter, EventFilter
from entities.models import (
    Claim,
    ClaimAppearance,
    ClaimRelation,
    Entity,
    Event,
    Mention,
    Participation,
)

DESCRIPTION = """
The aiwatch knowledge base, read-only: OpenAI cutting China and Hong Kong off from
its API in July 2024, and the response. Every list is paginated by cursor: follow
`next` until it is null. Filters take the same names and values as the site's pages.
Anonymous, rate-limited per address; CORS is open for GET. The whole dataset, as
files, is at /data/.
"""

# Swagger UI sets inline styles: its page alone may have them. Scripts stay our own.
DOCS_CSP = {
    **settings.SECURE_CSP,
    "style-src": [*settings.SECURE_CSP["style-src"], CSP.UNSAFE_INLINE],
}
ERRORS = {404: s.Problem, 422: s.Invalid, 429: s.Problem}


class RateLimit(AnonRateThrottle):
    """ninja's limit per address, kept in the cache; while the cache fails, nobody is limited.

    A failing Redis must not take the API down with it: the pages go on without the
    cache (aiwatch.core.page_cache), and so does the API.
    """

    def allow_request(self, request) -> bool:
        try:
            return super().allow_request(request)
        except CACHE_ERRORS:
            return True


api = NinjaAPI(
    title="aiwatch API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=csp_override(DOCS_CSP),
    throttle=[RateLimit(settings.AIWATCH_API_RATE)],
)


# --- Shapes ----------------------------------------------------------------------


def _api_url(request, name: str, slug: str) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", kwargs={"slug": slug}))


def _ref(request, obj, name: str) -> dict:
    label = getattr(obj, "name", None) or getattr(obj, "title", None) or obj.statement
    return {
        "slug": obj.slug,
        "name": label,
        "url": request.build_absolute_uri(obj.get_absolute_url()),
        "api_url": _api_url(request, name, obj.slug),
    }


def _article(request, a) -> dict:
    return {
        "slug": a.slug,
        "url": request.build_absolute_uri(a.get_absolute_url()),
        "api_url": _api_url(request, "article", a.slug),
        "title": a.title,
        "outlet": (
            {
                "slug": a.source.slug,
                "name": a.source.name,
                "url": request.build_absolute_uri(a.source.get_absolute_url()),
                "api_url": request.build_absolute_uri(reverse("api:article-list"))
                + "?"
                + urlencode({"source": a.source.slug}),
            }
            if a.source
            else None
        ),
        "author": a.author,
        "published_on": a.published_on,
        "modified_on": a.modified_on,
        "language": a.language,
        "role": a.role or None,
        "original_url": a.original_url or None,
        "summary": a.summary,
    }


def _entity(request, e) -> dict:
    return {
        "slug": e.slug,
        "url": request.build_absolute_uri(e.get_absolute_url()),
        "api_url": _api_url(request, "entity", e.slug),
        "kind": e.kind,
        "name": e.name,
        "wikidata_id": e.wikidata_id or None,
        "aliases": [a.name for a in e.aliases.all()],
    }


def _event(request, e) -> dict:
    return {
        "slug": e.slug,
        "url": request.build_absolute_uri(e.get_absolute_url()),
        "api_url": _api_url(request, "event", e.slug),
        "title": e.title,
        "date": e.date,
        "date_precision": e.date_precision,
        "end_date": e.end_date,
    }


def _claim(request, c) -> dict:
    article_url = c.article.get_absolute_url()
    return {
        "slug": c.slug,
        "url": request.build_absolute_uri(c.get_absolute_url()),
        "api_url": _api_url(request, "claim", c.slug),
        "statement": c.statement,
        "claimant": _ref(request, c.claimant, "entity"),
        "article": _ref(request, c.article, "article"),
        "quote": c.quote,
        "quote_url": request.build_absolute_uri(f"{article_url}#claim-{c.pk}"),
        "kind": c.kind,
        "verification": c.verification,
        "standing": c.standing,
        "deprecation": c.deprecation or None,
        "standing_reason": c.standing_reason,
    }


# --- Lists -----------------------------------------------------------------------


def _filtered(filterset_class, queryset, filters, *, slugs: dict[str, str], skip=()):
    """`queryset` through the page's filter set; 404 for a slug that names nothing published."""
    return _bound(
        filterset_class, queryset, filters, exclude={"cursor", "limit", *skip}, slugs=slugs
    ).qs


def _bound(filterset_class, queryset, filters, *, exclude, slugs: dict[str, str]):
    """The page's filter set, given the parameters as the page's form would receive them.

    404 for a slug that names nothing published; 422 for anything else it refuses.
    """
    data = {}
    for name, value in filters.dict(exclude=exclude).items():
        if value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = str(value)
    filterset = filterset_class(data, queryset=queryset)
    if not filterset.is_valid():
        for name, what in slugs.items():
            if name in filterset.errors:
                raise HttpError(404, f"No published {what} has the slug {data[name]!r}.")
        raise ValidationError(
            [
                {"loc": ["query", name], "msg": " ".join(messages), "type": "invalid"}
                for name, messages in filterset.errors.items()
            ]
        )
    return filterset


def _page(request, queryset, filters, shape) -> dict:
    """One page of `queryset` after the cursor, smallest id first, and the way to the next."""
    after = int(filters.cursor) if filters.cursor else 0
    rows = list(queryset.filter(pk__gt=after).order_by("pk")[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    cursor = str(rows[-1].pk) if more else None
    following = None
    if cursor:
        params = [(k, v) for k, v in request.GET.items() if k != "cursor"]
        following = request.build_absolute_uri(
            request.path + "?" + urlencode([*params, ("cursor", cursor)])
        )
    return {
        "next_cursor": cursor,
        "next": following,
        "results": [shape(request, row) for row in rows],
    }


@api.get(
    "/articles",
    response={200: s.ArticlePage, **ERRORS},
    url_name="article-list",
    tags=["articles"],
    summary="Published articles, oldest entry first",
)
def article_list(request, filters: Query[s.ArticleFilters]):
    """Articles with their outlet: two queries a page."""
    queryset = _filtered(
        ArticleFilter,
        Article.objects.published().select_related("source"),
        filters,
        slugs={"source": "outlet"},
        skip={"year"},  # the page offers only the years it has; here any year may be asked
    )
    if filters.year:
        queryset = queryset.filter(published_on__year=filters.year)
    return _page(request, queryset, filters, _article)


@api.get(
    "/entities",
    response={200: s.EntityPage, **ERRORS},
    url_name="entity-list",
    tags=["entities"],
    summary="Published entities: companies, organizations, people, governments, places, models",
)
def entity_list(request, filters: Query[s.EntityFilters]):
    queryset = _filtered(
        EntityFilter, Entity.objects.published().prefetch_related("aliases"), filters, slugs={}
    )
    return _page(request, queryset, filters, _entity)


@api.get(
    "/events",
    response={200: s.EventPage, **ERRORS},
    url_name="event-list",
    tags=["events"],
    summary="Published events of the timeline",
)
def event_list(request, filters: Query[s.EventFilters]):
    queryset = _filtered(
        EventFilter, Event.objects.published(), filters, slugs={"entity": "entity"}
    )
    return _page(request, queryset, filters, _event)


@api.get(
    "/claims",
    response={200: s.ClaimPage, **ERRORS},
    url_name="claim-list",
    tags=["claims"],
    summary="Published claims; deprecated ones only when asked",
)
def claim_list(request, filters: Query[s.ClaimFilters]):
    queryset = _filtered(
        ClaimFilter,
        Claim.objects.evidenced().select_related("claimant", "article"),
        filters,
        slugs={"entity": "entity"},
    )
    return _page(request, queryset, filters, _claim)


# --- One of each -----------------------------------------------------------------


def _one(queryset, slug: str, what: str):
    found = queryset.filter(slug=slug).first()
    if found is None:
        raise HttpError(404, f"No published {what} has the slug {slug!r}.")
    return found


@api.get(
    "/articles/{slug}",
    response={200: s.ArticleDetail, **ERRORS},
    url_name="article",
    tags=["articles"],
    summary="An article, its text and its links",
)
def article_detail(request, slug: str):
    """Six queries: the article, its mentions, events, claims and both kinds of copies."""
    article = _one(
        Article.objects.published()
        .select_related("source")
        .with_republications()
        .prefetch_related(
            Prefetch(
                "mentions",
                queryset=Mention.objects.accepted()
                .of_published_entities()
                .order_by("entity__name"),
                to_attr="shown_mentions",
            ),
            Prefetch(
                "events", queryset=Event.objects.published().chronological(), to_attr="shown_events"
            ),
            Prefetch(
                "claims",
                queryset=Claim.objects.evidenced().order_by("pk"),
                to_attr="shown_claims",
            ),
        ),
        slug,
        "article",
    )
    copies = [
        {
            "article": _ref(request, link.original, "article"),
            "similarity": link.similarity,
            "confirmed": link.status == "confirmed",
        }
        for link in article.republishes
    ]
    copied_as = [
        {
            "article": _ref(request, link.copy, "article"),
            "similarity": link.similarity,
            "confirmed": link.status == "confirmed",
        }
        for link in article.republished_by
    ]
    return {
        **_article(request, article),
        "body": article.body,
        "entities": [_ref(request, m.entity, "entity") for m in article.shown_mentions],
        "events": [_ref(request, e, "event") for e in article.shown_events],
        "claims": [_ref(request, c, "claim") for c in article.shown_claims],
        "republishes": copies,
        "republished_as": copied_as,
    }


@api.get(
    "/entities/{slug}",
    response={200: s.EntityDetail, **ERRORS},
    url_name="entity",
    tags=["entities"],
    summary="An entity, its events, claims and articles",
)
def entity_detail(request, slug: str):
    entity = _one(Entity.objects.published().prefetch_related("aliases"), slug, "entity")
    claims = Claim.objects.evidenced().select_related("claimant", "article").order_by("pk")
    return {
        **_entity(request, entity),
        "description": entity.description,
        "events": [
            {"event": _ref(request, p.event, "event"), "role": p.role}
            for p in Participation.objects.in_published_events()
            .filter(entity=entity)
            .order_by("event__date", "event__pk")
        ],
        "claims_made": [_ref(request, c, "claim") for c in claims.made_by(entity)],
        "claims_about": [_ref(request, c, "claim") for c in claims.filter(about_entities=entity)],
        "articles": [
            _ref(request, a, "article")
            for a in Article.objects.published().mentioning(entity).newest_first()
        ],
    }


@api.get(
    "/events/{slug}",
    response={200: s.EventDetail, **ERRORS},
    url_name="event",
    tags=["events"],
    summary="An event, its participants, sources and claims",
)
def event_detail(request, slug: str):
    event = _one(
        Event.objects.published().prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.of_published_entities().order_by("entity__name"),
            ),
            Prefetch("sources", queryset=Article.objects.published().order_by("pk")),
            Prefetch("claims", queryset=Claim.objects.evidenced().order_by("pk")),
        ),
        slug,
        "event",
    )
    return {
        **_event(request, event),
        "description": event.description,
        "participants": [
            {"entity": _ref(request, p.entity, "entity"), "role": p.role}
            for p in event.participations.all()
        ],
        "sources": [_ref(request, a, "article") for a in event.sources.all()],
        "claims": [_ref(request, c, "claim") for c in event.claims.all()],
    }


@api.get(
    "/claims/{slug}",
    response={200: s.ClaimDetail, **ERRORS},
    url_name="claim",
    tags=["claims"],
    summary="A claim, its evidence, standing and relations",
)
def claim_detail(request, slug: str):
    published = Claim.objects.evidenced()
    claim = _one(
        published.select_related("claimant", "article").prefetch_related(
            Prefetch("about_entities", queryset=Entity.objects.published().order_by("name")),
            Prefetch("about_events", queryset=Event.objects.published().chronological()),
            Prefetch(
                "relations_out",
                queryset=ClaimRelation.objects.filter(target__in=published).select_related(
                    "target"
                ),
            ),
            Prefetch(
                "relations_in",
                queryset=ClaimRelation.objects.filter(source__in=published).select_related(
                    "source"
                ),
            ),
            Prefetch("appearances", queryset=ClaimAppearance.objects.in_published_articles()),
        ),
        slug,
        "claim",
    )
    relations = [
        {"kind": r.kind, "direction": "outgoing", "claim": _ref(request, r.target, "claim")}
        for r in claim.relations_out.all()
    ] + [
        {"kind": r.kind, "direction": "incoming", "claim": _ref(request, r.source, "claim")}
        for r in claim.relations_in.all()
    ]
    return {
        **_claim(request, claim),
        "verification_reason": claim.verification_reason,
        "about_entities": [_ref(request, e, "entity") for e in claim.about_entities.all()],
        "about_events": [_ref(request, e, "event") for e in claim.about_events.all()],
        "relations": relations,
        "lineage": [
            {
                "article": _ref(request, a.article, "article"),
                "date": a.date,
                "language": a.language,
                "quote": a.quote,
                "original": a.original,
            }
            for a in lineage.appearances(claim)
        ],
    }


# --- Search ----------------------------------------------------------------------


@api.get(
    "/search",
    response={200: s.SearchResults, **ERRORS},
    url_name="search",
    tags=["search"],
    summary="Search everything, with the search page's filters and facets",
)
def search(request, filters: Query[s.SearchFilters]):
    """The search page's search: the same engine, parameters, ranking and counts."""
    filterset = _bound(
        SearchFilter,
        SearchEntry.objects.all(),
        filters,
        exclude={"q", "sort", "page"},
        slugs={"entity": "entity", "outlet": "outlet"},
    )
    parsed = parse(filters.q)
    # The deprecated-claims switch widens a search rather than narrowing it: not a filter.
    active = {k: v for k, v in filterset.data.items() if k != "deprecated"}
    if parsed.is_empty and not active:
        return {
            "query": filters.q,
            "total": 0,
            "total_is_capped": False,
            "page": 1,
            "pages": 0,
            "next": None,
            "results": [],
            "facets": {},
        }
    results = engine.run(
        filterset.qs,
        parsed,
        sort=filters.sort,
        page=filters.page,
        page_size=engine.PAGE_SIZE,
        filtered=bool(active),
    )
    pages = max(1, min(-(-results.ranked // engine.PAGE_SIZE), engine.MAX_PAGE))
    following = None
    if results.page < pages:
        params = [(k, v) for k, v in request.GET.items() if k != "page"]
        following = request.build_absolute_uri(
            request.path + "?" + urlencode([*params, ("page", results.page + 1)])
        )
    return {
        "query": filters.q,
        "total": results.total,
        "total_is_capped": results.capped,
        "page": results.page,
        "pages": pages,
        "next": following,
        "results": [
            {
                "kind": hit.kind,
                "title": hit.title_text,
                "url": request.build_absolute_uri(hit.url),
                "api_url": _api_url(request, hit.kind, hit.url.rstrip("/").rsplit("/", 1)[-1]),
                "snippet": hit.snippet_text,
                "date": hit.date,
                "standing": hit.standing or None,
            }
            for hit in results.hits
        ],
        "facets": {
            facet: [
                {
                    "value": str(value),
                    "label": str(results.names.get((facet, value), value)),
                    "count": n,
                }
                for value, n in values
            ]
            for facet, values in results.facets.items()
        },
    }
