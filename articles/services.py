"""The write side of articles: reading capture files and importing them as Articles.

Importing is idempotent and never overwrites an editor's work: a capture is
identified by the hash of its exact text, and a capture already in the
database is skipped, whatever has been edited on its Article since.
"""

import datetime
import pathlib
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from aiwatch.core.publishing import Status
from articles.cleaning import DroppedLine, clean_capture
from articles.models import Article, Source, content_hash


class CaptureError(Exception):
    """A capture file that cannot be imported; the message names the file."""


# A text file has the odd tab or form feed; a binary file is full of control bytes.
_MAX_CONTROL_SHARE = 0.1
_CONTROL_SAMPLE = 65536  # characters: enough to tell, without scanning a huge file
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_BOM = "\ufeff"


def read_capture(path: pathlib.Path) -> str:
    """The text of a capture file, exactly as written but for a leading UTF-8 BOM.

    Line endings are left alone: the stored raw text must be the capture itself.
    Raises CaptureError for anything that is not a non-empty UTF-8 text file.
    """
    path = pathlib.Path(path)
    data = _read_bytes(path)
    if not data:
        raise CaptureError(f"{path}: the file is empty")
    if b"\x00" in data:
        raise CaptureError(f"{path}: looks like a binary file (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CaptureError(
            f"{path}: is not UTF-8 text (byte 0x{data[error.start]:02x} at offset "
            f"{error.start} cannot be decoded); re-save it as UTF-8"
        ) from None
    text = text.removeprefix(_BOM)
    if not text.strip():
        raise CaptureError(f"{path}: the file contains only whitespace")
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise CaptureError(
            f"{path}: looks like a binary file (mostly control characters), not text"
        )
    return text


def _read_bytes(path: pathlib.Path) -> bytes:
    if path.is_dir():
        raise CaptureError(f"{path}: is a directory, not a capture file")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CaptureError(f"{path}: no such file") from None
    except PermissionError:
        raise CaptureError(f"{path}: cannot be read (permission denied)") from None
    except OSError as error:
        raise CaptureError(f"{path}: cannot be read ({error.strerror or error})") from None


def _control_share(text: str) -> float:
    sample = text[:_CONTROL_SAMPLE]
    controls = sum(
        1 for char in sample if unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS
    )
    return controls / len(sample)


@dataclass
class ImportOutcome:
    label: str
    article: Article | None
    created: bool
    reason: str  # why the capture was skipped; "" when it was created
    dropped: list[DroppedLine] = field(default_factory=list)


def import_capture(
    *,
    raw: str,
    label: str = "",
    status: str = Status.DRAFT,
    source: Source | None = None,
    title: str = "",
    slug: str = "",
    original_url: str = "",
    author: str = "",
    published_on: datetime.date | None = None,
    language: str = "",
    summary: str = "",
) -> ImportOutcome:
    """Create an Article from a raw capture, unless this capture or its URL is already in.

    Explicit title, published_on and language win over what cleaning found.
    An existing Article is never changed. Raises ValueError when the capture
    has no article text or a value is invalid.

    Hides several queries: checking an explicit source and slug, the
    duplicate checks, finding a free slug, the insert (the writes in one
    transaction).
    """
    cleaned = clean_capture(raw)
    article = Article(
        title=title or cleaned.title,
        slug=slug,
        source=source,
        original_url=original_url,
        author=author,
        published_on=published_on or cleaned.published_on,
        language=language or cleaned.language,
        summary=summary,
        body=cleaned.body,
        raw=raw,
        content_hash=content_hash(raw),
        status=status,
    )
    _validate(article)

    def skipped(existing: Article, reason: str) -> ImportOutcome:
        return ImportOutcome(label, existing, False, reason, cleaned.dropped)

    with transaction.atomic():
        if duplicate := _duplicate(article):
            return skipped(*duplicate)
        # Checked after _duplicate, so re-importing with the same explicit slug is a skip.
        if article.slug and Article.objects.filter(slug=article.slug).exists():
            raise ValueError(f"the slug {article.slug!r} is already used by another article")
        try:
            # A savepoint, so a concurrent import of the same capture ends as a
            # skip rather than breaking the caller's transaction.
            with transaction.atomic():
                article.save()
        except IntegrityError:
            if duplicate := _duplicate(article):
                return skipped(*duplicate)
            raise
    return ImportOutcome(label, article, True, "", cleaned.dropped)


def _duplicate(article: Article) -> tuple[Article, str] | None:
    """The Article that makes `article` a duplicate, and why. Hides up to two queries."""
    existing = Article.objects.filter(content_hash=article.content_hash).first()
    if existing:
        return existing, f"already imported as {existing.slug}"
    if article.original_url:
        existing = Article.objects.filter(original_url=article.original_url).first()
        if existing:
            return existing, (
                f"{article.original_url} is already the URL of {existing.slug}, "
                "imported from a different capture"
            )
    return None


def _validate(article: Article) -> None:
    """Check field values before writing; uniqueness is checked in the transaction.

    Hides a query when a source is given (does it exist?).
    """
    try:
        # A blank slug is fine here: save() derives one from the title.
        article.full_clean(
            exclude=[] if article.slug else ["slug"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
        raise ValueError(f"invalid article: {problems}") from None


def source_named(name: str) -> Source:
    """The Source called `name`, ignoring case, created if there is none.

    Hides one query, two when the Source is created.
    """
    name = " ".join(name.split())
    if not name:
        raise ValueError("a source needs a name")
    existing = Source.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Source.objects.create(name=name)
    except IntegrityError:
        # Created by a concurrent import between the look-up and the insert.
        return Source.objects.get(name__iexact=name)
