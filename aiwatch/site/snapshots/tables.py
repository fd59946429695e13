"""What a snapshot holds: each table, its columns with their types and meanings, and its rows.

One declaration serves every format: the JSON Lines and CSV files, the SQLite
database, the data dictionary and the Frictionless `datapackage.json`. A row is
in a snapshot only if everything it names is public: a published article,
entity, event or claim, or a link whose both ends are published. A claim whose
article or claimant is not published is left out, since its evidence could not
be checked; so is an editor's note, a draft, a suggestion nobody accepted.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from aiwatch.core.publishing import Status
from articles.models import Article, Republication, Role, Source
from entities.models import (
    Alias,
    Claim,
    ClaimAppearance,
    ClaimEntity,
    ClaimEvent,
    ClaimKind,
    ClaimRelation,
    DatePrecision,
    Deprecation,
    Entity,
    EntityKind,
    Event,
    EventSource,
    Mention,
    MentionStatus,
    Participation,
    RelationKind,
    Standing,
    Verification,
)

PUBLISHED = Status.PUBLISHED
ROWS_PER_FETCH = 2000


@dataclass(frozen=True)
class Column:
    name: str
    # A Frictionless Table Schema type: integer, number, string, date, datetime.
    type: str
    description: str
    values: tuple[str, ...] = ()  # the allowed values of a coded column
    references: str = ""  # the table whose id this column holds
    required: bool = False

    @property
    def sqlite_type(self) -> str:
        return {"integer": "INTEGER", "number": "REAL"}.get(self.type, "TEXT")


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    # Yields each row as a tuple in the order of `columns`, smallest id first.
    rows: Callable[[], Iterator[tuple]]
    count: Callable[[], int]
    # The column a changelog names a row by; empty for a link table.
    label: str = ""
    searchable: tuple[str, ...] = field(default=())  # the columns of its full-text index

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _id(description: str) -> Column:
    return Column("id", "integer", description, required=True)


def _ref(name: str, table: str, description: str, *, required=True) -> Column:
    return Column(name, "integer", description, references=table, required=required)


def _coded(name: str, choices, description: str) -> Column:
    return Column(name, "string", description, values=tuple(choices.values))


def _url(description: str = "Its page on aiwatch.") -> Column:
    return Column("url", "string", description, required=True)


def _page(route: str, slug: str) -> str:
    return settings.AIWATCH_PUBLIC_URL + reverse(route, kwargs={"slug": slug})


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _stream(queryset, fields: list[str], *, route: str = "") -> Callable[[], Iterator[tuple]]:
    """Rows of `queryset` as tuples of `fields`, with the page URL after the slug if `route`."""

    def rows() -> Iterator[tuple]:
        for values in queryset.order_by("pk").values_list(*fields).iterator(ROWS_PER_FETCH):
            row = tuple(_plain(v) for v in values)
            if route:
                slug_at = fields.index("slug")
                row = (*row[: slug_at + 1], _page(route, row[slug_at]), *row[slug_at + 1 :])
            yield row

    return rows


# --- What is public -------------------------------------------------------------


def published_articles():
    return Article.objects.filter(status=PUBLISHED)


def published_entities():
    return Entity.objects.filter(status=PUBLISHED)


def published_events():
    return Event.objects.filter(status=PUBLISHED)


def published_claims():
    return Claim.objects.evidenced()


def sources():
    """Outlets with at least one published article."""
    return Source.objects.filter(
        Exists(Article.objects.filter(source=OuterRef("pk"), status=PUBLISHED))
    )


def _both_published(queryset, first: str, second: str, *, first_is_claim=False):
    first_ok = (
        Q(**{f"{first}__in": published_claims()})
        if first_is_claim
        else Q(**{f"{first}__status": PUBLISHED})
    )
    return queryset.filter(first_ok, **{f"{second}__status": PUBLISHED})


def mentions():
    return _both_published(
        Mention.objects.filter(status=MentionStatus.ACCEPTED), "article", "entity"
    )


def participations():
    return _both_published(Participation.objects.all(), "event", "entity")


def event_sources():
    return _both_published(EventSource.objects.all(), "event", "article")


def claim_entities():
    return _both_published(ClaimEntity.objects.all(), "claim", "entity", first_is_claim=True)


def claim_events():
    return _both_published(ClaimEvent.objects.all(), "claim", "event", first_is_claim=True)


def claim_relations():
    claims = published_claims()
    return ClaimRelation.objects.filter(source__in=claims, target__in=claims)


def claim_appearances():
    return ClaimAppearance.objects.filter(claim__in=published_claims(), article__status=PUBLISHED)


def republications():
    """Confirmed and suggested (not rejected) republications between published articles."""
    return _both_published(Republication.objects.shown(), "copy", "original")


def _table(name, description, columns, queryset_of, fields, *, route="", **extra) -> Table:
    return Table(
        name=name,
        description=description,
        columns=tuple(columns),
        rows=lambda: _stream(queryset_of(), fields, route=route)(),
        count=lambda: queryset_of().count(),
        **extra,
    )


def tables() -> list[Table]:
    """Every table of a snapshot, each after the tables it refers to."""
    return [
        _table(
            "sources",
            "Outlets that published the articles: newspapers, agencies, blogs, companies' sites.",
            [
                _id("The outlet's number in aiwatch; stable across snapshots."),
                Column("slug", "string", "The outlet's name in aiwatch's URLs.", required=True),
                _url(),
                Column("name", "string", "The outlet's name.", required=True),
                Column("homepage", "string", "The outlet's own site, if known."),
                Column("description", "string", "What the outlet is."),
            ],
            sources,
            ["id", "slug", "name", "homepage", "description"],
            route="articles:source-detail",
            label="name",
        ),
        _table(
            "articles",
            "The sources of the story: each a captured web page or text, cleaned for reading.",
            [
                _id("The article's number in aiwatch; stable across snapshots."),
                Column("slug", "string", "The article's name in aiwatch's URLs.", required=True),
                _url(),
                Column("title", "string", "The headline.", required=True),
                _ref("source_id", "sources", "The outlet, if the capture says.", required=False),
                Column("original_url", "string", "Where the article was published."),
                Column("author", "string", "The byline, as printed."),
                Column("published_on", "date", "The date it was published, if known."),
                Column("modified_on", "date", "The last update the page declares, if any."),
                Column("language", "string", "BCP 47 tag of the text: en, zh-Hans, zh-Hant…"),
                _coded("role", Role, "What the article is in the story; empty until decided."),
                Column("summary", "string", "An editor's summary, in Markdown."),
                Column(
                    "body",
                    "string",
                    "The cleaned text; paragraphs are separated by a blank line.",
                    required=True,
                ),
                Column(
                    "content_hash",
                    "string",
                    "SHA-256 of the capture exactly as imported: its identity.",
                    required=True,
                ),
                Column("captured_at", "datetime", "When a web archive captured the page (UTC)."),
            ],
            published_articles,
            [
                "id",
                "slug",
                "title",
                "source_id",
                "original_url",
                "author",
                "published_on",
                "modified_on",
                "language",
                "role",
                "summary",
                "body",
                "content_hash",
                "captured_at",
            ],
            route="articles:article-detail",
            label="title",
            searchable=("title", "summary", "body"),
        ),
        _table(
            "entities",
            "Companies, organizations, people, government bodies, places and AI models.",
            [
                _id("The entity's number in aiwatch; stable across snapshots and merges."),
                Column("slug", "string", "The entity's name in aiwatch's URLs.", required=True),
                _url(),
                _coded("kind", EntityKind, "What sort of entity it is."),
                Column("name", "string", "Its name in English.", required=True),
                Column("description", "string", "Who or what it is, in Markdown."),
                Column("wikidata_id", "string", "Its Wikidata item (Q…), if known."),
            ],
            published_entities,
            ["id", "slug", "kind", "name", "description", "wikidata_id"],
            route="entities:entity-detail",
            label="name",
            searchable=("name", "description"),
        ),
        _table(
            "aliases",
            "Other names of an entity: translations, transliterations, former and short names.",
            [
                _id("The alias's number in aiwatch."),
                _ref("entity_id", "entities", "The entity it names."),
                Column("name", "string", "The other name.", required=True),
                Column("language", "string", "BCP 47 tag of the name, if any."),
            ],
            lambda: Alias.objects.filter(entity__status=PUBLISHED),
            ["id", "entity_id", "name", "language"],
        ),
        _table(
            "events",
            "The timeline: what happened, and when, to the day, the month or the year.",
            [
                _id("The event's number in aiwatch; stable across snapshots."),
                Column("slug", "string", "The event's name in aiwatch's URLs.", required=True),
                _url(),
                Column("title", "string", "What happened.", required=True),
                Column("date", "date", "When it happened (or began).", required=True),
                _coded(
                    "date_precision",
                    DatePrecision,
                    "How much of `date` is known: month means the day is not, year the month.",
                ),
                Column("end_date", "date", "When it ended, if it lasted."),
                Column("description", "string", "The event, in Markdown."),
            ],
            published_events,
            ["id", "slug", "title", "date", "date_precision", "end_date", "description"],
            route="entities:event-detail",
            label="title",
            searchable=("title", "description"),
        ),
        _table(
            "claims",
            "Statements attributed to a claimant, each backed by a verbatim quote from an article.",
            [
                _id("The claim's number in aiwatch; stable across snapshots."),
                Column("slug", "string", "The claim's name in aiwatch's URLs.", required=True),
                _url(),
                Column("statement", "string", "What is claimed, in plain words.", required=True),
                _ref("claimant_id", "entities", "Who made the claim."),
                _ref("article_id", "articles", "The article the quote is from."),
                Column("quote", "string", "The article's words, verbatim.", required=True),
                Column(
                    "quote_start",
                    "integer",
                    "Where the quote starts in the article's body (a character offset), if found.",
                ),
                Column("quote_end", "integer", "Where the quote ends in the body, if found."),
                _coded("kind", ClaimKind, "Whether it states a fact, an opinion, a prediction…"),
                _coded("verification", Verification, "What the evidence says of it so far."),
                Column("verification_reason", "string", "Why it has that verification."),
                _coded(
                    "standing",
                    Standing,
                    "Its rank among the claims on its question, as Wikidata ranks statements.",
                ),
                _coded(
                    "deprecation",
                    Deprecation,
                    "Why a deprecated claim no longer stands; empty unless deprecated.",
                ),
                Column(
                    "standing_reason",
                    "string",
                    "Why it is preferred or deprecated; empty for a normal claim.",
                ),
            ],
            published_claims,
            [
                "id",
                "slug",
                "statement",
                "claimant_id",
                "article_id",
                "quote",
                "quote_start",
                "quote_end",
                "kind",
                "verification",
                "verification_reason",
                "standing",
                "deprecation",
                "standing_reason",
            ],
            route="entities:claim-detail",
            label="statement",
            searchable=("statement", "quote"),
        ),
        _table(
            "mentions",
            "Entities named in articles, as accepted by an editor.",
            [
                _id("The link's number in aiwatch."),
                _ref("article_id", "articles", "The article."),
                _ref("entity_id", "entities", "The entity it names."),
            ],
            mentions,
            ["id", "article_id", "entity_id"],
        ),
        _table(
            "participations",
            "Entities taking part in events.",
            [
                _id("The link's number in aiwatch."),
                _ref("event_id", "events", "The event."),
                _ref("entity_id", "entities", "The entity."),
                Column("role", "string", "What the entity did in the event.", required=True),
            ],
            participations,
            ["id", "event_id", "entity_id", "role"],
        ),
        _table(
            "event_sources",
            "Articles an event rests on.",
            [
                _id("The link's number in aiwatch."),
                _ref("event_id", "events", "The event."),
                _ref("article_id", "articles", "An article reporting it."),
            ],
            event_sources,
            ["id", "event_id", "article_id"],
        ),
        _table(
            "claim_entities",
            "Entities a claim is about.",
            [
                _id("The link's number in aiwatch."),
                _ref("claim_id", "claims", "The claim."),
                _ref("entity_id", "entities", "An entity it is about."),
            ],
            claim_entities,
            ["id", "claim_id", "entity_id"],
        ),
        _table(
            "claim_events",
            "Events a claim is about.",
            [
                _id("The link's number in aiwatch."),
                _ref("claim_id", "claims", "The claim."),
                _ref("event_id", "events", "An event it is about."),
            ],
            claim_events,
            ["id", "claim_id", "event_id"],
        ),
        _table(
            "claim_relations",
            "How claims bear on each other: one supports, contradicts, restates or updates one.",
            [
                _id("The link's number in aiwatch."),
                _ref("source_id", "claims", "The claim that bears on the other."),
                _ref("target_id", "claims", "The claim it bears on."),
                _coded("kind", RelationKind, "How the source bears on the target."),
            ],
            claim_relations,
            ["id", "source_id", "target_id", "kind"],
        ),
        _table(
            "claim_appearances",
            "A claim's lineage: other articles that restate it, in their own words.",
            [
                _id("The link's number in aiwatch."),
                _ref("claim_id", "claims", "The claim."),
                _ref("article_id", "articles", "An article that restates it."),
                Column("quote", "string", "That article's words, verbatim.", required=True),
                Column("language", "string", "BCP 47 tag of those words; empty: the article's."),
            ],
            claim_appearances,
            ["id", "claim_id", "article_id", "quote", "language"],
        ),
        _table(
            "republications",
            "Articles that republish another (wire copy, syndication), found by text similarity.",
            [
                _id("The link's number in aiwatch."),
                _ref("copy_id", "articles", "The republished copy."),
                _ref("original_id", "articles", "The article it copies."),
                Column(
                    "similarity",
                    "number",
                    "Estimated Jaccard similarity of the two texts' shingles, 0 to 1.",
                ),
                Column(
                    "status",
                    "string",
                    "Confirmed by an editor, or suggested by aiwatch and not yet checked.",
                    values=(Republication.Status.CONFIRMED, Republication.Status.SUGGESTED),
                ),
            ],
            republications,
            ["id", "copy_id", "original_id", "similarity", "status"],
        ),
    ]
