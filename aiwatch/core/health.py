"""Health checks for load balancers and orchestrators.

/healthz answers whether this process is alive and serving: it touches
nothing else, so a database outage does not get every web node restarted.
/readyz answers whether this node should get traffic: the database answers,
every migration this code knows is applied, and the cache takes a write. With
read replicas it also tells each one's state, which does not make it unready.
Both are never cached, by a browser, a proxy or the site's own cache.
"""

import json
import logging
import os
import secrets
import threading

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from aiwatch.core.replicas import replica_aliases, replica_health

logger = logging.getLogger("aiwatch")

# How long a node that is not ready asks to be left alone before it is asked again.
RETRY_AFTER_SECONDS = 10


@never_cache
@require_safe
def healthz(request):
    """The process is up and its workers answer. Makes no query."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def readyz(request):
    """200 when the database, the migrations and the cache are all fine, else 503 naming which.

    Hides queries: reads django_migrations (which also proves the database
    answers), and a cache write and read; with read replicas, a connection to
    each and one to the primary, at most once a second (aiwatch.core.replicas).
    """
    checks = {"database": "ok", "migrations": "ok", "cache": _check_cache()}
    try:
        unapplied = _unapplied_migrations()
    except DatabaseError as error:
        logger.warning("Readiness: the database is unreachable: %s", error)
        checks["database"] = "unreachable"
        checks["migrations"] = "unknown"
    else:
        if unapplied:
            checks["migrations"] = f"{len(unapplied)} unapplied, first {unapplied[0]}"
    ready = all(value == "ok" for value in checks.values())
    report = {"status": "ok" if ready else "unavailable", "checks": checks}
    if replica_aliases():
        # Told, not counted: without a replica the primary serves every read.
        report["replicas"] = {
            alias: status.detail for alias, status in replica_health.statuses().items()
        }
    body = json.dumps(report, indent=1)
    status = 200 if ready else 503
    response = HttpResponse(body + "\n", content_type="application/json", status=status)
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _unapplied_migrations() -> list[str]:
    """The migrations on disk that the database has not recorded, as "app.name", in order.

    Reads the migration files (imported once per process, a few milliseconds after that)
    and django_migrations; squashed migrations are resolved as `migrate` does.
    """
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _check_cache() -> str:
    # One key per thread, so concurrent probes never read each other's value, and a
    # local-memory cache holds one entry per thread instead of one per probe.
    key = f"aiwatch:readyz:{os.getpid()}:{threading.get_ident()}"
    value = secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=60)
        if cache.get(key) != value:
            return "not keeping what is written"
    except Exception as error:  # each backend has its own errors (redis, memcached, files)
        logger.warning("Readiness: the cache is unreachable: %s", error)
        return "unreachable"
    return "ok"
