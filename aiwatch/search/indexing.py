"""Keeping the search index current.

Every save or delete of a content model or a link between them schedules,
on commit, a refresh of the search entries it affects: the object's own entry,
and entries whose text names it (a claim names its claimant, an event its
participants). A refresh rebuilds those entries from the database, so it does
not matter which code path made the change: the admin, a management command,
an import or the shell. Only published objects get an entry. What goes into an
entry, and what a change affects, each kind declares (aiwatch.core.registry).
"""

import itertools
import multiprocessing
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, connections, transaction
from django.db.models import Max, Min
from django.db.models.signals import post_delete, post_save

from aiwatch.core import page_cache, registry
from aiwatch.core.progress import progress
from aiwatch.search.models import SearchEntry
from aiwatch.search.text import cjk_terms

BATCH = 1000


def _each(queryset, ids, span):
    """The rows to index: those named, or all of them (or those with ids in `span`, a
    half-open range) in chunks: a rebuild of 100k rows must not hold them all in memory."""
    if ids is not None:
        return queryset.filter(pk__in=ids)
    if span is not None:
        queryset = queryset.filter(pk__gte=span[0], pk__lt=span[1])
    return queryset.order_by("pk").iterator(chunk_size=BATCH)


def _entries(kind: registry.ContentKind, ids=None, span=None):
    """The entries of a kind's published rows: those named by `ids`, or all of them."""
    for obj in _each(kind.indexed(), ids, span):
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
            standing=doc.standing,
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
            "standing",
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


# The columns a rebuild writes: all but the id and the vectors PostgreSQL generates.
_WRITTEN = [f for f in SearchEntry._meta.concrete_fields if not f.primary_key and not f.generated]
# A parallel rebuild hands each worker this many ids of one kind at a time.
SPAN = 2_000


def _copy(entries: Iterable[SearchEntry]) -> int:
    """Write entries into a table a rebuild has just emptied, with COPY: nothing can
    conflict, so no upsert is needed. A batch is made before its COPY starts: making it
    runs queries, which a connection cannot while it copies."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in _WRITTEN)
    sql = f"COPY {qn(SearchEntry._meta.db_table)} ({columns}) FROM STDIN"
    written = 0
    for batch in itertools.batched(entries, BATCH):
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for entry in batch:
                copy.write_row([getattr(entry, f.attname) for f in _WRITTEN])
        written += len(batch)
    return written


def rebuild(*, offline: bool = False, workers: int = 1, stream=None) -> int:
    """Rebuild the whole index from scratch. Returns the number of entries.

    Readers keep the old index until the new one commits. `offline` is for a database
    nobody reads meanwhile (a benchmark's, just generated): the table's indexes are
    dropped while it fills and built once at the end, a sixth faster than keeping them
    current row by row (44.9 s against 53.0 s at 10k articles), and searches wait or
    find nothing until it is done. Offline and outside a transaction, `workers`
    processes share the work, PostgreSQL computing the stored vectors being most of
    it: on 2 cores at 10k, 35.8 and 33.0 s with two workers against 56.7 and 56.7 s
    with one.
    Progress goes to `stream` (stderr). Hides a count query per kind.
    """
    kinds = searched()
    expected = sum(kind.indexed().count() for kind in kinds)
    if offline and workers > 1 and not connection.in_atomic_block and _can_fork():
        return _rebuild_in_parallel(kinds, workers, expected, stream)
    with transaction.atomic():
        if offline:
            _empty_without_indexes()
        else:
            SearchEntry.objects.all().delete()
        entries = (entry for kind in kinds for entry in _entries(kind))
        total = _copy(progress(entries, total=expected, label="search index", stream=stream))
        if offline:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for index in SearchEntry._meta.indexes:
                _add_index(index.name)
            with connection.cursor() as cursor:
                # Back to Django's default for the rest of the caller's transaction.
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        page_cache.content_changed()
    return total


def _empty_without_indexes() -> None:
    with connection.cursor() as cursor:
        # Foreign keys are checked at commit; TRUNCATE and CREATE INDEX refuse to run
        # with checks pending, so pending ones run now (and again before the indexes).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {SearchEntry._meta.db_table}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    with connection.schema_editor() as editor:
        for index in SearchEntry._meta.indexes:
            editor.remove_index(SearchEntry, index)


def _add_index(name: str) -> str:
    index = next(i for i in SearchEntry._meta.indexes if i.name == name)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Index builds sort in memory up to this; the default (64 MB) spills to disk.
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        with connection.schema_editor() as editor:
            editor.add_index(SearchEntry, index)
    return name


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _fill(task: tuple[str, int, int]) -> int:
    """In a worker: the entries of one kind's rows with ids in [low, high)."""
    key, low, high = task
    with transaction.atomic():
        return _copy(_entries(registry.by_key(key), span=(low, high)))


def _spans(kinds) -> list[tuple[str, int, int]]:
    tasks = []
    for kind in kinds:
        bounds = kind.indexed().aggregate(low=Min("pk"), high=Max("pk"))
        if bounds["low"] is None:
            continue
        for low in range(bounds["low"], bounds["high"] + 1, SPAN):
            tasks.append((kind.key, low, min(low + SPAN, bounds["high"] + 1)))
    return tasks


def _close_connections() -> None:
    """Before a fork: a worker must open connections of its own, not share the parent's
    sockets or its connection pool (whose connections it would otherwise reuse)."""
    for conn in connections.all(initialized_only=True):
        conn.close()
        if getattr(conn, "pool", None) is not None:
            conn.close_pool()


def _rebuild_in_parallel(kinds, workers: int, expected: int, stream) -> int:
    with transaction.atomic():
        _empty_without_indexes()
    tasks = _spans(kinds)
    _close_connections()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        written = sum(
            progress(
                pool.imap_unordered(_fill, tasks),
                total=len(tasks),
                label=f"search index ({expected} entries, {workers} workers)",
                stream=stream,
            )
        )
        # CREATE INDEX takes a lock other index builds share: the five build side by side.
        pool.map(_add_index, [index.name for index in SearchEntry._meta.indexes], chunksize=1)
    page_cache.content_changed()
    return written


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
