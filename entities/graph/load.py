"""Loading a checked graph file into the database: all or nothing, and respectful of editors.

- the file is checked on its own first (schema.py), then against the database
  (its articles exist, every quote is in its article's body); any problem
  raises GraphError listing every problem, before anything is written;
- rows are matched by slug (links by what they join); a row that exists is left
  exactly as it is, since an editor may have changed it; only missing rows and
  missing links are created, so loading twice creates nothing the second time.
"""

from dataclasses import dataclass, field, fields
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from aiwatch.core.publishing import Status
from articles.models import Article
from entities.graph.schema import EventSpec, Graph, GraphError, parse_graph, read_graph
from entities.models import (
    Alias,
    Claim,
    ClaimEntity,
    ClaimEvent,
    ClaimRelation,
    Entity,
    Event,
    EventSource,
    Mention,
    Participation,
)


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


def _articles_for(graph: Graph) -> dict[str, Article]:
    """The articles the graph refers to, by slug; GraphError if any is missing or misquoted."""
    articles = {a.slug: a for a in Article.objects.filter(slug__in=graph.article_slugs())}
    problems = []

    def exists(where: str, slug: str) -> bool:
        if slug not in articles:
            problems.append(
                f"{where}: unknown article {slug!r} (import the seed articles first: seed)"
            )
            return False
        return True

    for spec in graph.entities:
        for slug in spec.mentioned_in:
            exists(f"{spec.where} mentioned_in", slug)
    for spec in graph.events:
        for slug in spec.sources:
            exists(f"{spec.where} sources", slug)
    for spec in graph.claims:
        if exists(spec.where, spec.article) and spec.quote not in articles[spec.article].body:
            problems.append(
                f"{spec.where}: quote not found verbatim in the body of article "
                f"{spec.article!r}: {spec.quote!r}"
            )
    if problems:
        raise GraphError(problems)
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
        entity, created = _get_or_create(
            Entity,
            spec.where,
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
        for alias in spec.aliases:
            _, created = _get_or_create(
                Alias, spec.where, entity=entity, name=alias.name, language=alias.language
            )
            report.aliases.add(created)
        for slug in spec.mentioned_in:
            _, created = _get_or_create(Mention, spec.where, entity=entity, article=articles[slug])
            report.mentions.add(created)
        entities[spec.slug] = entity
    return entities


def _load_events(graph, articles, entities, status, report) -> dict[str, Event]:
    events = {}
    for spec in graph.events:
        event, created = _get_or_create(
            Event,
            spec.where,
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
        for participant in spec.participants:
            _, created = _get_or_create(
                Participation,
                spec.where,
                event=event,
                entity=entities[participant.entity],
                role=participant.role,
                defaults={"note": participant.note},
            )
            report.participations.add(created)
        for slug in spec.sources:
            _, created = _get_or_create(
                EventSource, spec.where, event=event, article=articles[slug]
            )
            report.event_sources.add(created)
        events[spec.slug] = event
    return events


def _load_claims(graph, articles, entities, events, status, report) -> dict[str, Claim]:
    claims = {}
    for spec in graph.claims:
        claim, created = _get_or_create(
            Claim,
            spec.where,
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
            _, created = _get_or_create(ClaimEntity, spec.where, claim=claim, entity=entities[slug])
            report.claim_entities.add(created)
        for slug in spec.about_events:
            _, created = _get_or_create(ClaimEvent, spec.where, claim=claim, event=events[slug])
            report.claim_events.add(created)
        claims[spec.slug] = claim
    return claims


def _load_relations(graph, claims, report) -> None:
    for spec in graph.relations:
        _, created = _get_or_create(
            ClaimRelation,
            spec.where,
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
