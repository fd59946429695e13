"""Load the curated knowledge graph (seeds/graph.toml) into the database.

The graph file is a reviewable text fixture: sources and seed articles (which
`manage.py seed` imports), then entities, events, claims and the relations
between claims. `load_graph` reads the entities-and-after part.

Loading is all or nothing and respectful of editors:

- the whole file is checked first (syntax, required keys, kinds, dates,
  references between entries, every quote against its article's body), and
  any problem raises GraphError listing every problem, before anything is written;
- rows are matched by slug (links by what they join); a row that exists is left
  exactly as it is, since an editor may have changed it; only missing rows and
  missing links are created, so loading twice creates nothing the second time.
"""

import datetime
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from aiwatch.core.publishing import Status
from articles.models import Article
from entities.models import (
    Alias,
    Claim,
    ClaimEntity,
    ClaimEvent,
    ClaimKind,
    ClaimRelation,
    DatePrecision,
    Entity,
    EntityKind,
    Event,
    EventSource,
    Mention,
    MentionStatus,
    Participation,
    RelationKind,
    Verification,
)


class GraphError(Exception):
    """The graph file cannot be loaded. `problems` lists every problem found."""

    def __init__(self, problems: str | list[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


# --- The report -----------------------------------------------------------------


@dataclass
class Counts:
    created: int = 0
    existing: int = 0

    def add(self, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.existing += 1


@dataclass
class GraphReport:
    """How many rows of each kind load_graph created, and how many already existed."""

    entities: Counts = field(default_factory=Counts)
    aliases: Counts = field(default_factory=Counts)
    mentions: Counts = field(default_factory=Counts)
    events: Counts = field(default_factory=Counts)
    participations: Counts = field(default_factory=Counts)
    event_sources: Counts = field(default_factory=Counts)
    claims: Counts = field(default_factory=Counts)
    claim_entities: Counts = field(default_factory=Counts)
    claim_events: Counts = field(default_factory=Counts)
    claim_relations: Counts = field(default_factory=Counts)

    def rows(self) -> list[tuple[str, Counts]]:
        """(label, counts) per model, in loading order: 'claim relations', Counts(…)."""
        return [(f.name.replace("_", " "), getattr(self, f.name)) for f in fields(self)]

    @property
    def created(self) -> int:
        return sum(counts.created for _, counts in self.rows())

    @property
    def existing(self) -> int:
        return sum(counts.existing for _, counts in self.rows())


# --- Reading and checking the file ------------------------------------------------

SECTIONS = ("sources", "articles", "entities", "events", "claims", "claim_relations")

# Per section: the keys an entry must have, and the keys it may have.
REQUIRED = {
    "sources": {"slug", "name"},
    "articles": {"file", "slug"},
    "entities": {"slug", "name", "kind"},
    "events": {"slug", "title", "date", "precision"},
    "claims": {"slug", "statement", "claimant", "article", "quote", "kind"},
    "claim_relations": {"source", "target", "kind"},
}
OPTIONAL = {
    "sources": {"homepage", "description"},
    "articles": {"source", "original_url", "published_on", "author", "summary"},
    "entities": {"description", "website", "wikidata_id", "aliases", "mentioned_in"},
    "events": {"end_date", "description", "participants", "sources", "source_urls"},
    "claims": {"verification", "verification_reason", "about_entities", "about_events"},
    "claim_relations": {"note"},
}

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")
_url_validator = URLValidator(schemes=["http", "https"])


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


@dataclass
class _Checker:
    """Collects every problem in the file, each naming its entry, instead of stopping at one."""

    problems: list[str] = field(default_factory=list)

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def entries(self, data: dict, section: str) -> list[tuple[str, dict]]:
        """The section's entries as (label, entry), with their keys checked."""
        raw = data.get(section, [])
        if not isinstance(raw, list):
            self.fail(f"[[{section}]]", "must be an array of tables ([[...]] entries)")
            return []
        labelled = []
        for index, entry in enumerate(raw, start=1):
            name = entry.get("slug") if isinstance(entry, dict) else None
            if section == "claim_relations" and isinstance(entry, dict):
                name = f"{entry.get('source')} {entry.get('kind')} {entry.get('target')}"
            where = f"[[{section}]] '{name}'" if name else f"[[{section}]] entry {index}"
            if not isinstance(entry, dict):
                self.fail(where, "is not a table")
                continue
            missing = sorted(REQUIRED[section] - entry.keys())
            unknown = sorted(entry.keys() - REQUIRED[section] - OPTIONAL[section])
            if missing:
                self.fail(where, f"missing required key(s): {', '.join(missing)}")
            if unknown:
                self.fail(where, f"unknown key(s): {', '.join(unknown)}")
            if not missing:
                labelled.append((where, entry))
        return labelled

    def text(self, where: str, entry: dict, key: str, *, required: bool = False) -> str:
        value = entry.get(key, "")
        if not isinstance(value, str):
            self.fail(where, f"{key} must be a string, not {type(value).__name__}")
            return ""
        if required and not value.strip():
            self.fail(where, f"{key} must not be empty")
        return value

    def slug(self, where: str, entry: dict, key: str = "slug") -> str:
        value = self.text(where, entry, key, required=True)
        if value and not SLUG.match(value):
            self.fail(where, f"{key} {value!r} is not a slug (letters, digits, - and _)")
        return value

    def choice(self, where: str, entry: dict, key: str, choices, default: str = "") -> str:
        value = self.text(where, entry, key) if key in entry else default
        if value not in choices:
            self.fail(where, f"unknown {key} {value!r}; expected one of {', '.join(choices)}")
        return value

    def string_list(self, where: str, entry: dict, key: str) -> list[str]:
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(where, f"{key} must be a list of strings")
            return []
        return value

    def table_list(self, where: str, entry: dict, key: str, required: set, optional: set):
        value = entry.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.fail(where, f"{key} must be a list of inline tables")
            return []
        good = []
        for item in value:
            missing = sorted(required - item.keys())
            unknown = sorted(item.keys() - required - optional)
            bad = [k for k in item if k in required | optional and not isinstance(item[k], str)]
            if missing or unknown or bad:
                detail = "; ".join(
                    part
                    for part in (
                        missing and f"missing {', '.join(missing)}",
                        unknown and f"unknown {', '.join(unknown)}",
                        bad and f"not a string: {', '.join(bad)}",
                    )
                    if part
                )
                self.fail(where, f"{key} entry {item!r}: {detail}")
                continue
            good.append(item)
        return good

    def date(self, where: str, entry: dict, key: str, *, required: bool) -> datetime.date | None:
        value = entry.get(key, "")
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if value == "" and not required:
            return None
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(where, f"{key} {value!r} is not a date (YYYY-MM-DD)")
        return None

    def url(self, where: str, key: str, value: str) -> None:
        try:
            _url_validator(value)
        except ValidationError:
            self.fail(where, f"{key} {value!r} is not an http(s) URL")

    def unique(self, labelled: list[tuple[str, dict]], section: str) -> dict[str, dict]:
        by_slug: dict[str, dict] = {}
        for where, entry in labelled:
            slug = entry.get("slug")
            if slug in by_slug:
                self.fail(where, f"duplicate slug {slug!r} in [[{section}]]")
            by_slug[slug] = entry
        return by_slug


# Parsed entries: plain values, checked, ready to write.


@dataclass
class EntitySpec:
    slug: str
    name: str
    kind: str
    description: str
    website: str
    wikidata_id: str
    aliases: list[tuple[str, str]]  # (name, language)
    mentioned_in: list[str]


@dataclass
class EventSpec:
    slug: str
    title: str
    date: datetime.date
    precision: str
    end_date: datetime.date | None
    description: str
    participants: list[tuple[str, str, str]]  # (entity slug, role, note)
    sources: list[str]
    source_urls: list[str]


@dataclass
class ClaimSpec:
    slug: str
    statement: str
    claimant: str
    article: str
    quote: str
    kind: str
    verification: str
    verification_reason: str
    about_entities: list[str]
    about_events: list[str]


@dataclass
class RelationSpec:
    source: str
    target: str
    kind: str
    note: str


@dataclass
class SourceSpec:
    slug: str
    name: str
    homepage: str
    description: str


@dataclass
class ArticleSpec:
    file: str
    slug: str
    source: str
    original_url: str
    published_on: datetime.date | None
    author: str
    summary: str


@dataclass
class Graph:
    sources: list[SourceSpec]
    articles: list[ArticleSpec]
    entities: list[EntitySpec]
    events: list[EventSpec]
    claims: list[ClaimSpec]
    relations: list[RelationSpec]

    def article_slugs(self) -> set[str]:
        """Every article slug the entities, events and claims refer to."""
        slugs = {slug for entity in self.entities for slug in entity.mentioned_in}
        slugs |= {slug for event in self.events for slug in event.sources}
        slugs |= {claim.article for claim in self.claims}
        return slugs


def _parse_sources(check: _Checker, data: dict) -> list[SourceSpec]:
    labelled = check.entries(data, "sources")
    check.unique(labelled, "sources")
    specs = []
    for where, entry in labelled:
        homepage = check.text(where, entry, "homepage")
        if homepage:
            check.url(where, "homepage", homepage)
        specs.append(
            SourceSpec(
                slug=check.slug(where, entry),
                name=check.text(where, entry, "name", required=True),
                homepage=homepage,
                description=check.text(where, entry, "description"),
            )
        )
    return specs


def _parse_articles(check: _Checker, data: dict, source_slugs: set[str]) -> list[ArticleSpec]:
    labelled = check.entries(data, "articles")
    check.unique(labelled, "articles")
    specs = []
    for where, entry in labelled:
        source = check.text(where, entry, "source")
        if source and source not in source_slugs:
            check.fail(where, f"unknown source {source!r} (not in [[sources]])")
        original_url = check.text(where, entry, "original_url")
        if original_url:
            check.url(where, "original_url", original_url)
        specs.append(
            ArticleSpec(
                file=check.text(where, entry, "file", required=True),
                slug=check.slug(where, entry),
                source=source,
                original_url=original_url,
                published_on=check.date(where, entry, "published_on", required=False),
                author=check.text(where, entry, "author"),
                summary=check.text(where, entry, "summary").strip(),
            )
        )
    return specs


def _parse_entities(check: _Checker, data: dict) -> list[EntitySpec]:
    labelled = check.entries(data, "entities")
    check.unique(labelled, "entities")
    specs = []
    for where, entry in labelled:
        website = check.text(where, entry, "website")
        if website:
            check.url(where, "website", website)
        wikidata_id = check.text(where, entry, "wikidata_id")
        if wikidata_id and not WIKIDATA_ID.match(wikidata_id):
            check.fail(where, f"wikidata_id {wikidata_id!r} is not like Q21708200")
        aliases = check.table_list(where, entry, "aliases", {"name", "language"}, set())
        for alias in aliases:
            if not alias["name"].strip() or not alias["language"].strip():
                check.fail(where, f"alias {alias!r} needs a name and a language")
        specs.append(
            EntitySpec(
                slug=check.slug(where, entry),
                name=check.text(where, entry, "name", required=True),
                kind=check.choice(where, entry, "kind", EntityKind.values),
                description=check.text(where, entry, "description"),
                website=website,
                wikidata_id=wikidata_id,
                aliases=[(alias["name"], alias["language"]) for alias in aliases],
                mentioned_in=check.string_list(where, entry, "mentioned_in"),
            )
        )
    _check_wikidata_unique(check, specs)
    return specs


def _check_wikidata_unique(check: _Checker, specs: list[EntitySpec]) -> None:
    seen: dict[str, str] = {}
    for spec in specs:
        if spec.wikidata_id and spec.wikidata_id in seen:
            check.fail(
                f"[[entities]] '{spec.slug}'",
                f"wikidata_id {spec.wikidata_id} is also given to '{seen[spec.wikidata_id]}'",
            )
        seen.setdefault(spec.wikidata_id, spec.slug)


def _check_event_dates(check: _Checker, where: str, spec: EventSpec) -> None:
    """A month or a year is stored as its first day, as the database requires."""
    date = spec.date
    if spec.precision == DatePrecision.MONTH and date.day != 1:
        check.fail(where, f"a month-precise date is the 1st of the month, not {date}")
    if spec.precision == DatePrecision.YEAR and (date.month, date.day) != (1, 1):
        check.fail(where, f"a year-precise date is 1 January of the year, not {date}")
    if spec.end_date and spec.end_date < date:
        check.fail(where, f"end_date {spec.end_date} is before date {date}")


def _parse_events(check: _Checker, data: dict) -> list[EventSpec]:
    labelled = check.entries(data, "events")
    check.unique(labelled, "events")
    specs = []
    for where, entry in labelled:
        participants = check.table_list(where, entry, "participants", {"entity", "role"}, {"note"})
        for participant in participants:
            if not participant["role"].strip():
                check.fail(where, f"participant {participant['entity']!r} needs a role")
        source_urls = check.string_list(where, entry, "source_urls")
        for url in source_urls:
            check.url(where, "source_urls entry", url)
        spec = EventSpec(
            slug=check.slug(where, entry),
            title=check.text(where, entry, "title", required=True),
            date=check.date(where, entry, "date", required=True),
            precision=check.choice(where, entry, "precision", DatePrecision.values),
            end_date=check.date(where, entry, "end_date", required=False),
            description=check.text(where, entry, "description"),
            participants=[(p["entity"], p["role"], p.get("note", "")) for p in participants],
            sources=check.string_list(where, entry, "sources"),
            source_urls=source_urls,
        )
        if spec.date and spec.precision in DatePrecision.values:
            _check_event_dates(check, where, spec)
        if not spec.sources and not spec.source_urls:
            check.fail(where, "needs a seed article in sources or a public URL in source_urls")
        specs.append(spec)
    return specs


def _parse_claims(check: _Checker, data: dict) -> list[ClaimSpec]:
    labelled = check.entries(data, "claims")
    check.unique(labelled, "claims")
    specs = []
    for where, entry in labelled:
        spec = ClaimSpec(
            slug=check.slug(where, entry),
            statement=check.text(where, entry, "statement", required=True),
            claimant=check.text(where, entry, "claimant", required=True),
            article=check.text(where, entry, "article", required=True),
            quote=check.text(where, entry, "quote", required=True),
            kind=check.choice(where, entry, "kind", ClaimKind.values),
            verification=check.choice(
                where, entry, "verification", Verification.values, default=Verification.UNVERIFIED
            ),
            verification_reason=check.text(where, entry, "verification_reason").strip(),
            about_entities=check.string_list(where, entry, "about_entities"),
            about_events=check.string_list(where, entry, "about_events"),
        )
        if spec.verification != Verification.UNVERIFIED and not spec.verification_reason:
            check.fail(where, f"a {spec.verification} claim needs a verification_reason")
        if not spec.about_entities:
            check.fail(where, "about_entities must name at least one entity")
        specs.append(spec)
    return specs


def _parse_relations(check: _Checker, data: dict) -> list[RelationSpec]:
    specs, seen = [], set()
    for where, entry in check.entries(data, "claim_relations"):
        spec = RelationSpec(
            source=check.text(where, entry, "source", required=True),
            target=check.text(where, entry, "target", required=True),
            kind=check.choice(where, entry, "kind", RelationKind.values),
            note=check.text(where, entry, "note"),
        )
        key = (spec.source, spec.target, spec.kind)
        if spec.source == spec.target:
            check.fail(where, "a claim cannot be related to itself")
        elif key in seen:
            check.fail(where, "duplicate relation")
        seen.add(key)
        specs.append(spec)
    return specs


def _check_references(check: _Checker, graph: Graph) -> None:
    """Every slug an entry names must be defined in the file."""
    entities = {spec.slug for spec in graph.entities}
    events = {spec.slug for spec in graph.events}
    claims = {spec.slug for spec in graph.claims}

    def known(where: str, what: str, slugs, defined: set[str]) -> None:
        for slug in slugs:
            if slug not in defined:
                check.fail(where, f"unknown {what} {slug!r}")

    for spec in graph.events:
        known(f"[[events]] '{spec.slug}'", "entity", [p[0] for p in spec.participants], entities)
    for spec in graph.claims:
        where = f"[[claims]] '{spec.slug}'"
        known(where, "claimant entity", [spec.claimant], entities)
        known(where, "entity", spec.about_entities, entities)
        known(where, "event", spec.about_events, events)
    for spec in graph.relations:
        where = f"[[claim_relations]] '{spec.source} {spec.kind} {spec.target}'"
        known(where, "claim", [spec.source, spec.target], claims)


def parse_graph(data: dict) -> Graph:
    """Check parsed TOML and turn it into a Graph; GraphError lists every problem.

    This checks the file on its own; load_graph also checks it against the
    database (articles exist, quotes are in their bodies).
    """
    check = _Checker()
    if not isinstance(data, dict):
        raise GraphError("the graph file must be a TOML document")
    for key in sorted(data.keys() - set(SECTIONS)):
        check.fail(f"[[{key}]]", f"unknown section; expected one of {', '.join(SECTIONS)}")
    sources = _parse_sources(check, data)
    graph = Graph(
        sources=sources,
        articles=_parse_articles(check, data, {spec.slug for spec in sources}),
        entities=_parse_entities(check, data),
        events=_parse_events(check, data),
        claims=_parse_claims(check, data),
        relations=_parse_relations(check, data),
    )
    _check_references(check, graph)
    if check.problems:
        raise GraphError(check.problems)
    return graph


def _articles_for(graph: Graph) -> dict[str, Article]:
    """The articles the graph refers to, by slug; GraphError if any is missing or misquoted."""
    articles = {a.slug: a for a in Article.objects.filter(slug__in=graph.article_slugs())}
    check = _Checker()

    def exists(where: str, slug: str) -> bool:
        if slug not in articles:
            check.fail(where, f"unknown article {slug!r} (import the seed articles first: seed)")
            return False
        return True

    for spec in graph.entities:
        for slug in spec.mentioned_in:
            exists(f"[[entities]] '{spec.slug}' mentioned_in", slug)
    for spec in graph.events:
        for slug in spec.sources:
            exists(f"[[events]] '{spec.slug}' sources", slug)
    for spec in graph.claims:
        where = f"[[claims]] '{spec.slug}'"
        if exists(where, spec.article) and spec.quote not in articles[spec.article].body:
            check.fail(
                where,
                f"quote not found verbatim in the body of article {spec.article!r}: {spec.quote!r}",
            )
    if check.problems:
        raise GraphError(check.problems)
    return articles


# --- Writing -----------------------------------------------------------------------


def _create(model, where: str, **values):
    """Create a row after the model's own validation; GraphError names the entry if it fails."""
    obj = model(**values)
    try:
        obj.full_clean()
    except ValidationError as error:
        raise GraphError(f"{where}: {'; '.join(error.messages)}") from error
    obj.save()
    return obj


def _get_or_create(model, where: str, defaults: dict | None = None, **lookup):
    """The row matching `lookup` untouched, or a new one; and whether it was created."""
    existing = model.objects.filter(**lookup).first()
    if existing is not None:
        return existing, False
    return _create(model, where, **lookup, **(defaults or {})), True


def _description_with_sources(spec: EventSpec) -> str:
    """The Event model has no field for public source URLs, so they end its description."""
    if not spec.source_urls:
        return spec.description
    links = ", ".join(f"<{url}>" for url in spec.source_urls)
    return f"{spec.description}\n\nSources: {links}".strip()


def _load_entities(graph, articles, status, report) -> dict[str, Entity]:
    entities = {}
    for spec in graph.entities:
        where = f"[[entities]] '{spec.slug}'"
        entity, created = _get_or_create(
            Entity,
            where,
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "description": spec.description,
                "website": spec.website,
                "wikidata_id": spec.wikidata_id,
                "status": status,
            },
        )
        report.entities.add(created)
        for name, language in spec.aliases:
            _, created = _get_or_create(Alias, where, entity=entity, name=name, language=language)
            report.aliases.add(created)
        for slug in spec.mentioned_in:
            _, created = _get_or_create(Mention, where, entity=entity, article=articles[slug])
            report.mentions.add(created)
        entities[spec.slug] = entity
    return entities


def _load_events(graph, articles, entities, status, report) -> dict[str, Event]:
    events = {}
    for spec in graph.events:
        where = f"[[events]] '{spec.slug}'"
        event, created = _get_or_create(
            Event,
            where,
            slug=spec.slug,
            defaults={
                "title": spec.title,
                "date": spec.date,
                "date_precision": spec.precision,
                "end_date": spec.end_date,
                "description": _description_with_sources(spec),
                "status": status,
            },
        )
        report.events.add(created)
        for entity_slug, role, note in spec.participants:
            _, created = _get_or_create(
                Participation,
                where,
                event=event,
                entity=entities[entity_slug],
                role=role,
                defaults={"note": note},
            )
            report.participations.add(created)
        for slug in spec.sources:
            _, created = _get_or_create(EventSource, where, event=event, article=articles[slug])
            report.event_sources.add(created)
        events[spec.slug] = event
    return events


def _load_claims(graph, articles, entities, events, status, report) -> dict[str, Claim]:
    claims = {}
    for spec in graph.claims:
        where = f"[[claims]] '{spec.slug}'"
        claim, created = _get_or_create(
            Claim,
            where,
            slug=spec.slug,
            defaults={
                "statement": spec.statement,
                "claimant": entities[spec.claimant],
                "article": articles[spec.article],
                "quote": spec.quote,
                "kind": spec.kind,
                "verification": spec.verification,
                "verification_reason": spec.verification_reason,
                "status": status,
            },
        )
        report.claims.add(created)
        for slug in spec.about_entities:
            _, created = _get_or_create(ClaimEntity, where, claim=claim, entity=entities[slug])
            report.claim_entities.add(created)
        for slug in spec.about_events:
            _, created = _get_or_create(ClaimEvent, where, claim=claim, event=events[slug])
            report.claim_events.add(created)
        claims[spec.slug] = claim
    return claims


def _load_relations(graph, claims, report) -> None:
    for spec in graph.relations:
        where = f"[[claim_relations]] '{spec.source} {spec.kind} {spec.target}'"
        _, created = _get_or_create(
            ClaimRelation,
            where,
            source=claims[spec.source],
            target=claims[spec.target],
            kind=spec.kind,
            defaults={"note": spec.note},
        )
        report.claim_relations.add(created)


def load_graph(*, path: Path, status: str = Status.PUBLISHED) -> GraphReport:
    """Create whatever the graph file describes that the database lacks; see the module doc.

    `status` applies to the entities, events and claims created now; rows that
    already exist keep theirs. Raises GraphError, having written nothing.
    """
    if status not in Status.values:
        raise GraphError(f"unknown status {status!r}; expected one of {', '.join(Status.values)}")
    graph = parse_graph(read_graph(Path(path)))
    report = GraphReport()
    try:
        with transaction.atomic():
            articles = _articles_for(graph)
            entities = _load_entities(graph, articles, status, report)
            events = _load_events(graph, articles, entities, status, report)
            claims = _load_claims(graph, articles, entities, events, status, report)
            _load_relations(graph, claims, report)
    except IntegrityError as error:
        # A clash with rows an editor made (the same Wikidata ID under another slug, say).
        raise GraphError(f"{path}: the database refused the graph: {error}") from error
    return report


# --- Reacting to article edits ----------------------------------------------------


def recheck_quotes(*, article: Article) -> int:
    """Re-find each claim's quote after an edit; flag the claims whose quote is gone.

    The edit itself is never refused: the claims are marked `needs_review` for an
    editor, and their stored positions follow the text. Returns how many are flagged.
    """
    flagged = 0
    for claim in Claim.objects.filter(article=article):
        claim.article = article
        before = (claim.quote_start, claim.quote_end, claim.needs_review)
        span = claim.locate_quote()
        after = (*(span or (None, None)), span is None)
        if after != before:
            claim.save(update_fields=["quote_start", "quote_end", "needs_review"])
        flagged += span is None
    return flagged


def _name_pattern(names: list[str]) -> re.Pattern | None:
    # Latin names must stand as words; CJK names have no spaces around them.
    parts = [
        rf"(?<!\w){re.escape(n)}(?!\w)" if n.isascii() else re.escape(n)
        for n in sorted(set(names), key=len, reverse=True)
        if len(n) >= 2
    ]
    return re.compile("|".join(parts)) if parts else None


def suggest_mentions(*, article: Article) -> list[Mention]:
    """Suggest a mention for every known entity named in the article, by name or alias.

    An entity already linked to the article, whatever the link's status, is
    skipped: an accepted mention needs nothing, and a rejected one must not come back.
    """
    known = set(Mention.objects.filter(article=article).values_list("entity_id", flat=True))
    text = f"{article.title}\n{article.body}"
    suggestions = []
    for entity in Entity.objects.exclude(pk__in=known).prefetch_related("aliases"):
        pattern = _name_pattern([entity.name, *(a.name for a in entity.aliases.all())])
        if pattern and pattern.search(text):
            suggestions.append(
                Mention(article=article, entity=entity, status=MentionStatus.SUGGESTED)
            )
    return Mention.objects.bulk_create(suggestions, ignore_conflicts=True)


# --- Merging duplicate entities ------------------------------------------------------


def merge_entities(*, survivor: Entity, duplicate: Entity, user=None) -> Entity:
    """Fold `duplicate` into `survivor`: links, claims and aliases move; the duplicate goes.

    Its name becomes an alias of the survivor and its URL answers a 301 to the
    survivor's. The state before the merge is saved as its own revision in the
    history, so reverting to it undoes the merge.
    """
    import reversion

    from aiwatch.core.history import recorded
    from aiwatch.core.models import OldSlug

    if survivor.pk == duplicate.pk:
        raise ValueError("An entity cannot be merged into itself.")
    with transaction.atomic():
        with reversion.create_revision():
            reversion.set_comment(f"Before merging “{duplicate}” into “{survivor}”")
            if user is not None:
                reversion.set_user(user)
            for obj in [survivor, duplicate, *Claim.objects.filter(claimant=duplicate)]:
                reversion.add_to_revision(obj)
        with recorded(f"Merged “{duplicate}” into “{survivor}”", user=user):
            _move_links(survivor, duplicate)
            Alias.objects.get_or_create(entity=survivor, name=duplicate.name, language="en")
            old_slug, old_pk = duplicate.slug, duplicate.pk
            duplicate.delete()
            label = Entity._meta.label_lower
            # The duplicate's URLs, current and past, now lead to the survivor.
            OldSlug.objects.filter(model=label, object_id=old_pk).update(object_id=survivor.pk)
            OldSlug.objects.update_or_create(
                model=label, slug=old_slug, defaults={"object_id": survivor.pk}
            )
            survivor.save()
    return survivor


def _move_links(survivor: Entity, duplicate: Entity) -> None:
    """Repoint every link of `duplicate` at `survivor`, dropping the ones it already has."""
    for model, unique_with in [
        (Mention, ("article",)),
        (Participation, ("event", "role")),
        (ClaimEntity, ("claim",)),
        (Alias, ("name", "language")),
    ]:
        for link in model.objects.filter(entity=duplicate):
            same = {k: getattr(link, k) for k in unique_with}
            if model.objects.filter(entity=survivor, **same).exists():
                link.delete()
            else:
                link.entity = survivor
                link.save()
    for claim in Claim.objects.filter(claimant=duplicate):
        claim.claimant = survivor
        claim.save()
