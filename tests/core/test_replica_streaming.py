"""Read replicas against two real PostgreSQL servers with streaming replication.

The test makes a primary with the embedded server's own binaries (initdb,
pg_ctl; aiwatch.core.backups finds them), migrates and seeds a database on it
through manage.py, clones a standby from it with `pg_basebackup -R`, and starts
both on free loopback ports. gunicorn then serves aiwatch with DATABASE_URL on
the primary and DATABASE_REPLICA_URLS on the standby, through
tests/core/replica_wsgi.py, which says in a header how many queries each
database got. /readyz tells each replica's state as this process last saw it,
which is how the tests wait for a check instead of sleeping a fixed time.
"""

import contextlib
import http.cookiejar
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest
from bs4 import BeautifulSoup

from aiwatch.core.replicas import ReplicaHealth
from tests.servers import Cluster, clean_env, cluster_root, free_port, run_pg, stop

ROOT = Path(__file__).resolve().parents[2]
DBNAME = "aiwatch_replica"
PASSWORD = "correct horse battery"
# Short, so that the test waits seconds, not the defaults' tens of seconds.
CHECK_SECONDS = 1
MAX_LAG_SECONDS = 3
READ_YOUR_WRITES_SECONDS = 3
DEADLINE = 30.0  # seconds to wait for a state the test brings about

pytestmark = pytest.mark.slow


class Server(Cluster):
    """One of the two clusters; stopping one that is already down is no error."""

    def url(self, dbname: str = DBNAME) -> str:
        return super().url(dbname)

    def stop(self, mode: str = "fast", check: bool = False) -> int:
        return super().stop(mode, check=check)

    def sql(self, query: str, params=None, dbname: str = DBNAME):
        with psycopg.connect(self.url(dbname), autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else None


def _in_recovery(server: Server) -> bool | None:
    try:
        return server.sql("SELECT pg_is_in_recovery()")[0][0]
    except psycopg.OperationalError:  # still starting
        return None


def _manage(url: str, *args: str, **env) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env(DATABASE_URL=url, **env),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def servers():
    """A primary, migrated and seeded, and a streaming standby of it; both stopped after."""
    root = cluster_root("aiwatch-replica-")
    primary, standby = Server(root, "primary"), Server(root, "standby")
    try:
        primary.initdb()
        with open(primary.data / "postgresql.conf", "a") as conf:
            conf.write("wal_level = replica\nmax_wal_senders = 4\nfsync = off\n")
        with open(primary.data / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        primary.start()
        primary.sql(f"CREATE DATABASE {DBNAME}", dbname="postgres")
        _manage(primary.url(), "migrate", "--no-input")
        _manage(primary.url(), "seed")
        _manage(
            primary.url(),
            *("createsuperuser", "--no-input", "--username", "editor"),
            "--email=editor@aiwatch.test",
            DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        )
        run_pg(
            "pg_basebackup",
            *("-D", str(standby.data), "-h", "127.0.0.1", "-p", str(primary.port)),
            *("-U", "postgres", "-X", "stream", "-R", "--no-sync", "--checkpoint=fast"),
        )
        standby.start()
        deadline = time.monotonic() + DEADLINE
        while _in_recovery(standby) is not True:
            assert time.monotonic() < deadline, "the standby never came up as a standby"
            time.sleep(0.2)
        yield primary, standby
    finally:
        for server in (standby, primary):
            if server.data.exists():
                server.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def static_root(servers, tmp_path_factory):
    """collectstatic's output: with DEBUG off, as in production, pages need its manifest."""
    static = tmp_path_factory.mktemp("static")
    primary, _standby = servers
    collect = ("collectstatic", "--no-input", "-v", "0")
    _manage(primary.url(), *collect, DJANGO_STATIC_ROOT=str(static))
    return static


@contextlib.contextmanager
def _serving(servers, static_root, **env):
    """gunicorn serving aiwatch on the primary with the standby as replica_1."""
    primary, standby = servers
    port = free_port()
    env = clean_env(
        DJANGO_STATIC_ROOT=str(static_root),
        DATABASE_URL=primary.url(),
        DATABASE_REPLICA_URLS=standby.url(),
        DJANGO_DEBUG="false",
        AIWATCH_REPLICA_CHECK_SECONDS=str(CHECK_SECONDS),
        AIWATCH_READ_YOUR_WRITES_SECONDS=str(READ_YOUR_WRITES_SECONDS),
        DATABASE_POOL_TIMEOUT="2",
        **env,
    )
    with tempfile.TemporaryFile() as log:
        # The repo's configuration, in one process: the replicas' health is per process.
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "-c", "aiwatch/gunicorn.conf.py"),
                "tests.core.replica_wsgi:application",
            ],
            cwd=ROOT,
            env={**env, "PORT": str(port), "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "4"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while _get(base + "/healthz").status != 200:
                assert process.poll() is None, "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn never answered"
                time.sleep(0.2)
            yield Site(base, primary, standby)
        finally:
            stop(process)
            log.seek(0)
            print(log.read().decode(errors="replace")[-4000:])


@pytest.fixture(scope="module")
def site(servers, static_root):
    # Every page from its database: the page cache off.
    with _serving(
        servers,
        static_root,
        AIWATCH_PAGE_CACHE="off",
        AIWATCH_REPLICA_MAX_LAG_SECONDS=str(MAX_LAG_SECONDS),
    ) as serving:
        yield serving


@pytest.fixture
def cached_site(servers, static_root, tmp_path):
    """The page cache on, in a folder of its own; the default lag bound (30 s)."""
    with _serving(
        servers, static_root, AIWATCH_PAGE_CACHE="on", AIWATCH_CACHE_DIR=str(tmp_path / "cache")
    ) as serving:
        yield serving


class Answer:
    def __init__(self, status: int, body: str, headers):
        self.status, self.body, self.headers = status, body, headers

    @property
    def queries(self) -> dict[str, int]:
        told = self.headers.get("X-Test-Queries") or ""
        return {k: int(v) for k, v in (pair.split("=") for pair in told.split(",") if pair)}


def _get(url: str, opener=None, data: dict | None = None) -> Answer:
    opener = opener or urllib.request.build_opener()
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Referer": url})
    try:
        with opener.open(request, timeout=15) as response:
            return Answer(response.status, response.read().decode(), response.headers)
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read().decode(errors="replace"), error.headers)
    except OSError:
        return Answer(0, "", {})


