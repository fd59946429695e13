"""The graph file's format: its sections, keys and values, and the rules between entries.

The file is written by hand and reviewed as text, so a mistake must be
reported the way a reviewer would point at it: section, entry (by slug, or by
position when it has none) and key; and every mistake at once, before anything
is written. pydantic checks each entry on its own, and its errors are worded
here in those terms. What pydantic cannot see in one field (a date that does
not match its precision, references between sections, duplicates) is checked
afterwards, over the entries that passed.

Whether the articles exist and contain the quotes needs the database; see load.py.
"""

import datetime
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Annotated, Any, ClassVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db.models import TextChoices
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    PlainValidator,
    StringConstraints,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from entities.models import (
    ClaimKind,
    DatePrecision,
    Deprecation,
    EntityKind,
    RelationKind,
    Standing,
    Verification,
)


class GraphError(Exception):
    """The graph file cannot be loaded. `problems` lists every problem found."""

    def __init__(self, problems: str | list[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


def read_graph(path: Path) -> dict:
    """The parsed TOML of the graph file, or GraphError if it cannot be read or parsed."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise GraphError(
            f"{path}: cannot read the graph file ({error.strerror or error})"
        ) from error
    except UnicodeDecodeError as error:
        raise GraphError(f"{path}: not UTF-8 text ({error})") from error
    except tomllib.TOMLDecodeError as error:
        raise GraphError(f"{path}: malformed TOML: {error}") from error


# --- Values ----------------------------------------------------------------------
# The validators raise errors of their own types; _MESSAGES words them, since
# only it knows which key the value was under.

SLUG = re.compile(r"[-a-zA-Z0-9_]+")
WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*")
_url_validator = URLValidator(schemes=["http", "https"])


def _filled(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "must not be empty")
    return value


def _slug(value: str) -> str:
    if not SLUG.fullmatch(_filled(value)):
        raise PydanticCustomError("slug", "not a slug")
    return value


def _url(value: str) -> str:
    # Django's validator, so that the file accepts the URLs the models accept.
    try:
        _url_validator(value)
    except DjangoValidationError:
        raise PydanticCustomError("url", "not an http(s) URL") from None
    return value


def _url_or_blank(value: str) -> str:
    return value and _url(value)


def _wikidata_id_or_blank(value: str) -> str:
    if value and not WIKIDATA_ID.fullmatch(value):
        raise PydanticCustomError("wikidata_id", "not a Wikidata ID")
    return value


def _one_of(choices: type[TextChoices], *, blank: bool = False) -> AfterValidator:
    # Checked by hand rather than typed as the enum, so specs hold plain strings
    # and the message can list the choices as the models spell them.
    def check(value: str) -> str:
        if value not in choices.values and not (blank and value == ""):
            expected = ", ".join(choices.values)
            raise PydanticCustomError("choice", "not one of {expected}", {"expected": expected})
        return value

    return AfterValidator(check)


def _date(value: Any) -> datetime.date:
    # A TOML date, or a date quoted as ISO text. pydantic's own date type would
    # also take a datetime at midnight or a Unix timestamp, which here are typos.
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date", "not a date (YYYY-MM-DD)")


def _date_or_blank(value: Any) -> datetime.date | None:
    return None if value == "" else _date(value)


Filled = Annotated[str, AfterValidator(_filled)]
Slug = Annotated[str, AfterValidator(_slug)]
Url = Annotated[str, AfterValidator(_url)]
OptionalUrl = Annotated[str, AfterValidator(_url_or_blank)]
WikidataId = Annotated[str, AfterValidator(_wikidata_id_or_blank)]
Stripped = Annotated[str, StringConstraints(strip_whitespace=True)]
Date = Annotated[datetime.date, PlainValidator(_date)]
OptionalDate = Annotated[datetime.date | None, PlainValidator(_date_or_blank)]


# --- Entries -----------------------------------------------------------------------


class _Table(BaseModel):
    # A key the format does not define is a typo, not something to ignore.
    model_config = ConfigDict(extra="forbid")


class _Entry(_Table):
    """One [[section]] entry of the file, checked."""

    section: ClassVar[str]

    @classmethod
    def name_of(cls, entry: dict) -> Any:
        """What names the entry in problems: its slug (read from the raw table, valid or not)."""
        return entry.get("slug")

    @property
    def where(self) -> str:
        """The entry as problems name it: [[entities]] 'openai'."""
        return f"[[{self.section}]] '{self.name_of(dict(self))}'"

    def problems(self) -> Iterator[str]:
        """What is wrong with the entry's fields taken together."""
        return iter(())


class SourceSpec(_Entry):
    section = "sources"
    slug: Slug
    name: Filled
    homepage: OptionalUrl = ""
    description: str = ""


class ArticleSpec(_Entry):
    section = "articles"
    file: Filled
    slug: Slug
    source: str = ""
    original_url: OptionalUrl = ""
    published_on: OptionalDate = None
    author: str = ""
    summary: Stripped = ""


class AliasSpec(_Table):
    name: Filled
    language: Filled


class EntitySpec(_Entry):
    section = "entities"
    slug: Slug
    name: Filled
    kind: Annotated[str, _one_of(EntityKind)]
    description: str = ""
    website: OptionalUrl = ""
    wikidata_id: WikidataId = ""
    aliases: list[AliasSpec] = []
    mentioned_in: list[str] = []


class ParticipantSpec(_Table):
    entity: str
    role: Filled
    note: str = ""


class EventSpec(_Entry):
    section = "events"
    slug: Slug
    title: Filled
    date: Date
    precision: Annotated[str, _one_of(DatePrecision)]
    end_date: OptionalDate = None
    description: str = ""
    participants: list[ParticipantSpec] = []
    sources: list[str] = []
    source_urls: list[Url] = []

    def problems(self) -> Iterator[str]:
        # A month or a year is stored as its first day, as the database requires.
        date = self.date
        if self.precision == DatePrecision.MONTH and date.day != 1:
            yield f"a month-precise date is the 1st of the month, not {date}"
        if self.precision == DatePrecision.YEAR and (date.month, date.day) != (1, 1):
            yield f"a year-precise date is 1 January of the year, not {date}"
        if self.end_date and self.end_date < date:
            yield f"end_date {self.end_date} is before date {date}"
        if not self.sources and not self.source_urls:
            yield "needs a seed article in sources or a public URL in source_urls"


class ClaimSpec(_Entry):
    section = "claims"
    slug: Slug
    statement: Filled
    claimant: Filled
    article: Filled
    quote: Filled
    kind: Annotated[str, _one_of(ClaimKind)]
    verification: Annotated[str, _one_of(Verification)] = Verification.UNVERIFIED
    verification_reason: Stripped = ""
    standing: Annotated[str, _one_of(Standing)] = Standing.NORMAL
    deprecation: Annotated[str, _one_of(Deprecation, blank=True)] = ""
    standing_reason: Stripped = ""
    about_entities: list[str] = []
    about_events: list[str] = []

    def problems(self) -> Iterator[str]:
        if self.verification != Verification.UNVERIFIED and not self.verification_reason:
            yield f"a {self.verification} claim needs a verification_reason"
        if self.standing != Standing.NORMAL and not self.standing_reason:
            yield f"a {self.standing} claim needs a standing_reason"
        if (self.standing == Standing.DEPRECATED) != bool(self.deprecation):
            yield "deprecation (superseded or retracted) is for a deprecated claim, and only it"
        if not self.about_entities:
            yield "about_entities must name at least one entity"


class RelationSpec(_Entry):
    section = "claim_relations"
    source: Filled
    target: Filled
    kind: Annotated[str, _one_of(RelationKind)]
    note: str = ""

    @classmethod
    def name_of(cls, entry: dict) -> str:
        # A relation has no slug; what it joins names it.
        return f"{entry.get('source')} {entry.get('kind')} {entry.get('target')}"

    def problems(self) -> Iterator[str]:
        if self.source == self.target:
            yield "a claim cannot be related to itself"


SECTIONS: dict[str, type[_Entry]] = {
    spec.section: spec
    for spec in (SourceSpec, ArticleSpec, EntitySpec, EventSpec, ClaimSpec, RelationSpec)
}


@dataclass
class Graph:
    """The file's entries, checked, in the file's order."""

    sources: list[SourceSpec]
    articles: list[ArticleSpec]
    entities: list[EntitySpec]
    events: list[EventSpec]
    claims: list[ClaimSpec]
    relations: list[RelationSpec]

    def entries(self) -> Iterator[_Entry]:
        return chain(
            self.sources, self.articles, self.entities, self.events, self.claims, self.relations
        )

    def article_slugs(self) -> set[str]:
        """Every article slug the entities, events and claims refer to."""
        slugs = {slug for entity in self.entities for slug in entity.mentioned_in}
        slugs |= {slug for event in self.events for slug in event.sources}
        slugs |= {claim.article for claim in self.claims}
        return slugs


# --- Checking the file -------------------------------------------------------------


def parse_graph(data: dict) -> Graph:
    """Check parsed TOML and turn it into a Graph; GraphError lists every problem.

    This checks the file on its own; load_graph also checks it against the
    database (articles exist, quotes are in their bodies).
    """
    if not isinstance(data, dict):
        raise GraphError("the graph file must be a TOML document")
    problems = [
        f"[[{key}]]: unknown section; expected one of {', '.join(SECTIONS)}"
        for key in sorted(data.keys() - SECTIONS.keys())
    ]
    specs, defined = {}, {}
    for section, spec_class in SECTIONS.items():
        specs[section], defined[section], found = _parse_section(spec_class, data.get(section, []))
        problems += found
    graph = Graph(
        sources=specs["sources"],
        articles=specs["articles"],
        entities=specs["entities"],
        events=specs["events"],
        claims=specs["claims"],
        relations=specs["claim_relations"],
    )
    problems += [
        f"{spec.where}: {problem}" for spec in graph.entries() for problem in spec.problems()
    ]
    problems += _across_entries(graph, defined)
    if problems:
        raise GraphError(problems)
    return graph


def _parse_section(spec_class: type[_Entry], entries) -> tuple[list, set[str], list[str]]:
    """The section's valid entries as specs, every slug it defines (valid entry or not), problems.

    An invalid entry's slug still counts as defined, so that references to it
    do not add a second, misleading problem to the one it has.
    """
    section = spec_class.section
    if not isinstance(entries, list):
        return [], set(), [f"[[{section}]]: must be an array of tables ([[...]] entries)"]
    specs, slugs, problems = [], set(), []
    for index, entry in enumerate(entries, start=1):
        name = spec_class.name_of(entry) if isinstance(entry, dict) else None
        where = f"[[{section}]] '{name}'" if name else f"[[{section}]] entry {index}"
        slug = entry.get("slug") if isinstance(entry, dict) else None
        if isinstance(slug, str):
            if slug in slugs:
                problems.append(f"{where}: duplicate slug {slug!r} in [[{section}]]")
            slugs.add(slug)
        try:
            specs.append(spec_class.model_validate(entry))
        except ValidationError as error:
            problems += _worded(where, error)
    return specs, slugs, problems


# How each kind of pydantic error reads in a problem line. {key} is where in
# the entry ("name", "aliases entry 2 language"), {value} the value found there.
_MESSAGES = {
    "string_type": "{key} must be a string, not {type}",
    "list_type": "{key} must be a list, not {type}",
    "model_type": "{key} must be a table, not {type}",
    "blank": "{key} must not be empty",
    "slug": "{key} {value!r} is not a slug (letters, digits, - and _)",
    "url": "{key} {value!r} is not an http(s) URL",
    "wikidata_id": "{key} {value!r} is not like Q21708200",
    "choice": "unknown {key} {value!r}; expected one of {expected}",
    "date": "{key} {value!r} is not a date (YYYY-MM-DD)",
}


def _key(loc: tuple) -> str:
    return " ".join(f"entry {part + 1}" if isinstance(part, int) else str(part) for part in loc)


def _worded(where: str, error: ValidationError) -> list[str]:
    """One entry's pydantic errors as problem lines, each naming the entry and the key.

    Missing and unknown keys are gathered into one line per table, as a reviewer would list them.
    """
    keys: dict[tuple[str, str], list[str]] = {}
    lines = []
    for problem in error.errors():
        loc, kind, value = problem["loc"], problem["type"], problem["input"]
        if not loc:  # the entry itself is not a table
            lines.append(f"{where}: is not a table")
        elif kind in ("missing", "extra_forbidden"):
            label = "missing required key(s)" if kind == "missing" else "unknown key(s)"
            keys.setdefault((_key(loc[:-1]), label), []).append(str(loc[-1]))
        else:
            template = _MESSAGES.get(kind, "{key}: {msg}")
            context = {"key": _key(loc), "value": value, "type": type(value).__name__}
            line = template.format(**(problem.get("ctx") or {}), **context, msg=problem["msg"])
            lines.append(f"{where}: {line}")
    grouped = [
        f"{where}: {table + ': ' if table else ''}{label}: {', '.join(sorted(names))}"
        for (table, label), names in keys.items()
    ]
    return grouped + lines


def _across_entries(graph: Graph, defined: dict[str, set[str]]) -> list[str]:
    """What no single entry shows: references to other sections, and values that must be unique."""
    problems = []

    def known(spec: _Entry, what: str, slugs: list[str], section: str) -> None:
        for slug in slugs:
            if slug not in defined[section]:
                problems.append(f"{spec.where}: unknown {what} {slug!r}")

    for spec in graph.articles:
        if spec.source and spec.source not in defined["sources"]:
            problems.append(f"{spec.where}: unknown source {spec.source!r} (not in [[sources]])")
    wikidata: dict[str, str] = {}
    for spec in graph.entities:
        if spec.wikidata_id and spec.wikidata_id in wikidata:
            problems.append(
                f"{spec.where}: wikidata_id {spec.wikidata_id} is also given to "
                f"'{wikidata[spec.wikidata_id]}'"
            )
        wikidata.setdefault(spec.wikidata_id, spec.slug)
    for spec in graph.events:
        known(spec, "entity", [p.entity for p in spec.participants], "entities")
    for spec in graph.claims:
        known(spec, "claimant entity", [spec.claimant], "entities")
        known(spec, "entity", spec.about_entities, "entities")
        known(spec, "event", spec.about_events, "events")
    relations = set()
    for spec in graph.relations:
        known(spec, "claim", [spec.source, spec.target], "claims")
        key = (spec.source, spec.target, spec.kind)
        if key in relations and spec.source != spec.target:
            problems.append(f"{spec.where}: duplicate relation")
        relations.add(key)
    return problems
