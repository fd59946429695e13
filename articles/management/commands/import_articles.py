"""python manage.py import_articles PATH... [--source NAME] [--url URL] [--publish]"""

import pathlib
import textwrap
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.db import transaction

from aiwatch.core.history import recorded
from aiwatch.core.publishing import Status
from articles.cleaning import clean_capture
from articles.models import Source
from articles.services import (
    CaptureError,
    ImportOutcome,
    import_capture,
    read_capture,
    source_named,
)

DROPPED_TEXT_WIDTH = 72


@dataclass
class _Capture:
    path: pathlib.Path
    raw: str


class Command(BaseCommand):
    help = (
        "Import raw text captures of web pages as Articles (drafts unless --publish). "
        "Every file is checked first; if any is bad, nothing is imported. "
        "Captures already imported are skipped and left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=pathlib.Path, metavar="PATH")
        parser.add_argument(
            "--source", metavar="NAME", help="The outlet; created if no source has this name."
        )
        parser.add_argument(
            "--url", metavar="URL", help="The page's original URL (only with a single PATH)."
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish the new articles (default: draft)."
        )

    def handle(self, *args, paths, source=None, url=None, publish=False, **options):
        self._check_options(paths, source, url)
        captures = self._read_all(paths)
        status = Status.PUBLISHED if publish else Status.DRAFT
        with transaction.atomic(), recorded(f"import_articles: {len(paths)} capture(s)"):
            outlet = source_named(source) if source else None
            outcomes = [
                self._import(capture, source=outlet, url=url or "", status=status)
                for capture in captures
            ]
            if not any(outcome.created for outcome in outcomes):
                # A run that imports nothing leaves no trace, not even a new, unused source.
                transaction.set_rollback(True)
        self._report(outcomes)

    def _check_options(self, paths, source, url):
        if url is not None:
            if len(paths) != 1:
                raise CommandError(f"--url needs exactly one PATH, got {len(paths)}.")
            try:
                URLValidator()(url)
            except ValidationError:
                raise CommandError(f"--url {url!r} is not a valid http(s) URL.") from None
        if source is not None:
            max_length = Source._meta.get_field("name").max_length
            if not source.strip():
                raise CommandError("--source needs a name.")
            if len(source) > max_length:
                raise CommandError(f"--source is longer than {max_length} characters.")

    def _read_all(self, paths) -> list[_Capture]:
        """Read and clean every capture before writing anything, so one bad file stops all."""
        captures, problems = [], []
        for path in paths:
            try:
                raw = read_capture(path)
                clean_capture(raw)
            except CaptureError as error:
                problems.append(str(error))
            except ValueError as error:
                problems.append(f"{path}: {error}")
            else:
                captures.append(_Capture(path, raw))
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"{len(problems)} of {len(paths)} captures cannot be imported; "
                "nothing was imported."
            )
        return captures

    def _import(self, capture: _Capture, *, source, url, status) -> ImportOutcome:
        try:
            return import_capture(
                raw=capture.raw,
                label=str(capture.path),
                status=status,
                source=source,
                original_url=url,
            )
        except ValueError as error:
            # Raising inside the transaction rolls back the captures imported before this one.
            raise CommandError(f"{capture.path}: {error}; nothing was imported.") from None

    def _report(self, outcomes: list[ImportOutcome]):
        for outcome in outcomes:
            if outcome.created:
                self.stdout.write(f"created {outcome.article.slug} from {outcome.label}")
                for line in outcome.dropped:
                    self.stdout.write(
                        f"  dropped line {line.number} ({line.reason}): {_shorten(line.text)}"
                    )
            else:
                # Its dropped lines were reported when it was imported; this run changed nothing.
                self.stdout.write(f"skipped {outcome.label}: {outcome.reason}")
        created = sum(outcome.created for outcome in outcomes)
        self.stdout.write(f"{created} created, {len(outcomes) - created} skipped")


def _shorten(text: str) -> str:
    return textwrap.shorten(text, width=DROPPED_TEXT_WIDTH, placeholder=" ...")
