"""Loading a checked graph file into the database: all or nothing, and respectful of editors.

- the file is checked on its own first (schema.py), then against the database
  (its articles exist, the quote of every claim still to be made is in its
  article's body); any problem raises GraphError listing every problem;
- an entry's row is found by its seed key, the entry's slug in the file,
  whatever slug an editor has given it since (aiwatch.core.seeding). A row
  that exists is left exactly as it is; one an editor deleted is not made
  again, and the file's links to it are skipped; one merged into another row
  sends them there. Links are matched by what they join. Only missing rows
  and missing links are created, so loading twice creates nothing the second time.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from aiwatch.core.publishing import Status
from aiwatch.core.seeding import Fate, Seeded, find_seeded, free_slug, record_seeded
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
    # Not made, as an editor left things: the row was deleted or merged away,
    # or a row the link or claim needs was deleted.
    skipped: int = 0

    def add(self, created: bool) -> None:
        if created:
            self.created += 1
        else:
            self.existing += 1


@dataclass
class GraphReport:
    """How many rows of each kind load_graph created, found, and left out, and why."""

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
    # "entity 'sensetime': renamed to 'sensetime-group'": each entry left as an editor left it.
    left_alone: list[str] = field(default_factory=list)

    def rows(self) -> list[tuple[str, Counts]]:
        """(label, counts) per model, in loading order: 'claim relations', Counts(…)."""
        return [
            (f.name.replace("_", " "), getattr(self, f.name))
            for f in fields(self)
            if isinstance(getattr(self, f.name), Counts)
        ]

    @property
    def created(self) -> int:
        return sum(counts.created for _, counts in self.rows())

    @property
    def existing(self) -> int:
        return sum(counts.existing for _, counts in self.rows())

    @property
    def skipped(self) -> int:
        return sum(counts.skipped for _, counts in self.rows())

    def note(self, seeded: Seeded) -> None:
        if seeded.left_alone:
            self.left_alone.append(f"{seeded.label}: {seeded.left_alone}")


def _articles_for(graph: Graph) -> dict[str, Article | None]:
    """The articles the graph refers to, by key (None: deleted); GraphError if any is missing."""
    articles = {key: find_seeded(Article, key) for key in sorted(graph.article_slugs())}
    unknown = {key for key, found in articles.items() if found.fate == Fate.NEW}
    problems = []

    def check(where: str, keys: list[str]) -> None:
        problems.extend(
            f"{where}: unknown article {key!r} (import the seed articles first: seed)"
            for key in keys
            if key in unknown
        )

    for spec in graph.entities:
        check(f"{spec.where} mentioned_in", spec.mentioned_in)
    for spec in graph.events:
        check(f"{spec.where} sources", spec.sources)
    for spec in graph.claims:
        check(spec.where, [spec.article])
    if problems:
        raise GraphError(problems)
    return {key: found.row for key, found in articles.items()}


def _check_quotes(graph: Graph, articles, claims: dict[str, Seeded]) -> None:
    """GraphError unless every claim still to be made quotes its article verbatim.

    A claim already made is not checked: an editor may since have corrected
    the article's text, and the claim is theirs now.
    """
    problems = [
        f"{spec.where}: quote not found verbatim in the body of article "
        f"{spec.article!r}: {spec.quote!r}"
        for spec in graph.claims
        if claims[spec.slug].fate == Fate.NEW
        and articles[spec.article] is not None
        and spec.quote not in articles[spec.article].body
    ]
    if problems:
        raise GraphError(problems)


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


def _link(model, where: str, counts: Counts, defaults: dict | None = None, **lookup) -> None:
    """A link, unless a row it joins is gone (None): an editor deleted it, so it is skipped."""
    if any(value is None for value in lookup.values()):
        counts.skipped += 1
        return
    _, created = _get_or_create(model, where, defaults, **lookup)
    counts.add(created)


def _row_for(seeded: Seeded, counts: Counts, report: GraphReport, make: Callable):
    """The row the entry's links go to: found, or made now by `make(slug)`; None if there is none.

    `make` returns None when the row cannot be made as an editor left things.
    """
    report.note(seeded)
    if seeded.fate == Fate.NEW:
        row = make(free_slug(seeded.model, seeded.key))
        if row is None:
            counts.skipped += 1
        else:
            record_seeded(row)
            counts.created += 1
        return row
    if seeded.fate == Fate.EXISTING:
        counts.existing += 1
    else:
        counts.skipped += 1
    return seeded.row


def _description_with_sources(spec: EventSpec) -> str:
    """The Event model has no field for public source URLs, so they end its description."""
    if not spec.source_urls:
        return spec.description
    links = ", ".join(f"<{url}>" for url in spec.source_urls)
    return f"{spec.description}\n\nSources: {links}".strip()


def _load_entities(graph, articles, status, report) -> dict[str, Entity | None]:
    entities = {}
    for spec in graph.entities:
        entity = _row_for(
            find_seeded(Entity, spec.slug),
            report.entities,
            report,
            lambda slug, spec=spec: _create(
                Entity,
                spec.where,
                seed_key=spec.slug,
                slug=slug,
                name=spec.name,
                kind=spec.kind,
                description=spec.description,
                website=spec.website,
                wikidata_id=spec.wikidata_id,
                status=status,
            ),
        )
        for alias in spec.aliases:
            _link(
                Alias,
                spec.where,
                report.aliases,
                entity=entity,
                name=alias.name,
                language=alias.language,
            )
        for slug in spec.mentioned_in:
            _link(Mention, spec.where, report.mentions, entity=entity, article=articles[slug])
        entities[spec.slug] = entity
    return entities


def _load_events(graph, articles, entities, status, report) -> dict[str, Event | None]:
    events = {}
    for spec in graph.events:
        event = _row_for(
            find_seeded(Event, spec.slug),
            report.events,
            report,
            lambda slug, spec=spec: _create(
                Event,
                spec.where,
                seed_key=spec.slug,
                slug=slug,
                title=spec.title,
                date=spec.date,
                date_precision=spec.precision,
                end_date=spec.end_date,
                description=_description_with_sources(spec),
                status=status,
            ),
        )
        for participant in spec.participants:
            _link(
                Participation,
                spec.where,
                report.participations,
                defaults={"note": participant.note},
                event=event,
                entity=entities[participant.entity],
                role=participant.role,
            )
        for slug in spec.sources:
            _link(
                EventSource, spec.where, report.event_sources, event=event, article=articles[slug]
            )
        events[spec.slug] = event
    return events


def _load_claims(graph, found, articles, entities, events, status, report):
    claims = {}
    for spec in graph.claims:
        claim = _row_for(
            found[spec.slug],
            report.claims,
            report,
            lambda slug, spec=spec: _make_claim(spec, slug, articles, entities, status, report),
        )
        for slug in spec.about_entities:
            _link(
                ClaimEntity, spec.where, report.claim_entities, claim=claim, entity=entities[slug]
            )
        for slug in spec.about_events:
            _link(ClaimEvent, spec.where, report.claim_events, claim=claim, event=events[slug])
        claims[spec.slug] = claim
    return claims


def _make_claim(spec, slug, articles, entities, status, report) -> Claim | None:
    """The claim, unless an editor deleted its claimant or its article: then it cannot be made."""
    for what, key, row in [
        ("claimant", spec.claimant, entities[spec.claimant]),
        ("article", spec.article, articles[spec.article]),
    ]:
        if row is None:
            report.left_alone.append(
                f"claim {spec.slug!r}: not created: its {what} {key!r} was deleted"
            )
            return None
    return _create(
        Claim,
        spec.where,
        seed_key=spec.slug,
        slug=slug,
        statement=spec.statement,
        claimant=entities[spec.claimant],
        article=articles[spec.article],
        quote=spec.quote,
        kind=spec.kind,
        verification=spec.verification,
        verification_reason=spec.verification_reason,
        standing=spec.standing,
        deprecation=spec.deprecation,
        standing_reason=spec.standing_reason,
        status=status,
    )


def _load_relations(graph, claims, report) -> None:
    for spec in graph.relations:
        _link(
            ClaimRelation,
            spec.where,
            report.claim_relations,
            defaults={"note": spec.note},
            source=claims[spec.source],
            target=claims[spec.target],
            kind=spec.kind,
        )


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
            found = {spec.slug: find_seeded(Claim, spec.slug) for spec in graph.claims}
            _check_quotes(graph, articles, found)
            entities = _load_entities(graph, articles, status, report)
            events = _load_events(graph, articles, entities, status, report)
            claims = _load_claims(graph, found, articles, entities, events, status, report)
            _load_relations(graph, claims, report)
    except IntegrityError as error:
        # A clash with rows an editor made (the same Wikidata ID under another slug, say).
        raise GraphError(f"{path}: the database refused the graph: {error}") from error
    return report
