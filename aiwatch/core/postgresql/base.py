"""Django's PostgreSQL backend, failing fast while the server is gone and recovering by itself.

Every new connection, pooled or not, passes the server's circuit breaker
(aiwatch.core.circuit): while it is open, connecting raises DatabaseUnreachable
at once, which Django raises as OperationalError and DatabaseUnavailableMiddleware
answers with the 503 page, in a millisecond rather than after the pool's wait.

What opens it: a direct connection that fails (no pool), or, with psycopg's
pool, a pooled connection that fails its check while the server refuses a
fresh connection too, or a wait for a connection that ends while the pool's
own attempts to connect were failing. A pool that is merely busy times out
(PoolTimeout, also a 503) without opening it.

What closes it: the half-open probe. Without a pool the probe is the request's
own connection. With one, it is a direct connection; when it succeeds the pool
is replaced by a fresh one, because the old pool holds connections the server
dropped and schedules its reconnection attempts with an exponential backoff
(1, 2, 4 … s, for up to reconnect_timeout): after a minute's outage it could
take another minute to notice the server is back.
"""

import threading
import time

import psycopg
from django.conf import settings
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.postgresql import base
from psycopg_pool import ConnectionPool, PoolTimeout

from aiwatch.core.circuit import Admission, CircuitBreaker


class DatabaseUnreachable(psycopg.OperationalError):
    """The server could not be reached just now, so no connection was attempted."""


_breakers: dict[tuple, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(settings_dict) -> CircuitBreaker:
    """The circuit breaker of a database's settings, shared by every thread.

    One per server, database and user: a connection refused for a wrong name or
    password (which look the same as a server that is gone, no SQLSTATE) must not
    stop Django from falling back to another database on that server, as it does
    when it cannot use "postgres" to create the test database.
    """
    key = tuple(str(settings_dict.get(k)) for k in ("HOST", "PORT", "NAME", "USER"))
    with _breakers_lock:
        if key not in _breakers:
            seconds = getattr(settings, "DATABASE_CIRCUIT_OPEN_MS", 1000) / 1000
            _breakers[key] = CircuitBreaker(seconds)
        return _breakers[key]


def why_unreachable(kwargs) -> str | None:
    """Why a fresh connection cannot be opened now, or None if it can.

    Opens (and closes) one: a round trip or two, or up to connect_timeout
    for a host that does not answer.
    """
    try:
        psycopg.connect(**kwargs).close()
    except psycopg.OperationalError as exc:
        return str(exc).strip() or type(exc).__name__
    return None


def unreachable_database() -> str | None:
    """One line naming the first configured database that cannot be reached now, or None.

    Tries a fresh connection to each (see why_unreachable): for a terminal, when a
    command failed with an error that may only mean the server is gone.
    """
    from django.db import connections

    for wrapper in connections.all(initialized_only=False):
        try:
            reason = why_unreachable(wrapper.get_connection_params())
        except Exception:  # settings too broken to connect with: the error itself says why
            continue
        if reason:
            where = f"{wrapper.settings_dict.get('HOST') or 'localhost'}, database "
            where += repr(wrapper.settings_dict.get("NAME"))
            return f"cannot reach the database ({where}): {reason.splitlines()[0]}"
    return None


class GuardedPool(ConnectionPool):
    """psycopg's pool, which tells a dropped connection from a server that is gone.

    psycopg's own `check` discards a broken connection and tries the next after
    a backoff of a second or more; when the server is down, every request then
    waits out the pool's whole timeout. Here a failed check asks the server
    directly: if it answers (it restarted, or killed that one connection), the
    next connection is tried at once; if not, the breaker opens and the request
    fails now.
    """

    def __init__(self, *args, breaker: CircuitBreaker, check=None, **kwargs):
        super().__init__(*args, check=None, **kwargs)
        self._check_before_use = check
        self._breaker = breaker

    def getconn(self, timeout: float | None = None):
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        errors_before = self.get_stats().get(self._CONNECTIONS_ERRORS, 0)
        while True:
            try:
                conn = super().getconn(max(0.0, deadline - time.monotonic()))
            except PoolTimeout:
                if self.get_stats().get(self._CONNECTIONS_ERRORS, 0) > errors_before:
                    # The pool was trying to connect, and failing, while this request waited.
                    self._breaker.failed()
                    raise DatabaseUnreachable(
                        "The pool's attempts to connect to the database failed (logged by"
                        " psycopg_pool as 'error connecting')."
                    ) from None
                raise  # every connection is busy: a 503, but the server is fine
            if self._check_before_use is None:
                return conn
            try:
                self._check_before_use(conn)
            except Exception:
                self.putconn(conn)  # broken: the pool discards it and opens another
                if reason := why_unreachable(self.kwargs):
                    self._breaker.failed()
                    raise DatabaseUnreachable(f"The database stopped answering: {reason}") from None
                continue
            return conn


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def breaker(self) -> CircuitBreaker:
        return breaker_for(self.settings_dict)

    @property
    def pool(self):
        """Django's pool, made a GuardedPool: Django builds a plain ConnectionPool."""
        options = self.settings_dict["OPTIONS"].get("pool")
        if (
            options
            and self.alias != NO_DB_ALIAS
            and self.alias not in self._connection_pools
            and self.settings_dict.get("CONN_MAX_AGE", 0) == 0  # else Django raises
        ):
            options = {} if options is True else {**options}
            checks = self.settings_dict["CONN_HEALTH_CHECKS"]
            options.setdefault("check", ConnectionPool.check_connection if checks else None)
            # As Django does: autocommit, which Django sets properly later on.
            kwargs = {**self.get_connection_params(), "autocommit": True}
            pool = GuardedPool(
                kwargs=kwargs,
                open=False,
                configure=self._configure_connection,
                breaker=self.breaker,
                **options,
            )
            self._connection_pools.setdefault(self.alias, pool)
        return super().pool

    def get_new_connection(self, conn_params):
        breaker = self.breaker
        admission = breaker.admit()
        if admission is Admission.REFUSE:
            raise DatabaseUnreachable(
                "The database could not be reached a moment ago; not trying again yet."
            )
        try:
            if admission is Admission.PROBE and self.pool:
                self._renew_pool_if_server_answers()
            connection = super().get_new_connection(conn_params)
        except Exception as exc:
            # GuardedPool reports what it learns; a direct connection is reported here.
            if admission is Admission.PROBE or (
                not self.pool and isinstance(exc, psycopg.OperationalError)
            ):
                breaker.failed()
            raise
        if admission is Admission.PROBE:
            breaker.succeeded()
        return connection

    def _renew_pool_if_server_answers(self):
        if reason := why_unreachable(self.pool.kwargs):
            raise DatabaseUnreachable(f"The database is still not answering: {reason}")
        old = self._connection_pools.pop(self.alias, None)
        if old is not None:
            # Connections still out are closed as they come back; no waiting for its workers.
            old.close(timeout=0)
