import os
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from aiwatch.core import backups
from aiwatch.core.progress import progress


class Command(BaseCommand):
    help = (
        "Back up the configured database to FILE with pg_dump (custom format, compressed)."
        " Restore it with `manage.py restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="where to write the backup")

    def handle(self, *args, file: Path, **options):
        target = file.expanduser().resolve()
        if target.is_dir():
            raise CommandError(f"{file} is a folder; name the backup file to write.")
        if not target.parent.is_dir():
            raise CommandError(f"{target.parent}: no such folder.")
        started = time.monotonic()
        try:
            tool = backups.client_tool("pg_dump", connection.pg_version // 10000)
            total = self._count_tables()
        except DatabaseError as error:
            name = connection.settings_dict["NAME"]
            raise CommandError(f"Cannot reach the database {name}: {error}".strip()) from None
        # Same folder, so the rename is atomic: FILE is either the old one or a complete new one.
        fd, partial = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
        )
        os.close(fd)
        command = [tool, "--format=custom", "--verbose", f"--file={partial}"]
        run = backups.ToolRun(
            command,
            backups.libpq_environment(connection.settings_dict),
            "dumping contents of table",
        )
        try:
            for _table in progress(
                run.tables(), total=total, label="backup", stream=self._progress_stream()
            ):
                pass
            if run.finish() != 0:
                raise CommandError(f"pg_dump failed: {backups.first_error(run.errors)}")
            # A dump is only a backup once it can be read back.
            archive = backups.read_archive(
                Path(partial),
                backups.newest_shipped_tool("pg_restore"),
                "pg_dump wrote a damaged file; no backup was written.",
            )
            with open(partial, "rb") as written:
                os.fsync(written.fileno())
            os.replace(partial, target)
        finally:
            run.stop()
            if os.path.exists(partial):
                os.unlink(partial)
        size = target.stat().st_size
        self.stdout.write(
            f"Backed up {len(archive.tables)} tables of {connection.settings_dict['NAME']}"
            f" to {file} ({size / 1e6:.1f} MB) in {time.monotonic() - started:.1f} s."
        )

    def _count_tables(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                " AND n.nspname NOT LIKE 'pg\\_toast%%'"
            )
            return cursor.fetchone()[0]

    def _progress_stream(self):
        return getattr(self.stderr, "_out", self.stderr)
