"""The test database's server, for tests that start processes or open connections of their own."""

from urllib.parse import quote

from django.db import connection


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
