import contextlib
import logging

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import Http404, HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from psycopg import errors
from psycopg.pq import TransactionStatus

logger = logging.getLogger("aiwatch")


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection into a 503 page instead of a 500 with a traceback.

    OperationalError and InterfaceError mean the server is down, restarting,
    unreachable or too busy (psycopg's pool timed out: every connection in use);
    other database errors (a constraint, bad SQL) are bugs and still surface as
    500s. A statement cancelled by the statement timeout (SQLSTATE 57014, an
    OperationalError too) gets its own page: the server is fine, that page was
    too slow. The pages are rendered without the request so that no context
    processor touches the database that just failed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if isinstance(exception.__cause__, errors.QueryCanceled):
            logger.warning("Statement timeout while serving %s: %s", request.path, exception)
            # 503 rather than 504: no gateway timed out; the origin gave up on its own work.
            page = render_to_string(
                "too_slow.html",
                {"search": request.path == reverse("search"), "q": request.GET.get("q", "")},
            )
            response = HttpResponse(page, status=503)
            response["Retry-After"] = "10"
            return response
        logger.error("Database unavailable while serving %s: %s", request.path, exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response


class StatementTimeoutMiddleware:
    """Run a public request's SQL under AIWATCH_STATEMENT_TIMEOUT_MS.

    A reader's request that takes seconds of database time helps nobody and
    holds a connection others are waiting for; PostgreSQL cancels the statement
    and DatabaseUnavailableMiddleware answers with the "took too long" page.
    The admin has none: an editor's import or export may rightly take long, and
    editors are few. Management commands and migrations do not pass through
    here, so they have none either.

    The timeout is set on each connection the request uses, before its first
    query (a hidden round trip, `SET`), and reset at the end (another), so a
    pooled connection never carries a reader's timeout into an editor's request.
    A request that makes no query costs nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix = None

    def __call__(self, request):
        milliseconds = settings.AIWATCH_STATEMENT_TIMEOUT_MS
        if not milliseconds or request.path_info.startswith(self._admin()):
            return self.get_response(request)
        # Every database alias: a read sent to another server is a reader's request too.
        timeouts = [(db, _StatementTimeout(milliseconds)) for db in connections.all()]
        try:
            with contextlib.ExitStack() as wrappers:
                for db, timeout in timeouts:
                    wrappers.enter_context(db.execute_wrapper(timeout))
                return self.get_response(request)
        finally:
            for _, timeout in timeouts:
                timeout.reset()

    def _admin(self):
        if self._admin_prefix is None:
            self._admin_prefix = reverse("admin:index")
        return self._admin_prefix


_FAILED = TransactionStatus.INERROR


class _StatementTimeout:
    """An execute wrapper: SET statement_timeout on a connection before its first query."""

    def __init__(self, milliseconds: int):
        self.milliseconds = int(milliseconds)
        self.applied_to = None  # the psycopg connection the timeout is known to be set on
        self.used = None  # the psycopg connection to reset at the end

    def __call__(self, execute, sql, params, many, context):
        raw = context["connection"].connection
        # In a failed transaction the SET would fail too: let Django report the query's error.
        if raw is not self.applied_to and raw.info.transaction_status is not _FAILED:
            # On the psycopg connection itself: not one of the page's queries.
            with context["connection"].wrap_database_errors, raw.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {self.milliseconds}")
            self.applied_to = self.used = raw
        try:
            return execute(sql, params, many, context)
        except Exception:
            # A SET made in a transaction that now rolls back is undone with it: set it again.
            self.applied_to = None
            raise

    def reset(self):
        raw, self.used, self.applied_to = self.used, None, None
        if raw is None or raw.closed:
            return
        if raw.info.transaction_status not in (TransactionStatus.IDLE, TransactionStatus.INTRANS):
            return  # broken, or a failed transaction whose rollback undoes the SET
        # A connection lost meanwhile is the pool's to discard.
        with contextlib.suppress(psycopg.Error), raw.cursor() as cursor:
            cursor.execute("RESET statement_timeout")


class DropNulMiddleware:
    """Drop NUL characters from the names and values of every GET and POST parameter.

    PostgreSQL can neither store nor compare text holding NUL: a view that hands
    a parameter to a query without a form (the admin's autocomplete and list
    filters, its history of an object) would answer 500. Nobody types a NUL; a
    value without it is what was meant. A path holding one names no page: 404.
    Forms drop the other control characters (aiwatch.core.forms).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("No page has a NUL character in its address.")
        request.GET = _without_nul(request.GET)
        if request.method == "POST":
            # A body the client broke off is left for the view to find, as without this.
            with contextlib.suppress(OSError):
                request.POST = _without_nul(request.POST)
        return self.get_response(request)


def _without_nul(params: QueryDict) -> QueryDict:
    if not any("\x00" in key or "\x00" in "".join(values) for key, values in params.lists()):
        return params
    cleaned = QueryDict(mutable=True, encoding=params.encoding)
    for key, values in params.lists():
        for value in values:
            cleaned.appendlist(key.replace("\x00", ""), value.replace("\x00", ""))
    cleaned._mutable = False
    return cleaned
