"""A real PostgreSQL stops and starts under a live server: fast 503s, then 200s without a restart.

The test makes its own throwaway cluster from the embedded server's binaries
(initdb, pg_ctl) on a free loopback port, migrates a database on it, and runs
gunicorn against it in a subprocess, with the pool and without. Latencies are
printed (run with -s to see them); the speed proof proper belongs in the
benchmarks, so the only bound here is the client's timeout, which proves no
request hangs.
"""

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests import servers

ROOT = Path(__file__).resolve().parents[2]
CLIENT_TIMEOUT = 2.0  # seconds: a request that hangs fails the test
RECOVERY_DEADLINE = 15.0  # seconds: generous; the figure itself is printed
PAGES = ["/", "/search/?q=openai", "/articles/"]

pytestmark = pytest.mark.slow


class Cluster(servers.Cluster):
    DBNAME = "aiwatch_outage"

    def version(self) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres")) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]


@pytest.fixture(scope="module")
def cluster():
    root = servers.cluster_root("aiwatch-outage-")
    pg = Cluster(root, "data")
    try:
        pg.initdb()
        pg.start()
        import psycopg

        with psycopg.connect(pg.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {Cluster.DBNAME}")
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input"],
            cwd=ROOT,
            env=servers.clean_env(DATABASE_URL=pg.url(Cluster.DBNAME)),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert migrate.returncode == 0, migrate.stderr
        yield pg
    finally:
        if pg.data.exists():
            pg.stop("immediate", check=False)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=[True, False], ids=["pool", "no-pool"])
def server(request, cluster):
    """gunicorn serving aiwatch on the cluster, with psycopg's pool or without."""
    port = servers.free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "aiwatch.wsgi:application"),
                *("--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"),
            ],
            cwd=ROOT,
            env=servers.clean_env(
                DATABASE_URL=cluster.url(Cluster.DBNAME), DATABASE_POOL=str(request.param).lower()
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while _get(base + "/")[0] != 200:
                assert process.poll() is None, "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn never served the home page"
                time.sleep(0.2)
            yield base
        finally:
            servers.stop(process)
            # The cluster is shared by both servers: leave it running for the next one
            # (pg_ctl refuses, harmlessly, when it already runs).
            cluster.start(check=False)


def _get(url):
    """(status, Retry-After, seconds); status 0 if nothing answered."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=CLIENT_TIMEOUT) as response:
            status, retry_after = response.status, response.headers.get("Retry-After")
            response.read()
    except urllib.error.HTTPError as error:
        status, retry_after = error.code, error.headers.get("Retry-After")
        error.read()
    except OSError:
        status, retry_after = 0, None
    return status, retry_after, time.monotonic() - started


def test_an_outage_gives_quick_503s_and_the_site_recovers_without_a_restart(cluster, server):
    for page in PAGES:
        assert _get(server + page)[0] == 200, page

    print(f"\nPostgreSQL {cluster.version()}")
    cluster.stop()
    answers = [_get(server + page) for _ in range(10) for page in PAGES]
    latencies_ms = [round(seconds * 1000, 1) for _, _, seconds in answers]
    print(f"\nDuring the outage (ms): {latencies_ms}")
    print(f"median {statistics.median(latencies_ms):.1f} ms, max {max(latencies_ms)} ms")
    # Every one answered (none hit the client's timeout), each with the 503 page.
    assert [(status, retry) for status, retry, _ in answers] == [(503, "30")] * len(answers)
    # Pages that need no database are still served; readiness says the database is gone.
    assert _get(server + "/robots.txt")[0] == 200
    assert _get(server + "/healthz")[0] == 200
    assert _get(server + "/readyz")[:2] == (503, "10")

    cluster.start()
    back = time.monotonic()
    while (status := _get(server + "/")[0]) != 200:
        assert status == 503
        assert time.monotonic() - back < RECOVERY_DEADLINE, "the site did not recover"
        time.sleep(0.05)
    print(f"200 again {time.monotonic() - back:.2f} s after the database accepted connections")
    for page in [*PAGES, "/readyz"]:
        assert _get(server + page)[0] == 200, page
