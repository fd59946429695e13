"""Readers' reads from a read replica; everything else from the primary.

Settings list ReplicaRouter in DATABASE_ROUTERS, and ReplicaRoutingMiddleware in
MIDDLEWARE, only when DATABASE_REPLICA_URLS is set. The middleware decides, once
per request, whether its reads may go to a replica, and says so in a context
variable; the router reads it. Outside a request (management commands,
migrations, the shell, tests) nothing is set and every query goes to the primary.

A request reads from a replica only when it is a GET or HEAD outside the admin,
from a client that is not signed in and has not written in the last
AIWATCH_READ_YOUR_WRITES_SECONDS. Signed-in users (editors) always read from
the primary: they are few, and they are the ones who must see their edit at
once, wherever they look at it next. The "wrote" cookie covers a client who
wrote and is not signed in (just signed out, say). Any write sends the rest of
its request's reads to the primary too.

A request picks one healthy replica (aiwatch.core.replicas) at its first read
and keeps it, so one page is not assembled from two replicas at two points in
time. When a read on it fails because the server is gone, the replica is marked
down and the request runs once more, on the primary: a reader gets the page, not
a 503, in the seconds before the next health check would have noticed.
"""

import contextlib
import random
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
)
from django.http import HttpResponse
from django.urls import reverse
from psycopg import errors

from aiwatch.core.replicas import replica_aliases, replica_health

WROTE_COOKIE = "aiwatch_wrote"
_WROTE_SALT = "aiwatch.core.routers.wrote"


@dataclass
class Routing:
    """What the current request may read from, and what it did."""

    replica_allowed: bool
    replica: str | None = None  # the alias its reads go to, chosen at its first read
    wrote: bool = False
    replica_failed: bool = False


_routing: ContextVar[Routing | None] = ContextVar("aiwatch_read_routing", default=None)
# The primary's WAL position a replica must have replayed to serve this request's reads.
_at_least: ContextVar[int | None] = ContextVar("aiwatch_replica_at_least", default=None)


@contextlib.contextmanager
def replica_reads_include(position: int | None):
    """Within the block, read only from a replica that has replayed up to `position`.

    For a page the page cache keeps under a content version: rendered from a
    replica that has not yet replayed the edit that made the version, it would
    keep the page from before the edit under the version meant to replace it.
    """
    token = _at_least.set(position)
    try:
        yield
    finally:
        _at_least.reset(token)


class ReplicaRouter:
    def __init__(self, health=None):
        self.health = health or replica_health

    def db_for_read(self, model, **hints):
        """Makes no query: the replicas' health comes from the last check."""
        routing = _routing.get()
        if routing is None or not routing.replica_allowed or routing.wrote:
            return DEFAULT_DB_ALIAS
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db  # an object's relations from where it was read
        if routing.replica is None:
            healthy = self.health.healthy(at_least=_at_least.get())
            routing.replica = random.choice(healthy) if healthy else DEFAULT_DB_ALIAS
        return routing.replica

    def db_for_write(self, model, **hints):
        routing = _routing.get()
        if routing is not None:
            routing.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replicas hold the primary's rows: an object read from one may point at another's.
        same = {DEFAULT_DB_ALIAS, *replica_aliases()}
        if obj1._state.db in same and obj2._state.db in same:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A standby is read-only and takes the primary's schema through replication.
        return db == DEFAULT_DB_ALIAS


class ReplicaRoutingMiddleware:
    """Decide whether this request's reads may go to a replica; retry it if that replica fails.

    Hides a query for a client with a session cookie: whether its session is
    signed in (read from the primary, and the next thing the page would do anyway).
    """

    def __init__(self, get_response, health=None):
        self.get_response = get_response
        self.health = health or replica_health
        self._admin_prefix = None

    def __call__(self, request):
        routing = Routing(replica_allowed=self._replica_allowed(request))
        token = _routing.set(routing)
        try:
            response = self.get_response(request)
            if routing.replica_failed:
                # The failed attempt wrote nothing: its reads came before any write.
                retry = Routing(replica_allowed=False)
                _routing.set(retry)
                response = self.get_response(request)
                routing.wrote = retry.wrote
        finally:
            _routing.reset(token)
        seconds = settings.AIWATCH_READ_YOUR_WRITES_SECONDS
        if routing.wrote and seconds:
            response.set_signed_cookie(
                WROTE_COOKIE,
                "1",  # the signature carries the time it was written, which max_age checks
                salt=_WROTE_SALT,
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_exception(self, request, exception):
        routing = _routing.get()
        if routing is None or routing.replica in (None, DEFAULT_DB_ALIAS):
            return None
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if isinstance(exception.__cause__, errors.QueryCanceled):
            return None  # a statement too slow for the timeout: the server is fine
        if not connections[routing.replica].errors_occurred:
            return None  # the primary failed, not the replica
        self.health.mark_down(routing.replica, str(exception).strip().split("\n")[0])
        routing.replica_failed = True
        # A stand-in, which __call__ drops for the retry's response: answering here keeps
        # DatabaseUnavailableMiddleware from rendering and logging an outage that is not one.
        return HttpResponse(status=503)

    def _replica_allowed(self, request) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        if request.path_info.startswith(self._admin()):
            return False
        seconds = settings.AIWATCH_READ_YOUR_WRITES_SECONDS
        if seconds and request.get_signed_cookie(
            WROTE_COOKIE, default=None, salt=_WROTE_SALT, max_age=seconds
        ):
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = getattr(request, "user", None)
            try:
                if user is not None and user.is_authenticated:
                    return False
            except DatabaseError:
                # The primary is gone. Raised here it would be a 500; the view meets the
                # same error reading the user again and answers with the 503 page.
                return False
        return True

    def _admin(self) -> str:
        if self._admin_prefix is None:
            self._admin_prefix = reverse("admin:index")
        return self._admin_prefix