class Site:
    def __init__(self, base: str, primary: Server, standby: Server):
        self.base, self.primary, self.standby = base, primary, standby

    def get(self, path: str, opener=None, data=None) -> Answer:
        return _get(self.base + path, opener, data)

    def replica_state(self) -> str:
        answer = self.get("/readyz")
        return json.loads(answer.body)["replicas"]["replica_1"]

    def wait_for_replica(self, state: str) -> None:
        """Until /readyz (which checks at most once a second) tells replica_1 is in `state`."""
        deadline = time.monotonic() + DEADLINE
        while not (seen := self.replica_state()).startswith(state):
            assert time.monotonic() < deadline, f"replica_1 stayed {seen!r}, not {state!r}"
            time.sleep(0.3)

    def wait_replayed(self) -> None:
        """Until the standby has replayed everything the primary has written so far."""
        (position,) = self.primary.sql("SELECT pg_current_wal_lsn()")[0]
        deadline = time.monotonic() + DEADLINE
        while not self.standby.sql("SELECT pg_last_wal_replay_lsn() >= %s", [position])[0][0]:
            assert time.monotonic() < deadline, "the standby did not catch up"
            time.sleep(0.1)

    def source(self) -> tuple[int, str]:
        return self.primary.sql("SELECT id, slug FROM articles_source ORDER BY id LIMIT 1")[0]


def _signed_in(site: Site):
    """An opener with the editor's session (signing in is a POST: the primary)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    form = site.get("/admin/login/", opener)
    token = BeautifulSoup(form.body, "html.parser").find("input", {"name": "csrfmiddlewaretoken"})
    answer = site.get(
        "/admin/login/?next=/admin/",
        opener,
        {
            "csrfmiddlewaretoken": token["value"],
            "username": "editor",
            "password": PASSWORD,
            "next": "/admin/",
        },
    )
    assert answer.status == 200 and "Log out" in answer.body, answer.body[:500]
    return opener


def _form_fields(html: str) -> dict[str, str]:
    """What a browser would submit from the page's change form, unchanged."""
    form = BeautifulSoup(html, "html.parser").find("form", id=lambda i: i and i.endswith("_form"))
    fields = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "checkbox", "file"):
            continue
        if field.name == "textarea":
            fields[name] = field.text.lstrip("\n")
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            fields[name] = chosen["value"] if chosen else ""
        else:
            fields[name] = field.get("value", "")
    return fields


def _rename_source_on_primary(site: Site, name: str) -> str:
    source_id, slug = site.source()
    site.primary.sql("UPDATE articles_source SET name = %s WHERE id = %s", [name, source_id])
    return slug


def _print_check_cost(site: Site) -> None:
    """What one health check costs (run with -s to see it): not asserted, timings vary."""
    health = ReplicaHealth()
    params = {
        name: {**psycopg.conninfo.conninfo_to_dict(server.url()), "autocommit": True}
        for name, server in (("default", site.primary), ("replica_1", site.standby))
    }
    took = []
    for _ in range(20):
        started = time.perf_counter()
        health._check(params)
        took.append((time.perf_counter() - started) * 1000)
    assert health._statuses["replica_1"].healthy
    print(f"\nOne replica check (primary + replica_1): median {statistics.median(took):.1f} ms")


