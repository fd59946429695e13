"""Keeping the search index current.

Every save or delete of a content model or a link between them schedules,
on commit, a refresh of the search entries it affects: the object's own entry,
and entries whose text names it (a claim names its claimant, an event its
participants). A refresh rebuilds those entries from the database, so it does
not matter which code path made the change: the admin, a management command,
an import or the shell. Only published objects get an entry. What goes into an
entry, and what a change affects, each kind declares (aiwatch.core.registry).
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from aiwatch.core import page_cache, registry
from aiwatch.search.models import SearchEntry
from aiwatch.search.text import cjk_terms

BATCH = 1000


def _each(queryset, ids):
    """The rows to index: those named, or all of them in chunks (a rebuild of 100k rows
    must not hold them all in memory at once)."""
    if ids is not None:
        return queryset.filter(pk__in=ids)
    return queryset.order_by("pk").iterator(chunk_size=BATCH)


def _entries(kind: registry.ContentKind, ids=None):
    """The entries of a kind's published rows: those named by `ids`, or all of them."""
    for obj in _each(kind.indexed(), ids):
        doc = kind.document(obj)
        yield SearchEntry(
            kind=kind.key,
            object_id=obj.pk,
            title=doc.title,
            url=obj.get_absolute_url(),
            keywords=doc.keywords,
            body=doc.body,
            cjk_title=cjk_terms(f"{doc.title} {doc.keywords}"),
            cjk_body=cjk_terms(doc.body),
            date=doc.date,
            date_precision=doc.date_precision,
            outlet_id=doc.outlet_id,
            entity_ids=sorted(set(doc.entity_ids)),
            claim_kind=doc.claim_kind,
            verification=doc.verification,
            role=doc.role,
            republication=doc.republication,
        )


def searched() -> list[registry.ContentKind]:
    """The kinds that have search entries."""
    return [kind for kind in registry.kinds() if kind.indexed() is not None]


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
            "role",
            "republication",
        ],
    )


def refresh(targets: Iterable[tuple[str, int]]) -> None:
    """Rebuild the entries of these (kind, object id) pairs; drop those no longer published.

    Hides a few queries per kind named.
    """
    by_kind: dict[str, set[int]] = defaultdict(set)
    for key, pk in targets:
        by_kind[key].add(pk)
    for key, ids in by_kind.items():
        entries = list(_entries(registry.by_key(key), ids))
        _save(entries)
        gone = ids - {e.object_id for e in entries}
        if gone:
            SearchEntry.objects.filter(kind=key, object_id__in=gone).delete()
    # bulk_create sends no signal, and this runs after the edit's own commit: search
    # pages kept in between, under the version that commit made, are dropped too.
    page_cache.content_changed()


def rebuild(*, offline: bool = False) -> int:
    """Rebuild the whole index from scratch, in batches. Returns the number of entries.

    Readers keep the old index until the new one commits. `offline` is for a database
    nobody reads meanwhile (a benchmark's, just generated): the table's indexes are
    dropped while it fills and built once at the end, a sixth faster than keeping them
    current row by row (44.9 s against 53.0 s at 10k articles; computing the generated
    vectors is most of the rest), but searches wait for the commit.
    """
    total = 0
    indexes = SearchEntry._meta.indexes
    with transaction.atomic():
        if offline:
            with connection.cursor() as cursor:
                # Foreign keys are checked at commit; TRUNCATE and CREATE INDEX refuse to
                # run with checks pending, so pending ones run now (and again below).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {SearchEntry._meta.db_table}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                # Index builds sort in memory up to this; the default (64 MB) spills to disk.
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            with connection.schema_editor() as editor:
                for index in indexes:
                    editor.remove_index(SearchEntry, index)
        else:
            SearchEntry.objects.all().delete()
        for kind in searched():
            batch: list[SearchEntry] = []
            for entry in _entries(kind):
                batch.append(entry)
                if len(batch) >= BATCH:
                    _save(batch)
                    total += len(batch)
                    batch = []
            _save(batch)
            total += len(batch)
        if offline:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with connection.schema_editor() as editor:
                for index in indexes:
                    editor.add_index(SearchEntry, index)
            with connection.cursor() as cursor:
                # Back to Django's default for the rest of the caller's transaction.
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        page_cache.content_changed()
    return total


def _schedule(sender, instance, **kwargs):
    targets = registry.affected(instance)
    if targets:
        transaction.on_commit(lambda: refresh(targets))


# The models connect() listened to; the system checks compare it with the registry.
CONNECTED: set = set()


def connect() -> None:
    """Listen to each model whose changes make entries stale, as the registry names them.

    One receiver per model, not one for every save: a model with a delete
    receiver loses Django's fast delete, and a rebuild empties the index in
    one statement only because SearchEntry has none. Apps that register kinds
    come before search in INSTALLED_APPS; a check (search.E003) says so if not.
    """
    for model in registry.watched():
        uid = model._meta.label
        post_save.connect(_schedule, sender=model, dispatch_uid=f"search-save-{uid}")
        post_delete.connect(_schedule, sender=model, dispatch_uid=f"search-delete-{uid}")
        CONNECTED.add(model)
