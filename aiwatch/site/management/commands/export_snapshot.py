from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aiwatch.core.page_cache import content_changed
from aiwatch.site.snapshots import store
from aiwatch.site.snapshots.export import SnapshotError, export


class Command(BaseCommand):
    help = (
        "Write a versioned snapshot of everything published (JSON Lines, CSV, SQLite, the data "
        "dictionary, a manifest with checksums and a citation, a changelog) into DIR/vN, "
        "unless the data is as the latest snapshot there has it. /data/ serves "
        "AIWATCH_SNAPSHOT_DIR, the default DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            type=Path,
            help=f"where the versions are kept (default: {store.root()})",
        )

    def handle(self, *args, directory: Path | None, **options):
        directory = (directory or store.root()).expanduser().resolve()
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is a file; name a folder for the snapshots.")
        try:
            outcome = export(directory, stream=self.stderr)
        except SnapshotError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"cannot write the snapshot: {error}") from None
        snapshot = outcome.snapshot
        counts = snapshot.manifest["counts"]
        what = ", ".join(f"{counts[t]} {t}" for t in ("articles", "entities", "events", "claims"))
        if not outcome.created:
            self.stdout.write(
                f"The data is as {snapshot.name} has it ({what}): no new snapshot written."
            )
            return
        # The list at /data/ and every page's footer name the newest version.
        content_changed()
        date = snapshot.manifest["date"] or "no date"
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {snapshot.name} ({date}): {what}, into {snapshot.path}")
        )
