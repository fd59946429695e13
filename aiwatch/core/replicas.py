"""Which read replicas may serve readers now: reachable, a standby, and not too far behind.

Each process checks its replicas (DATABASE_REPLICA_URLS, the aliases replica_1,
replica_2, …) at most every AIWATCH_REPLICA_CHECK_SECONDS, in a background thread,
so that no request waits for a check: requests use the last result, and until the
first check has answered they read from the primary. A read that fails on a
replica marks it down at once (aiwatch.core.routers retries the request on the
primary), until a later check finds it well again.

Lag. `now() - pg_last_xact_replay_timestamp()` on the standby is the age of the
last transaction it replayed, which on an idle primary grows without any lag.
So a replica that has replayed everything the primary has written
(pg_last_wal_replay_lsn() >= the primary's pg_current_wal_lsn(), the primary read
first) is 0 s behind. One that has not is at most as far behind as the most recent
check at which the primary's position was one it has replayed (this process keeps
the primary's positions of the last checks), and at most the age of its last
replayed transaction: the smaller of the two is its lag. After a long quiet spell
with no checks, a write in the instant before a check can make a replica look
behind for one interval: its readers then read from the primary, which is safe.

While the primary cannot be reached its lag cannot be measured, and a reachable
standby keeps serving readers: what it has is all there is to read.
"""

import logging
import math
import threading
import time
from collections import deque
from dataclasses import dataclass

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger("aiwatch")

# A check must not hang its thread on a server that does not answer (libpq's minimum is 2 s).
CHECK_TIMEOUT_SECONDS = 2


@dataclass(frozen=True)
class Status:
    healthy: bool
    detail: str  # "ok", "unreachable", "lagging 42 s behind the primary …": /readyz shows it
    lag_seconds: float | None = None
    error: str = ""  # the server's message, for the log only: it may name hosts
    replayed: int | None = None  # its pg_last_wal_replay_lsn() at the check, in bytes


NOT_CHECKED = Status(False, "not checked yet")


def replica_aliases() -> list[str]:
    """The replicas' aliases, from settings (no query)."""
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