def test_an_anonymous_page_read_goes_to_the_replica(site):
    site.wait_for_replica("ok")
    _print_check_cost(site)
    _source_id, slug = site.source()
    answer = site.get(f"/sources/{slug}/")
    assert answer.status == 200
    assert answer.queries["replica_1"] > 0 and answer.queries["default"] == 0, answer.queries

    # What the standby has replayed is what the reader sees.
    _rename_source_on_primary(site, "Replayed Outlet Name")
    site.wait_replayed()
    answer = site.get(f"/sources/{slug}/")
    assert "Replayed Outlet Name" in answer.body and answer.queries["default"] == 0


def test_replica_editors_read_and_write_on_the_primary_and_see_their_edit(site):
    site.wait_for_replica("ok")
    editor = _signed_in(site)
    source_id, slug = site.source()
    page = site.get(f"/sources/{slug}/", editor)
    assert page.status == 200
    assert page.queries["default"] > 0 and page.queries["replica_1"] == 0, page.queries

    # Replay paused: the standby stops short of the edit, while staying 0 s behind until then.
    site.standby.sql("SELECT pg_wal_replay_pause()")
    try:
        change = site.get(f"/admin/articles/source/{source_id}/change/", editor)
        assert change.status == 200 and change.queries["replica_1"] == 0
        fields = {**_form_fields(change.body), "name": "Edited By The Editor", "_save": "Save"}
        saved = site.get(f"/admin/articles/source/{source_id}/change/", editor, fields)
        assert saved.status == 200 and "was changed successfully" in saved.body, saved.body[:800]
        assert saved.queries["replica_1"] == 0

        mine = site.get(f"/sources/{slug}/", editor)
        assert "Edited By The Editor" in mine.body and mine.queries["replica_1"] == 0
        theirs = site.get(f"/sources/{slug}/")
        if theirs.queries["replica_1"]:  # the replica, until it is found behind by more than 3 s
            assert "Edited By The Editor" not in theirs.body
        assert theirs.status == 200
    finally:
        site.standby.sql("SELECT pg_wal_replay_resume()")
    site.wait_replayed()
    site.wait_for_replica("ok")
    theirs = site.get(f"/sources/{slug}/")
    assert "Edited By The Editor" in theirs.body and theirs.queries["replica_1"] > 0


def test_replica_is_skipped_for_a_client_that_just_wrote(site):
    site.wait_for_replica("ok")
    _source_id, slug = site.source()
    editor = _signed_in(site)
    form = site.get("/admin/", editor)
    token = BeautifulSoup(form.body, "html.parser").find("input", {"name": "csrfmiddlewaretoken"})
    # Signing out deletes the session: a write. The client is anonymous from here on.
    out = site.get("/admin/logout/", editor, {"csrfmiddlewaretoken": token["value"]})
    assert out.status == 200
    after = site.get(f"/sources/{slug}/", editor)
    assert after.status == 200
    assert after.queries["default"] > 0 and after.queries["replica_1"] == 0, after.queries
    # Once the cookie has expired, this client is a reader like any other.
    time.sleep(READ_YOUR_WRITES_SECONDS + 0.5)
    later = site.get(f"/sources/{slug}/", editor)
    assert later.queries["replica_1"] > 0 and later.queries["default"] == 0, later.queries


def test_a_paused_replica_is_used_while_idle_then_skipped_once_beyond_the_lag_bound(site):
    site.wait_replayed()
    site.wait_for_replica("ok")
    _source_id, slug = site.source()
    site.standby.sql("SELECT pg_wal_replay_pause()")
    try:
        # Nothing written: the last replayed transaction grows old, yet the replica is
        # not behind (it has replayed all the primary's WAL), and stays in use.
        deadline = time.monotonic() + DEADLINE
        while site.standby.sql(
            "SELECT now() - pg_last_xact_replay_timestamp() <= %s * interval '1 second'",
            [MAX_LAG_SECONDS + 1],
        )[0][0]:
            assert time.monotonic() < deadline
            time.sleep(0.3)
        time.sleep(CHECK_SECONDS + 0.1)
        assert site.replica_state() == "ok"
        assert site.get(f"/sources/{slug}/").queries["replica_1"] > 0

        _rename_source_on_primary(site, "Written While Replay Is Paused")
        site.wait_for_replica("lagging")
        answer = site.get(f"/sources/{slug}/")
        assert answer.status == 200 and "Written While Replay Is Paused" in answer.body
        assert answer.queries["replica_1"] == 0 and answer.queries["default"] > 0
    finally:
        site.standby.sql("SELECT pg_wal_replay_resume()")
    site.wait_for_replica("ok")
    assert site.get(f"/sources/{slug}/").queries["replica_1"] > 0


