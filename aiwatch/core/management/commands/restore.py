import time
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from aiwatch.core import backups, page_cache
from aiwatch.core.progress import progress

UNTOUCHED = "the database was not touched."


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database, in one"
        " transaction. Refuses a database that is not empty unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a backup written by `manage.py backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore into a database that is not empty, dropping what the backup holds first",
        )

    def handle(self, *args, file: Path, force: bool, **options):
        started = time.monotonic()
        # Everything about the file is checked before the database is looked at.
        archive = backups.read_archive(file, backups.newest_shipped_tool("pg_restore"), UNTOUCHED)
        self._check_holds_aiwatch(file, archive)
        name = connection.settings_dict["NAME"]
        try:
            server_major = connection.pg_version // 10000
            in_place = self._tables_in_the_way()
        except DatabaseError as error:
            raise CommandError(f"Cannot reach the database {name}: {error}".strip()) from None
        if archive.server_major > server_major:
            raise CommandError(
                f"{file} is a backup of PostgreSQL {archive.server_major}, and {name} is on"
                f" PostgreSQL {server_major}: a backup restores into its own version or a newer"
                f" one; {UNTOUCHED}"
            )
        major = max(server_major, archive.pg_dump_major)
        tool, psql = backups.client_tool("pg_restore", major), backups.client_tool("psql", major)
        if in_place and not force:
            raise CommandError(
                f"The database {name} is not empty (it has {', '.join(in_place[:3])}"
                f"{', …' if len(in_place) > 3 else ''}); {UNTOUCHED} Restore into a new, empty"
                " database, or give --force to replace what the backup holds."
            )
        connection.close()
        restore_command = [
            tool,
            "--file=-",  # as SQL, for psql (see backups.ScriptRestore)
            "--format=custom",
            # Objects belong to the user aiwatch connects as, whoever owned them before.
            "--no-owner",
            "--no-acl",
            # All or nothing: one transaction, which an error midway rolls back.
            "--single-transaction",
            "--verbose",
            *(["--clean", "--if-exists"] if force else []),
            str(file),
        ]
        psql_command = [
            psql,
            f"--dbname={name}",
            "--no-psqlrc",
            "--quiet",
            "--set=ON_ERROR_STOP=1",
            "--file=-",
        ]
        run = backups.ScriptRestore(
            restore_command, psql_command, backups.libpq_environment(connection.settings_dict)
        )
        try:
            for _table in progress(
                run.tables(),
                total=len(archive.tables),
                label="restore",
                stream=getattr(self.stderr, "_out", self.stderr),
            ):
                pass
            error = run.finish()
            if error:
                raise CommandError(f"The restore failed and was rolled back: {error}")
        finally:
            run.stop()
        if run.filter.left_out:
            left_out = ", ".join(
                f"{option} ({count} columns)" for option, count in run.filter.left_out.items()
            )
            self.stderr.write(
                "Left out column options that are not PostgreSQL's own (the server the backup"
                f" came from set them): {left_out}."
            )
        # pg_restore wrote behind Django's back: the readers' kept pages show what was there.
        page_cache.content_changed()
        self.stdout.write(
            f"Restored {len(archive.tables)} tables from {file} into {name}"
            f" in {time.monotonic() - started:.1f} s. If the backup is older than this code,"
            " run `manage.py migrate` next."
        )

    def _check_holds_aiwatch(self, file: Path, archive: backups.Archive) -> None:
        names = {table.split(".", 1)[1] for table in archive.tables}
        missing = ["django_migrations"] if "django_migrations" not in names else []
        for label in ("aiwatch", "articles", "entities"):
            tables = {model._meta.db_table for model in apps.get_app_config(label).get_models()}
            if not tables & names:
                missing.append(f"{label}'s tables")
        if missing:
            raise CommandError(
                f"{file} is not a backup of aiwatch (it has no {', '.join(missing)}); {UNTOUCHED}"
            )

    def _tables_in_the_way(self) -> list[str]:
        """aiwatch's tables, and any other table in the public schema that holds a row.

        Hides one query per table that is not aiwatch's.
        """
        ours = set(connection.introspection.django_table_names())
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
            )
            tables = [row[0] for row in cursor.fetchall()]
            in_the_way = [table for table in tables if table in ours]
            for table in tables:
                if table in ours:
                    continue
                cursor.execute(
                    f"SELECT EXISTS (SELECT 1 FROM public.{connection.ops.quote_name(table)})"
                )
                if cursor.fetchone()[0]:
                    in_the_way.append(table)
        return in_the_way