def lsn(text: str) -> int:
    """A pg_lsn ("16/B374D848") as a number of bytes."""
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def connect_params(alias: str) -> dict:
    """psycopg.connect() arguments for a database alias, with a connect timeout."""
    params = connections[alias].get_connection_params()
    for key in ("context", "cursor_factory", "prepare_threshold"):
        params.pop(key, None)
    params.setdefault("connect_timeout", CHECK_TIMEOUT_SECONDS)
    return {**params, "autocommit": True}


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class ReplicaHealth:
    """The replicas' last known status, shared by every thread of the process."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._checking = threading.Lock()  # one check at a time
        self._statuses: dict[str, Status] = {}  # replaced whole, never changed in place
        self._checked_at: float | None = None
        self._primary_answered = True
        # (when, the primary's WAL position then) at the last checks, oldest first.
        self._primary_positions: deque[tuple[float, int]] = deque()

    def healthy(self, at_least: int | None = None) -> list[str]:
        """The replicas that may serve a read now, by the last check. Makes no query.

        `at_least`: only those that had replayed the primary's WAL up to this
        position at that check (replay only moves forward, so they have it now).

        When that check is older than AIWATCH_REPLICA_CHECK_SECONDS, a new one is
        started in a background thread; this call does not wait for it.
        """
        if self._due(settings.AIWATCH_REPLICA_CHECK_SECONDS) and self._checking.acquire(
            blocking=False
        ):
            try:
                params = self._all_params()
            except Exception:
                self._checking.release()
                raise
            threading.Thread(
                target=self._check_in_background,
                args=(params,),
                name="aiwatch-replica-check",
                daemon=True,
            ).start()
        statuses = self._statuses
        return [
            alias
            for alias in replica_aliases()
            if (status := statuses.get(alias, NOT_CHECKED)).healthy
            and (at_least is None or (status.replayed or 0) >= at_least)
        ]

    def statuses(self, max_age: float = 1.0) -> dict[str, Status]:
        """Every replica's status, checked now unless the last check is under `max_age` s old.

        Hides queries: a connection to each replica and one to the primary, when it checks.
        """
        if self._due(max_age):
            with self._checking:
                if self._due(max_age):
                    self._check(self._all_params())
        statuses = self._statuses
        return {alias: statuses.get(alias, NOT_CHECKED) for alias in replica_aliases()}

    def mark_down(self, alias: str, reason: str) -> None:
        """A read on `alias` just failed: skip it until a check finds it well."""
        self._set({**self._statuses, alias: Status(False, "unreachable", error=reason)})

    def forget(self) -> None:
        """Back to "not checked yet", as in a new process (for tests)."""
        with self._checking:
            self._statuses, self._checked_at = {}, None
            self._primary_positions.clear()

    def _due(self, max_age: float) -> bool:
        return self._checked_at is None or self._clock() - self._checked_at >= max_age

    def _all_params(self) -> dict[str, dict]:
        # Read here, in the caller's thread: Django's connection handler is per thread.
        return {alias: connect_params(alias) for alias in [DEFAULT_DB_ALIAS, *replica_aliases()]}

    def _check_in_background(self, params: dict[str, dict]) -> None:
        try:
            self._check(params)
        except Exception:  # a bug here must not kill the thread silently or leave the lock held
            logger.exception("Checking the read replicas failed")
        finally:
            self._checking.release()

    def _check(self, params: dict[str, dict]) -> None:
        now = self._clock()
        primary = self._primary_position(params[DEFAULT_DB_ALIAS])
        if primary is not None:
            self._primary_positions.append((now, primary))
        # Positions older than any lag worth telling apart from "too far behind".
        horizon = (
            settings.AIWATCH_REPLICA_MAX_LAG_SECONDS + 3 * settings.AIWATCH_REPLICA_CHECK_SECONDS
        )
        while self._primary_positions and now - self._primary_positions[0][0] > horizon:
            self._primary_positions.popleft()
        statuses = {
            alias: self._check_one(alias_params, primary, now)
            for alias, alias_params in params.items()
            if alias != DEFAULT_DB_ALIAS
        }
        self._set(statuses)
        self._checked_at = now

    def _primary_position(self, params: dict) -> int | None:
        try:
            with psycopg.connect(**params) as conn:
                conn.execute(f"SET statement_timeout = {CHECK_TIMEOUT_SECONDS * 1000}")
                position = lsn(conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0])
        except psycopg.Error as error:
            if self._primary_answered:  # once per outage, not once per check
                logger.warning("Replica check: the primary does not answer: %s", error)
            self._primary_answered = False
            return None
        self._primary_answered = True
        return position

    def _check_one(self, params: dict, primary: int | None, now: float) -> Status:
        try:
            with psycopg.connect(**params) as conn:
                conn.execute(f"SET statement_timeout = {CHECK_TIMEOUT_SECONDS * 1000}")
                standby, replayed, last_replayed_age = conn.execute(
                    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
                    " extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8"
                ).fetchone()
        except psycopg.Error as error:
            return Status(False, "unreachable", error=_first_line(error))
        if not standby:
            # A promoted standby, or a separate server: it no longer follows the primary.
            return Status(False, "not a standby (it is not replaying the primary's WAL)")
        if replayed is None:
            return Status(False, "has replayed nothing yet")
        replayed = lsn(replayed)
        if primary is None:
            return Status(True, "ok (the primary is unreachable: lag unknown)", replayed=replayed)
        lag = self._lag(replayed, primary, last_replayed_age, now)
        bound = settings.AIWATCH_REPLICA_MAX_LAG_SECONDS
        if lag > bound:
            behind = f"more than {bound} s" if math.isinf(lag) else f"{lag:.0f} s"
            detail = f"lagging {behind} behind the primary (bound {bound} s)"
            return Status(False, detail, lag, replayed=replayed)
        return Status(True, "ok", lag, replayed=replayed)

    def _lag(self, replayed: int, primary: int, last_replayed_age: float | None, now: float):
        if replayed >= primary:
            return 0.0
        by_positions = min(
            (now - when for when, position in self._primary_positions if position <= replayed),
            default=math.inf,
        )
        by_clock = math.inf if last_replayed_age is None else max(0.0, last_replayed_age)
        return min(by_positions, by_clock)

    def _set(self, statuses: dict[str, Status]) -> None:
        before = self._statuses
        for alias, status in statuses.items():
            was = before.get(alias)
            if was is not None and was.healthy == status.healthy:
                continue
            if status.healthy:
                logger.info("Read replica %s serves readers: %s", alias, status.detail)
            else:
                logger.warning("Read replica %s skipped: %s %s", alias, status.detail, status.error)
        self._statuses = statuses


def primary_position() -> int | None:
    """The primary's WAL position now, when there are replicas; else None, with no query.

    Hides a query on the primary. A page kept (aiwatch.core.page_cache) under a
    content version made after an edit must be read from a replica that has
    replayed at least this far, or it would keep the rows from before the edit.
    """
    if not replica_aliases():
        return None
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            return lsn(cursor.fetchone()[0])
    except DatabaseError:
        return None


# The process's one view of its replicas.
replica_health = ReplicaHealth()
