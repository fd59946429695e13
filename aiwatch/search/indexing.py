"""Keeping the search index current.

Every save or delete of a content model or a link between them schedules,
on commit, a refresh of the search entries it affects: the object's own entry,
and entries whose text names it (a claim names its claimant, an event its
participants). A refresh rebuilds those entries from the database, so it does
not matter which code path made the change: the admin, a management command,
an import or the shell. Only published objects get an entry.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save

from aiwatch.models import SearchEntry, SearchKind
from aiwatch.publishing import Status
from aiwatch.search.text import cjk_terms
from articles.models import Article, Source
from entities.models import (
    Alias,
    Claim,
    ClaimEntity,
    Entity,
    Event,
    Mention,
    Participation,
)

BATCH = 1000
# Linked entities lend their names and aliases to an entry's keywords, so a
# search for SenseTime finds an article that only says 商汤科技.
PUBLISHED_ENTITIES = (
    Entity.objects.filter(status=Status.PUBLISHED).only("id", "name").prefetch_related("aliases")
)


def _each(queryset, ids):
    """The rows to index: those named, or all of them in chunks (a rebuild of 100k rows
    must not hold them all in memory at once)."""
    if ids is not None:
        return queryset.filter(pk__in=ids)
    return queryset.order_by("pk").iterator(chunk_size=BATCH)


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _names(entities) -> str:
    return _join(*(_join(e.name, *(a.name for a in e.aliases.all())) for e in entities))


def _entry(
    kind,
    obj,
    *,
    title,
    keywords="",
    body="",
    date=None,
    date_precision="day",
    outlet_id=None,
    entity_ids=(),
    claim_kind="",
    verification="",
) -> SearchEntry:
    return SearchEntry(
        kind=kind,
        object_id=obj.pk,
        title=title,
        url=obj.get_absolute_url(),
        keywords=keywords,
        body=body,
        cjk_title=cjk_terms(f"{title} {keywords}"),
        cjk_body=cjk_terms(body),
        date=date,
        date_precision=date_precision,
        outlet_id=outlet_id,
        entity_ids=sorted(set(entity_ids)),
        claim_kind=claim_kind,
        verification=verification,
    )


def _articles(ids=None):
    qs = (
        Article.objects.published()
        .select_related("source")
        .prefetch_related(
            Prefetch(
                "mentions",
                queryset=Mention.objects.accepted()
                .filter(entity__status=Status.PUBLISHED)
                .select_related("entity")
                .prefetch_related("entity__aliases"),
            )
        )
    )
    for a in _each(qs, ids):
        linked = [m.entity for m in a.mentions.all()]
        yield _entry(
            SearchKind.ARTICLE,
            a,
            title=a.title,
            keywords=_join(a.source.name if a.source else "", a.author, _names(linked)),
            body=f"{a.summary}\n\n{a.body}".strip(),
            date=a.published_on,
            outlet_id=a.source_id,
            entity_ids=[e.pk for e in linked],
        )


def _entities(ids=None):
    qs = Entity.objects.published().prefetch_related("aliases")
    for e in _each(qs, ids):
        yield _entry(
            SearchKind.ENTITY,
            e,
            title=e.name,
            keywords=_join(*(a.name for a in e.aliases.all()), e.get_kind_display()),
            body=e.description,
            entity_ids=[e.pk],
        )


def _events(ids=None):
    qs = Event.objects.published().prefetch_related(
        Prefetch(
            "participations",
            queryset=Participation.objects.filter(entity__status=Status.PUBLISHED)
            .select_related("entity")
            .prefetch_related("entity__aliases"),
        )
    )
    for e in _each(qs, ids):
        parts = list(e.participations.all())
        yield _entry(
            SearchKind.EVENT,
            e,
            title=e.title,
            # The date as words ("July 2024") lets "April 2023 breach" find the event.
            keywords=_join(
                e.date_display,
                _names(p.entity for p in parts),
                *(p.role for p in parts),
            ),
            body=e.description,
            date=e.date,
            date_precision=e.date_precision,
            entity_ids=[p.entity_id for p in parts],
        )


def _claims(ids=None):
    qs = (
        Claim.objects.published()
        .select_related("claimant", "article")
        .prefetch_related(Prefetch("about_entities", queryset=PUBLISHED_ENTITIES))
    )
    for c in _each(qs, ids):
        claimant_published = c.claimant.status == Status.PUBLISHED
        about = list(c.about_entities.all())
        yield _entry(
            SearchKind.CLAIM,
            c,
            title=c.statement,
            keywords=_join(c.claimant.name if claimant_published else "", _names(about)),
            body="\n\n".join(filter(None, [c.quote, c.verification_reason])),
            date=c.article.published_on,
            outlet_id=c.article.source_id,
            entity_ids=[e.pk for e in about] + ([c.claimant_id] if claimant_published else []),
            claim_kind=c.kind,
            verification=c.verification,
        )


BUILDERS = {
    SearchKind.ARTICLE: _articles,
    SearchKind.ENTITY: _entities,
    SearchKind.EVENT: _events,
    SearchKind.CLAIM: _claims,
}


def _save(entries: list[SearchEntry]) -> None:
    SearchEntry.objects.bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=[
            "title",
            "url",
            "keywords",
            "body",
            "cjk_title",
            "cjk_body",
            "date",
            "date_precision",
            "outlet_id",
            "entity_ids",
            "claim_kind",
            "verification",
        ],
    )


def refresh(targets: Iterable[tuple[str, int]]) -> None:
    """Rebuild the entries of these (kind, object id) pairs; drop those no longer published.

    Hides a few queries per kind named.
    """
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, pk in targets:
        by_kind[kind].add(pk)
    for kind, ids in by_kind.items():
        entries = list(BUILDERS[kind](ids))
        _save(entries)
        gone = ids - {e.object_id for e in entries}
        if gone:
            SearchEntry.objects.filter(kind=kind, object_id__in=gone).delete()


def rebuild() -> int:
    """Rebuild the whole index from scratch, in batches. Returns the number of entries."""
    total = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        for build in BUILDERS.values():
            batch: list[SearchEntry] = []
            for entry in build():
                batch.append(entry)
                if len(batch) >= BATCH:
                    _save(batch)
                    total += len(batch)
                    batch = []
            _save(batch)
            total += len(batch)
    return total


# --- What a change affects ------------------------------------------------------


def _affected(instance) -> list[tuple[str, int]]:
    match instance:
        case Article():
            claims = Claim.objects.filter(article=instance).values_list("pk", flat=True)
            return [(SearchKind.ARTICLE, instance.pk), *((SearchKind.CLAIM, c) for c in claims)]
        case Entity():
            return _entity_affected(instance.pk)
        case Alias():
            # By id: the entity may be mid-deletion (a cascade) or mid-recovery.
            return _entity_affected(instance.entity_id)
        case Event():
            return [(SearchKind.EVENT, instance.pk)]
        case Claim():
            return [(SearchKind.CLAIM, instance.pk)]
        case Mention():
            return [(SearchKind.ARTICLE, instance.article_id)]
        case Participation():
            return [(SearchKind.EVENT, instance.event_id)]
        case ClaimEntity():
            return [(SearchKind.CLAIM, instance.claim_id)]
        case Source():
            articles = Article.objects.filter(source=instance).values_list("pk", flat=True)
            return [(SearchKind.ARTICLE, a) for a in articles]
    return []


def _entity_affected(entity_id: int) -> list[tuple[str, int]]:
    """An entity's entry, and the entries that carry its name: claims, events, articles."""
    claims = Claim.objects.filter(claimant_id=entity_id).values_list("pk", flat=True)
    about = ClaimEntity.objects.filter(entity_id=entity_id).values_list("claim_id", flat=True)
    events = Participation.objects.filter(entity_id=entity_id).values_list("event_id", flat=True)
    articles = Mention.objects.filter(entity_id=entity_id).values_list("article_id", flat=True)
    return [
        (SearchKind.ENTITY, entity_id),
        *((SearchKind.CLAIM, c) for c in {*claims, *about}),
        *((SearchKind.EVENT, e) for e in events),
        *((SearchKind.ARTICLE, a) for a in articles),
    ]


def _schedule(sender, instance, **kwargs):
    targets = _affected(instance)
    if targets:
        transaction.on_commit(lambda: refresh(targets))


WATCHED = (Article, Source, Entity, Alias, Event, Claim, Mention, Participation, ClaimEntity)


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_schedule, sender=model, dispatch_uid=f"search-save-{model.__name__}")
        post_delete.connect(_schedule, sender=model, dispatch_uid=f"search-delete-{model.__name__}")
