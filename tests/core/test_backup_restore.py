"""`manage.py backup` and `restore`: a round trip gives back every table, row for row.

The restore goes into a fresh database the test creates on the same server,
through `manage.py` in a child process, as an operator would run it. A
damaged dump is refused before the target is touched. One round trip goes
from the machine's PostgreSQL 15 service to the embedded PostgreSQL 18.
"""

import io
import os
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from reversion.models import Version

from aiwatch.core import backups
from aiwatch.core.history import recorded
from aiwatch.core.models import OldSlug
from aiwatch.embedded_db import embedded_database_url
from tests.databases import database_url, server_params, service_or_skip
from tests.factories import AliasFactory, ClaimFactory, EventFactory, MentionFactory

ROOT = Path(__file__).resolve().parents[2]


def _manage(dbname: str, *args: str) -> subprocess.CompletedProcess:
    """manage.py on `dbname` of the test database's server, or on a postgres:// URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AIWATCH_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, "DATABASE_URL": dbname if "://" in dbname else database_url(dbname)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def fingerprint(dbname: str, generated: bool = True) -> dict[str, tuple]:
    """Every table's row count and checksum of its rows, and every sequence's position.

    Of `dbname` on the test database's server, or of a postgres:// URL. Without
    `generated`, the checksums leave out generated columns: a restore has the
    target server compute them again, and another PostgreSQL's may differ (the
    search's tsvectors: 18's English stemmer keeps "add", 15's makes it "ad").
    """
    params = {"conninfo": dbname} if "://" in dbname else server_params(dbname)
    with psycopg.connect(**params, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1"
            )
        ]
        found = {}
        for table in tables:
            row = sql.SQL("t")
            if not generated:
                columns = conn.execute(
                    "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass"
                    " AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
                    [f"public.{table}"],
                ).fetchall()
                row = sql.SQL("ROW({})").format(
                    sql.SQL(", ").join(sql.Identifier("t", name) for (name,) in columns)
                )
            query = sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg({row}::text, '|' ORDER BY {row}::text),"
                " '')) FROM public.{table} AS t"
            ).format(row=row, table=sql.Identifier(table))
            found[table] = tuple(conn.execute(query).fetchone())
        for name, last_value in conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ):
            found[f"sequence {name}"] = (last_value,)
    return found


@pytest.fixture
def fresh_database():
    """A new, empty database on the test database's server, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"[:63]
    with psycopg.connect(**server_params("postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(**server_params("postgres"), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _history_and_slug_history():
    """Content written as editors write it: with versions, then a rename that leaves an old slug."""
    with recorded("test: a small story"):
        claim = ClaimFactory(statement="OpenAI blocks the API in China, 中国")
        AliasFactory(entity=claim.claimant, name="开放人工智能")
        MentionFactory(article=claim.article, entity=claim.claimant)
        EventFactory(title="The block takes effect")
    with recorded("test: a rename"):
        claim.claimant.slug = "renamed-entity"
        claim.claimant.save()


def _seeded():
    call_command("seed", stdout=io.StringIO())
    _history_and_slug_history()


@pytest.fixture
def backup_file(tmp_path):
    _history_and_slug_history()
    path = tmp_path / "aiwatch.dump"
    call_command("backup", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    return path


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "make_content",
    [
        pytest.param(_history_and_slug_history, id="factories"),
        pytest.param(_seeded, id="seed", marks=pytest.mark.slow),
    ],
)
def test_a_round_trip_gives_back_every_table(tmp_path, fresh_database, make_content):
    make_content()
    assert Version.objects.exists() and OldSlug.objects.exists()
    path = tmp_path / "aiwatch.dump"
    shown = io.StringIO()
    call_command("backup", str(path), stdout=io.StringIO(), stderr=shown)
    # Not a terminal: plain progress lines, the last at 100%.
    assert shown.getvalue().splitlines()[-1].startswith("backup: ")
    assert "(100%)" in shown.getvalue()
    # The dump holds password hashes and sessions: only its owner may read it.
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    original = fingerprint(connection.settings_dict["NAME"])
    assert original["reversion_version"][0] > 0 and original["aiwatch_oldslug"][0] > 0

    restored = _manage(fresh_database, "restore", str(path))
    assert restored.returncode == 0, restored.stderr
    assert fingerprint(fresh_database) == original

    again = _manage(fresh_database, "restore", str(path))
    assert again.returncode == 1
    assert "is not empty" in again.stderr and "Traceback" not in again.stderr
    forced = _manage(fresh_database, "restore", "--force", str(path))
    assert forced.returncode == 0, forced.stderr
    assert fingerprint(fresh_database) == original


def _cut(path: Path, keep: int) -> Path:
    damaged = path.with_name(f"cut-{keep}.dump")
    damaged.write_bytes(path.read_bytes()[:keep])
    return damaged


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["half", "last byte", "first kilobyte"])
def test_a_truncated_dump_is_refused_and_the_target_left_untouched(backup_file, how):
    size = backup_file.stat().st_size
    keep = {"half": size // 2, "last byte": size - 1, "first kilobyte": 1024}[how]
    damaged = _cut(backup_file, keep)
    before = fingerprint(connection.settings_dict["NAME"])
    with pytest.raises(CommandError, match="is incomplete: it ends too soon"):
        call_command("restore", str(damaged), force=True, stderr=io.StringIO())
    assert fingerprint(connection.settings_dict["NAME"]) == before


@pytest.mark.django_db(transaction=True)
def test_a_garbage_file_is_refused_with_one_clear_line(tmp_path, fresh_database):
    garbage = tmp_path / "notes.dump"
    garbage.write_bytes(b"these are not the droids\n" * 200)
    result = _manage(fresh_database, "restore", str(garbage))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert (
        "is not a backup written by `manage.py backup`" in result.stderr
        and "Traceback" not in result.stderr
    )
    assert fingerprint(fresh_database) == {}


@pytest.mark.django_db(transaction=True)
def test_a_dump_of_another_database_is_refused(tmp_path, fresh_database):
    with psycopg.connect(**server_params(fresh_database), autocommit=True) as conn:
        conn.execute("CREATE TABLE notes (body text)")
        conn.execute("INSERT INTO notes VALUES ('not aiwatch')")
    other = tmp_path / "other.dump"
    dumped = _manage(fresh_database, "backup", str(other))
    assert dumped.returncode == 0, dumped.stderr
    before = fingerprint(connection.settings_dict["NAME"])
    with pytest.raises(CommandError, match="is not a backup of aiwatch"):
        call_command("restore", str(other), force=True)
    assert fingerprint(connection.settings_dict["NAME"]) == before


@pytest.mark.django_db(transaction=True)
def test_an_error_midway_rolls_the_whole_restore_back(backup_file, fresh_database):
    """The first statement the target refuses stops psql, and nothing before it stays."""
    with psycopg.connect(**server_params(fresh_database), autocommit=True) as conn:
        conn.execute(
            "CREATE FUNCTION public.articles_original_immutable() RETURNS int"
            " LANGUAGE sql AS 'SELECT 1'"
        )
    result = _manage(fresh_database, "restore", str(backup_file))
    assert result.returncode == 1
    assert "The restore failed and was rolled back" in result.stderr
    assert "articles_original_immutable" in result.stderr and "Traceback" not in result.stderr
    assert fingerprint(fresh_database) == {}


@pytest.mark.django_db(transaction=True)
def test_a_pg_restore_that_dies_midway_commits_nothing(backup_file, tmp_path, monkeypatch):
    """psql has run part of the script when pg_restore fails: it is stopped, and never sees
    the script's COMMIT (which a real pg_restore writes only once all went well)."""
    dying = tmp_path / "pg_restore"
    dying.write_text(
        "#!/bin/sh\n"
        "printf 'BEGIN;\\nCREATE TABLE public.half_restored (a int);\\nCOMMIT;\\n'\n"
        # More than any pipe or buffer holds, then time for psql to run what it was given.
        "seq 20000 | sed 's/^/-- after the COMMIT /'\n"
        "sleep 1\n"
        "echo 'pg_restore: error: could not read from input file: disk gone' >&2\n"
        "exit 1\n"
    )
    dying.chmod(0o755)
    newest, real = backups.newest_shipped_tool("pg_restore"), backups.client_tool
    monkeypatch.setattr(backups, "newest_shipped_tool", lambda name: newest)
    monkeypatch.setattr(
        backups,
        "client_tool",
        lambda name, major: str(dying) if name == "pg_restore" else real(name, major),
    )
    with pytest.raises(CommandError, match=r"rolled back: pg_restore: error: .* disk gone"):
        call_command("restore", str(backup_file), force=True, stderr=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.half_restored')")
        assert cursor.fetchone() == (None,)


@pytest.mark.django_db(transaction=True)
def test_a_failure_passing_the_sql_on_stops_psql_and_commits_nothing(backup_file, monkeypatch):
    """An unexpected error in the thread between pg_restore and psql must not leave psql
    waiting for input forever: it is stopped, and the restore reports the error."""
    passed = []

    def failing(self, line):
        passed.append(line)
        if len(passed) == 200:
            raise RuntimeError("the filter broke")
        return line

    monkeypatch.setattr(backups.ColumnOptionsFilter, "__call__", failing)
    before = fingerprint(connection.settings_dict["NAME"])
    with pytest.raises(CommandError, match="the filter broke"):
        call_command("restore", str(backup_file), force=True, stderr=io.StringIO())
    assert len(passed) == 200
    assert fingerprint(connection.settings_dict["NAME"]) == before


@pytest.mark.django_db(transaction=True)
def test_a_database_that_is_not_empty_is_refused_without_force(backup_file):
    before = fingerprint(connection.settings_dict["NAME"])
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(backup_file))
    assert fingerprint(connection.settings_dict["NAME"]) == before


@pytest.mark.django_db(transaction=True)
def test_a_failed_dump_leaves_the_previous_backup_as_it_was(tmp_path, monkeypatch):
    """pg_dump dying midway (a full disk, a dropped connection) must not replace FILE."""
    dying = tmp_path / "pg_dump"
    seen = tmp_path / "seen"
    dying.write_text(
        "#!/bin/sh\n"
        f'echo "$@" > {seen}.args; echo "$PGPASSWORD" > {seen}.password\n'
        'for arg; do case "$arg" in --file=*) printf PGDMP-half > "${arg#--file=}";; esac; done\n'
        "echo 'pg_dump: error: connection to server lost' >&2\n"
        "exit 1\n"
    )
    dying.chmod(0o755)
    monkeypatch.setattr(backups, "client_tool", lambda name, major: str(dying))
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "hunter2-not-for-ps")
    previous = tmp_path / "backups" / "aiwatch.dump"
    previous.parent.mkdir()
    previous.write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError, match="connection to server lost"):
        call_command("backup", str(previous), stderr=io.StringIO())
    assert previous.read_bytes() == b"yesterday's backup"
    assert [p.name for p in previous.parent.iterdir()] == ["aiwatch.dump"]
    # The password reaches pg_dump in its environment, never on its command line (`ps`).
    assert Path(f"{seen}.password").read_text().strip() == "hunter2-not-for-ps"
    assert "hunter2" not in Path(f"{seen}.args").read_text()


