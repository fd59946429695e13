"""A management command run while the database is down or misnamed says why in one line."""

import subprocess
import sys

import pytest
from django.conf import settings

from tests.databases import service_or_skip
from tests.servers import clean_env, free_port

MANAGE = str(settings.BASE_DIR / "manage.py")


def manage(*args: str, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, MANAGE, *args],
        env=clean_env(DATABASE_URL=database_url, DATABASE_CONNECT_TIMEOUT="2"),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "url", "reason"),
    [
        (("migrate",), "postgres://postgres@127.0.0.1:{port}/aiwatch", "Connection refused"),
        (
            ("restore", "/nonexistent.dump"),
            "postgres://postgres@127.0.0.1:5432/aiwatch_no_such_database",
            'database "aiwatch_no_such_database" does not exist',
        ),
        (("seed",), "postgres://postgres@127.0.0.1:{port}/aiwatch", "Connection refused"),
    ],
    ids=["migrate, no server", "restore, no such database", "seed, no server"],
)
def test_a_command_without_its_database_prints_the_reason_not_a_traceback(args, url, reason):
    if ":5432/" in url:
        service_or_skip()  # a server that answers, without that database
    result = manage(*args, database_url=url.format(port=free_port()))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("CommandError: cannot reach the database (127.0.0.1, database ")
    assert reason in last


@pytest.mark.slow
def test_traceback_still_shows_the_traceback():
    result = manage(
        "migrate", "--traceback", database_url=f"postgres://x@127.0.0.1:{free_port()}/x"
    )
    assert result.returncode == 1
    assert "Traceback" in result.stderr


@pytest.mark.slow
def test_a_database_error_that_is_not_an_outage_keeps_its_traceback():
    """With the server reachable, an OperationalError is a failure to show whole, not hide."""
    code = (
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('SET statement_timeout = 1; SELECT pg_sleep(1)')\n"
    )
    # No DATABASE_URL: the checkout's embedded server, which answers.
    result = manage("shell", "-c", code, database_url="")
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "statement timeout" in result.stderr
