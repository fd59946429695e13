"""python manage.py import_articles PATH... [--source NAME] [--url URL] [--role ROLE]
[--publish] [--dry-run]"""

import pathlib
import textwrap
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.db import transaction

from aiwatch.core.history import recorded
from aiwatch.core.progress import progress
from aiwatch.core.publishing import Status
from articles import intake
from articles.intake import CaptureError, Extracted
from articles.intake.decoding import decode
from articles.models import Role, Source, content_hash
from articles.services import (
    ImportOutcome,
    check_importable,
    duplicates_of,
    import_capture,
    outlet_furniture,
    source_named,
)

DROPPED_TEXT_WIDTH = 72


@dataclass
class _Refused:
    label: str
    reason: str


class Command(BaseCommand):
    help = (
        "Import captures of web pages as Articles (drafts unless --publish): text files, "
        "saved HTML pages and web archives (.warc, .warc.gz), or folders of them. "
        "Every file is checked first; if any is refused, nothing is imported. "
        "Captures already imported are skipped and left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=pathlib.Path, metavar="PATH")
        parser.add_argument(
            "--source",
            metavar="NAME",
            help="The outlet; created if no source has this name. "
            "Default: the outlet the page names, if it does.",
        )
        parser.add_argument(
            "--url", metavar="URL", help="The page's original URL (only with a single capture)."
        )
        parser.add_argument(
            "--role", choices=Role.values, help="The articles' role in the story (default: unset)."
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish the new articles (default: draft)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be imported, and what would be dropped, without writing.",
        )

    def handle(
        self,
        *args,
        paths,
        source=None,
        url=None,
        role=None,
        publish=False,
        dry_run=False,
        **options,
    ):
        self._check_options(source, url)
        extracted, refused = self._extract_all(paths, source)
        if url is not None and len(extracted) + len(refused) != 1:
            raise CommandError(
                f"--url needs exactly one capture, got {len(extracted) + len(refused)}."
            )
        if refused:
            for item in refused:
                self.stderr.write(f"refused {item.label}: {item.reason}")
            raise CommandError(
                f"{len(refused)} of {len(extracted) + len(refused)} captures cannot be imported; "
                "nothing was imported."
            )
        if dry_run:
            self._report_dry_run(extracted, url or "")
            return
        status = Status.PUBLISHED if publish else Status.DRAFT
        with transaction.atomic(), recorded(f"import_articles: {len(extracted)} capture(s)"):
            outlet = source_named(source) if source else None
            outcomes = [
                self._import(item, source=outlet, url=url or "", status=status, role=role or "")
                for item in progress(
                    extracted, total=len(extracted), label="import", stream=self._progress_stream()
                )
            ]
            if not any(outcome.created for outcome in outcomes):
                # A run that imports nothing leaves no trace, not even a new, unused source.
                transaction.set_rollback(True)
        self._report(outcomes)

    def _check_options(self, source, url):
        if url is not None:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                raise CommandError(f"--url {url!r} is not a valid http(s) URL.") from None
        if source is not None:
            max_length = Source._meta.get_field("name").max_length
            if not source.strip():
                raise CommandError("--source needs a name.")
            if len(source) > max_length:
                raise CommandError(f"--source is longer than {max_length} characters.")

    def _progress_stream(self):
        return getattr(self.stderr, "_out", self.stderr)

    def _extract_all(self, paths, source) -> tuple[list[Extracted], list[_Refused]]:
        """Read, decode and extract every capture before writing anything."""
        files, refused = [], []
        for given in paths:
            try:
                found = intake.expand([given])
            except CaptureError as error:
                refused.append(_Refused(str(given), str(error).removeprefix(f"{given}: ")))
                continue
            for path in found:
                try:
                    files.extend(intake.read(path))
                except CaptureError as error:
                    refused.append(_Refused(str(path), str(error).removeprefix(f"{path}: ")))
        furniture = self._furniture(files, source)
        extracted = []
        for file in progress(
            files, total=len(files), label="extract", stream=self._progress_stream()
        ):
            try:
                extracted.append(intake.extract(file, outlet_lines=furniture))
            except CaptureError as error:
                refused.append(_Refused(file.label, str(error).removeprefix(f"{file.label}: ")))
        return extracted, refused

    @staticmethod
    def _furniture(files, source) -> frozenset[str]:
        """With --source, the lines most of that outlet's text captures share: its furniture.

        Without it nothing says which captures are one outlet's: a folder of a
        week's coverage holds many outlets, and wire copy that two of them ran.
        """
        if not source:
            return frozenset()
        texts = []
        for file in files:
            if file.kind == "text":
                try:
                    texts.append(decode(file.label, file.data).text)
                except CaptureError:
                    continue  # refused, with its reason, when it is extracted
        return outlet_furniture(source_name=source, texts=texts)

    def _import(self, item: Extracted, *, source, url, status, role) -> ImportOutcome:
        try:
            return import_capture(
                extracted=item,
                label=item.label,
                status=status,
                source=source,
                original_url=url,
                role=role,
            )
        except ValueError as error:
            # Raising inside the transaction rolls back the captures imported before this one.
            raise CommandError(f"{item.label}: {error}; nothing was imported.") from None

    # --- the report -----------------------------------------------------------

    def _report(self, outcomes: list[ImportOutcome]):
        for outcome in outcomes:
            if outcome.created:
                self.stdout.write(f"created {outcome.article.slug} from {outcome.label}")
                self._describe(outcome.extracted, outcome.article)
                for link in outcome.republications:
                    other = link.original if link.copy == outcome.article else link.copy
                    relation = (
                        "republishes" if link.copy == outcome.article else "is republished by"
                    )
                    self.stdout.write(
                        f"  {relation} {other.slug} (similarity {link.similarity:.2f}; "
                        f"{link.get_status_display().lower()}, for an editor to confirm)"
                    )
            else:
                # Its dropped lines were reported when it was imported; this run changed nothing.
                self.stdout.write(f"skipped {outcome.label}: {outcome.reason}")
        created = sum(outcome.created for outcome in outcomes)
        self.stdout.write(f"{created} created, {len(outcomes) - created} skipped")

    def _report_dry_run(self, extracted: list[Extracted], url: str):
        created, seen = 0, {}
        for item in extracted:
            page_url = url or str(item.url.value or "")
            duplicates = duplicates_of(item.raw, page_url, original=item.original)
            earlier = seen.get(content_hash(item.raw)) or (page_url and seen.get(page_url))
            if duplicates:
                article, reason = duplicates[0]
                self.stdout.write(f"would skip {item.label}: {reason} ({article.slug})")
                continue
            if earlier:
                self.stdout.write(f"would skip {item.label}: the same capture as {earlier}")
                continue
            try:
                check_importable(item, original_url=url)
            except ValueError as error:
                raise CommandError(f"{item.label}: {error}; nothing would be imported.") from None
            seen[content_hash(item.raw)] = item.label
            if page_url:
                seen[page_url] = item.label
            created += 1
            self.stdout.write(f"would create from {item.label}")
            self._describe(item, None)
        self.stdout.write(
            f"{created} would be created, {len(extracted) - created} skipped "
            "(dry run: nothing was written)"
        )

    def _describe(self, item: Extracted, article):
        def field(label, found, value=None):
            shown = value if value is not None else found.value
            if found:
                self.stdout.write(f"  {label}: {shown} ({found.source})")
            else:
                self.stdout.write(f"  {label}: none found")

        field("title", item.title, article.title if article else None)
        field("date", item.published_on)
        if item.modified_on:
            field("updated", item.modified_on)
        field("author", item.author)
        if item.site_name:
            field("outlet", item.site_name)
        if item.url:
            field("url", item.url)
        field("encoding", item.encoding)
        for warning in item.warnings:
            self.stdout.write(f"  warning: {warning}")
        for line in item.dropped:
            where = f"line {line.number}" if line.number else "block"
            self.stdout.write(f"  dropped {where} ({line.reason}): {_shorten(line.text)}")


def _shorten(text: str) -> str:
    return textwrap.shorten(text, width=DROPPED_TEXT_WIDTH, placeholder=" ...")