def test_column_options_postgresql_lacks_are_left_out_and_nothing_else():
    keep = backups.ColumnOptionsFilter()
    lines = [
        b"CREATE TABLE public.notes (\n",
        b"ALTER TABLE ONLY public.notes ALTER COLUMN id SET (pg_attver=36248728);\n",
        b"ALTER TABLE ONLY public.notes ALTER COLUMN body SET (n_distinct=-0.5, pg_attver=7);\n",
        b"ALTER TABLE ONLY public.notes ALTER COLUMN body SET STATISTICS 500;\n",
        b"COPY public.notes (body, id) FROM stdin;\n",
        b"ALTER TABLE ONLY public.notes ALTER COLUMN id SET (pg_attver=1);\t1\n",
        b"\\.\n",
        b"ALTER TABLE ONLY public.notes ALTER COLUMN id SET (n_distinct_inherited=10);\n",
    ]
    assert [keep(line) for line in lines] == [
        lines[0],
        b"",
        b"ALTER TABLE ONLY public.notes ALTER COLUMN body SET (n_distinct=-0.5);\n",
        lines[3],
        lines[4],
        lines[5],  # a row of data, whatever it says
        lines[6],
        lines[7],
    ]
    assert keep.left_out == {"pg_attver": 2}


@pytest.fixture
def pg15_and_pg18():
    """A new database on the PostgreSQL service and one on the embedded 18, dropped afterwards.

    Named after this run's test database (and pytest-xdist's worker), so that two
    runs, or two workers, never share one.
    """
    service = service_or_skip()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"{connection.settings_dict['TEST']['NAME']}_{worker}_from_15"[:63]
    embedded = conninfo_to_dict(embedded_database_url(ROOT / ".data", "postgres"))
    embedded_admin = {**embedded, "dbname": "postgres"}
    servers = [(conninfo_to_dict(f"{service}/postgres"), f"{service}/{name}")]
    servers.append((embedded_admin, f"postgres://postgres@/{name}?host={quote(embedded['host'])}"))
    for admin, _url in servers:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield servers[0][1], servers[1][1]
    finally:
        for admin, _url in servers:
            with psycopg.connect(**admin, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


@pytest.mark.slow
def test_a_backup_of_postgresql_15_restores_into_the_embedded_18(tmp_path, pg15_and_pg18):
    """This machine's PostgreSQL 15 tags every column with an option 18 refuses (pg_attver).

    The restore leaves out the column options PostgreSQL itself lacks and says so.
    """
    source, target = pg15_and_pg18
    with psycopg.connect(source) as conn:
        assert conn.info.server_version // 10000 == 15, "the service is not PostgreSQL 15"
    for step in (["migrate", "--no-input"], ["seed"]):
        done = _manage(source, *step)
        assert done.returncode == 0, done.stderr
    with psycopg.connect(source, autocommit=True) as conn:
        foreign = {
            row[0]
            for row in conn.execute(
                "SELECT DISTINCT split_part(option, '=', 1) FROM pg_attribute a"
                " JOIN pg_class c ON c.oid = a.attrelid, unnest(a.attoptions) AS option"
                " WHERE c.relnamespace = 'public'::regnamespace"
            )
        } - backups.POSTGRESQL_COLUMN_OPTIONS
    path = tmp_path / "pg15.dump"
    dumped = _manage(source, "backup", str(path))
    assert dumped.returncode == 0, dumped.stderr
    original = fingerprint(source, generated=False)
    assert original["aiwatch_searchentry"][0] > 0 and original["reversion_version"][0] > 0

    restored = _manage(target, "restore", str(path))
    assert restored.returncode == 0, restored.stderr
    with psycopg.connect(target) as conn:
        assert conn.info.server_version // 10000 == 18
    assert fingerprint(target, generated=False) == original
    for option in foreign:  # pg_attver on this machine's 15; none on a stock build
        assert option in restored.stderr
    unapplied = _manage(target, "migrate", "--check")
    assert unapplied.returncode == 0, unapplied.stdout + unapplied.stderr
