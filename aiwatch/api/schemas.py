"""What the API answers with, and the parameters it takes: pydantic models, shown in OpenAPI.

The filters have the names and values of the pages' (articles, entities,
events, claims, search), and the pages' own filter sets apply them, so that a
list in the API and on the site answer alike.
"""

import datetime
import re
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator

from aiwatch.search import engine
from articles.models import Role
from entities.models import ClaimKind, EntityKind, Verification

RoleValue = Literal[tuple(Role.values)]
EntityKindValue = Literal[tuple(EntityKind.values)]
ClaimKindValue = Literal[tuple(ClaimKind.values)]
VerificationValue = Literal[tuple(Verification.values)]
SLUG = r"^[-a-zA-Z0-9_]+$"
MAX_LIMIT = 200
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value):
    # pydantic would read "0" or "1720000000" as a date: a parameter takes YYYY-MM-DD only.
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]


# --- Answers ---------------------------------------------------------------------


class Problem(Schema):
    detail: str = Field(description="What was wrong, in a sentence.")


class Invalid(Schema):
    detail: list[dict] = Field(description="Each parameter that did not validate, and why.")


class Ref(Schema):
    """Another object, by name: follow `api_url` for all of it."""

    slug: str
    name: str
    url: str = Field(description="Its page on aiwatch.")
    api_url: str = Field(description="It in this API.")


class Page(Schema):
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )
    next: str | None = Field(description="The next page's URL; null on the last page.")


class Article(Schema):
    slug: str
    url: str
    api_url: str
    title: str
    outlet: Ref | None
    author: str
    published_on: datetime.date | None
    modified_on: datetime.date | None
    language: str
    role: RoleValue | None
    original_url: str | None
    summary: str = Field(description="An editor's summary, in Markdown.")


class Republication(Schema):
    article: Ref
    similarity: float | None
    confirmed: bool = Field(description="Confirmed by an editor; else suggested by aiwatch.")


class ArticleDetail(Article):
    body: str = Field(description="The cleaned text; paragraphs are separated by a blank line.")
    entities: list[Ref] = Field(description="Entities an editor accepted as mentioned in it.")
    events: list[Ref] = Field(description="Events it is a source of.")
    claims: list[Ref] = Field(description="Claims quoted from it.")
    republishes: list[Republication]
    republished_as: list[Republication]


class Entity(Schema):
    slug: str
    url: str
    api_url: str
    kind: EntityKindValue
    name: str
    wikidata_id: str | None
    aliases: list[str]


class Participation(Schema):
    event: Ref
    role: str


class EntityDetail(Entity):
    description: str = Field(description="In Markdown.")
    events: list[Participation]
    claims_made: list[Ref]
    claims_about: list[Ref]
    articles: list[Ref] = Field(description="Published articles that mention it.")


class Event(Schema):
    slug: str
    url: str
    api_url: str
    title: str
    date: datetime.date
    date_precision: Literal["day", "month", "year"] = Field(
        description="How much of `date` is known: month means the day is not, year the month."
    )
    end_date: datetime.date | None


class Participant(Schema):
    entity: Ref
    role: str


class EventDetail(Event):
    description: str = Field(description="In Markdown.")
    participants: list[Participant]
    sources: list[Ref]
    claims: list[Ref]


class Claim(Schema):
    slug: str
    url: str
    api_url: str
    statement: str
    claimant: Ref
    article: Ref
    quote: str = Field(description="The article's words, verbatim.")
    quote_url: str = Field(description="The quote's place in the article on aiwatch.")
    kind: ClaimKindValue
    verification: VerificationValue
    standing: Literal["preferred", "normal", "deprecated"]
    deprecation: Literal["superseded", "retracted"] | None
    standing_reason: str


class Relation(Schema):
    kind: Literal["supports", "contradicts", "restates", "updates"]
    direction: Literal["outgoing", "incoming"] = Field(
        description="outgoing: this claim supports (…) the other; incoming: the other this one."
    )
    claim: Ref


class Appearance(Schema):
    article: Ref
    date: datetime.date | None = Field(description="When that article was published.")
    language: str = Field(description="BCP 47 tag of its words.")
    quote: str = Field(description="Its words, verbatim.")
    original: bool = Field(description="True for the article the claim is quoted from.")


class ClaimDetail(Claim):
    verification_reason: str
    about_entities: list[Ref]
    about_events: list[Ref]
    relations: list[Relation]
    lineage: list[Appearance] = Field(
        description="The articles it appears in, oldest first: the first is its first known."
    )


class ArticlePage(Page):
    results: list[Article]


class EntityPage(Page):
    results: list[Entity]


class EventPage(Page):
    results: list[Event]


class ClaimPage(Page):
    results: list[Claim]


class Hit(Schema):
    kind: Literal["entity", "event", "claim", "article"]
    title: str
    url: str
    api_url: str
    snippet: str = Field(description="The matched passage, as text.")
    date: datetime.date | None
    standing: Literal["preferred", "normal", "deprecated"] | None


class FacetValue(Schema):
    value: str
    label: str
    count: int


class SearchResults(Schema):
    query: str
    total: int = Field(description="Matches, exact up to `total_is_capped`.")
    total_is_capped: bool = Field(description="True: there are more matches than `total`.")
    page: int
    pages: int
    next: str | None
    results: list[Hit]
    facets: dict[str, list[FacetValue]]


# --- Parameters ------------------------------------------------------------------


class Paging(Schema):
    cursor: str | None = Field(
        None, pattern=r"^[1-9][0-9]{0,17}$", description="The `next_cursor` of the page before."
    )
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="How many results a page holds.")


class ArticleFilters(Paging):
    source: str | None = Field(None, pattern=SLUG, max_length=80, description="An outlet's slug.")
    year: int | None = Field(None, ge=1900, le=2100, description="The year it was published.")
    language: str | None = Field(None, max_length=16, description="A BCP 47 tag: en, zh-Hans…")
    role: RoleValue | None = None
    republications: Literal["include", "exclude"] | None = Field(
        None, description="exclude: leave out confirmed republications of other outlets' stories."
    )


class EntityFilters(Paging):
    kind: EntityKindValue | None = None


class EventFilters(Paging):
    entity: str | None = Field(
        None, pattern=SLUG, max_length=80, description="Involving the entity with this slug."
    )
    kind: EntityKindValue | None = Field(None, description="Involving an entity of this kind.")
    year: int | None = Field(None, ge=1900, le=2100)


class ClaimFilters(Paging):
    kind: ClaimKindValue | None = None
    verification: VerificationValue | None = None
    entity: str | None = Field(
        None, pattern=SLUG, max_length=80, description="About the entity with this slug."
    )
    deprecated: bool = Field(
        False, description="Include deprecated (superseded, retracted) claims."
    )


class SearchFilters(Schema):
    q: str = Field("", max_length=256, description='Words, "a phrase", -excluded, OR.')
    kind: Literal["entity", "event", "claim", "article"] | None = None
    entity: str | None = Field(None, pattern=SLUG, max_length=80)
    outlet: str | None = Field(None, pattern=SLUG, max_length=80)
    year: int | None = Field(None, ge=1900, le=2100)
    month: int | None = Field(None, ge=1, le=12, description="With `year` only.")
    claim_kind: ClaimKindValue | None = None
    verification: VerificationValue | None = None
    role: RoleValue | None = None
    republications: Literal["include", "exclude"] | None = None
    deprecated: bool = Field(False, description="Include deprecated claims.")
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    sort: Literal["relevance", "newest", "oldest"] = "relevance"
    page: int = Field(1, ge=1, le=engine.MAX_PAGE)
