"""The test database's server, for tests that start processes or open connections of their own."""

from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

# The machine's PostgreSQL service (15 on CI's machine), which .ci/run runs the suite on
# a second time; some tests use it whichever server the suite runs on.
SERVICE_URL = "postgres://postgres@127.0.0.1:5432"


def service_or_skip() -> str:
    """SERVICE_URL, after checking that it answers; the test is skipped, saying why, if not."""
    try:
        with psycopg.connect(f"{SERVICE_URL}/postgres", connect_timeout=2) as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError as error:
        first = (str(error).strip().splitlines() or ["no answer"])[0]
        pytest.skip(f"the PostgreSQL service at {SERVICE_URL} is unreachable: {first}")
    return SERVICE_URL


def server_params(dbname: str) -> dict:
    """psycopg.connect() arguments for `dbname` on the test database's server."""
    params = {k: v for k, v in connection.get_connection_params().items() if k != "context"}
    params.pop("cursor_factory", None)
    return {**params, "dbname": dbname}


def database_url(dbname: str) -> str:
    """A DATABASE_URL for `dbname` on the test database's server (a socket folder as ?host=)."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    if (db["HOST"] or "").startswith("/"):
        return f"postgres://{user}@/{dbname}?host={quote(db['HOST'])}"
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{dbname}"