def test_replica_a_page_kept_after_an_edit_is_read_from_rows_as_new_as_the_edit(cached_site):
    site = cached_site
    assert site.get("/robots.txt").status == 200  # makes the content version
    site.wait_replayed()
    time.sleep(CHECK_SECONDS + 0.1)
    site.wait_for_replica("ok")  # a check that saw the standby replay it
    source_id, slug = site.source()
    first = site.get(f"/sources/{slug}/")
    assert first.headers["X-Page-Cache"] == "miss" and first.queries["replica_1"] > 0
    assert site.get(f"/sources/{slug}/").headers["X-Page-Cache"] == "hit"

    editor = _signed_in(site)
    site.standby.sql("SELECT pg_wal_replay_pause()")
    try:
        change = site.get(f"/admin/articles/source/{source_id}/change/", editor)
        fields = {**_form_fields(change.body), "name": "Kept After The Edit", "_save": "Save"}
        saved = site.get(f"/admin/articles/source/{source_id}/change/", editor, fields)
        assert "was changed successfully" in saved.body
        # The replica is in use (well within 30 s) but has not replayed the edit: a page to
        # be kept under the edit's new version is read from the primary instead.
        fresh = site.get(f"/sources/{slug}/")
        assert fresh.headers["X-Page-Cache"] == "miss" and "Kept After The Edit" in fresh.body
        assert fresh.queries["replica_1"] == 0 and fresh.queries["default"] > 0
        again = site.get(f"/sources/{slug}/")
        assert again.headers["X-Page-Cache"] == "hit" and "Kept After The Edit" in again.body
        assert site.replica_state() == "ok"
    finally:
        site.standby.sql("SELECT pg_wal_replay_resume()")
    # Once a check has seen the standby replay the edit, kept pages are read from it again.
    site.wait_replayed()
    time.sleep(CHECK_SECONDS + 0.1)
    site.wait_for_replica("ok")
    other = site.get("/articles/")
    assert other.headers["X-Page-Cache"] == "miss" and other.queries["replica_1"] > 0


def test_replica_serves_readers_while_the_primary_is_down(site):
    site.wait_for_replica("ok")
    _source_id, slug = site.source()
    editor = _signed_in(site)
    site.primary.stop("immediate")
    try:
        site.wait_for_replica("ok (the primary is unreachable")
        answer = site.get(f"/sources/{slug}/")
        assert answer.status == 200 and answer.queries["replica_1"] > 0, answer.queries
        # Not ready (it cannot write), and saying why; an editor gets the 503 page.
        ready = site.get("/readyz")
        assert ready.status == 503 and json.loads(ready.body)["checks"]["database"] != "ok"
        assert site.get(f"/sources/{slug}/", editor).status == 503
    finally:
        site.primary.start()
    site.wait_for_replica("ok")
    # The primary's pool reconnects on its own schedule (psycopg_pool's backoff).
    deadline = time.monotonic() + DEADLINE
    while (status := site.get("/readyz").status) != 200:
        assert status == 503 and time.monotonic() < deadline, status
        time.sleep(0.3)


def test_replica_stopped_mid_test_pages_still_come_from_the_primary(site):
    site.wait_for_replica("ok")
    _source_id, slug = site.source()
    pages = ["/", f"/sources/{slug}/", "/articles/", "/search/?q=openai"]
    for page in pages:
        answer = site.get(page)
        assert answer.status == 200 and answer.queries["replica_1"] > 0, (page, answer.queries)

    site.standby.stop("immediate")
    try:
        # At once, before any check has noticed: the first read fails on the replica, the
        # request is retried on the primary, and the replica is skipped from then on.
        for page in pages * 2:
            answer = site.get(page)
            assert answer.status == 200, (page, answer.status, answer.body[:300])
            assert answer.queries["replica_1"] == 0 or page == pages[0], answer.queries
        assert site.replica_state() == "unreachable"
        ready = site.get("/readyz")
        assert ready.status == 200 and json.loads(ready.body)["status"] == "ok"
    finally:
        with contextlib.suppress(AssertionError):
            site.standby.start()
    site.wait_for_replica("ok")
    # Back within seconds, not necessarily at the first request: /readyz's own check can find
    # the standby well a moment before a request's connection passes the circuit breaker.
    deadline = time.monotonic() + DEADLINE
    while site.get(pages[1]).queries["replica_1"] == 0:
        assert time.monotonic() < deadline, "reads never went back to the replica"
        time.sleep(0.3)
