"""The write side of articles: reading capture files and importing them as Articles.

Importing is idempotent and never overwrites an editor's work: a capture is
identified by the hash of its exact text, and a capture already in the
database is skipped, whatever has been edited on its Article since.
"""

import datetime
import hashlib
import pathlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from aiwatch.core.publishing import Status
from articles import intake
from articles.cleaning import DroppedLine
from articles.intake import CaptureError, Extracted
from articles.intake.decoding import decode
from articles.intake.files import WARC_SUFFIXES
from articles.models import Article, Original, Republication, Source, content_hash
from articles.shingles import similarity

__all__ = [
    "CaptureError",
    "ImportOutcome",
    "check_importable",
    "duplicates_of",
    "import_capture",
    "outlet_furniture",
    "read_capture",
    "source_named",
]

# An outlet's earlier captures compared with new ones: enough to see its furniture.
OUTLET_HISTORY = 50
# Shingles two texts must share, by MinHash estimate, for one to be taken as a republication.
REPUBLICATION_SIMILARITY = 0.5


def read_capture(path: pathlib.Path) -> str:
    """The text of a text capture file, decoded as import_articles decodes it.

    Line endings are left alone: the stored raw text must be the capture itself.
    Raises CaptureError for anything that is not a non-empty text file.
    """
    if str(path).lower().endswith(WARC_SUFFIXES):
        raise CaptureError(f"{path}: is a web archive, not a text capture")
    (file,) = intake.read(path)  # refuses a binary file
    return decode(file.label, file.data).text.removeprefix("\ufeff")


@dataclass
class ImportOutcome:
    label: str
    article: Article | None
    created: bool
    reason: str  # why the capture was skipped; "" when it was created
    extracted: Extracted
    republications: list[Republication] = field(default_factory=list)
    others: list["ImportOutcome"] = field(default_factory=list)  # an archive's other pages

    @property
    def dropped(self) -> list[DroppedLine]:
        """What extraction left out of the capture, each with its reason."""
        return self.extracted.dropped


def import_capture(
    *,
    raw: str = "",
    extracted: Extracted | None = None,
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
    role: str = "",
    seed_key: str | None = None,
) -> ImportOutcome:
    """Create an Article from a capture, unless this capture or its URL is already in.

    Give `extracted` (what articles.intake made of a file) or the `raw` text
    of a text capture. Explicit values win over what the page declares, which
    wins over what cleaning guessed; with no `source`, the outlet the page
    names is used (created if new). The original file is kept beside the
    article, and the article is linked to any earlier one whose text it
    republishes. An existing Article is never changed. `seed_key` is the
    seed command's name for the article (aiwatch.core.seeding). Raises
    ValueError when the capture has no article text or a value is invalid.

    Hides several queries: checking an explicit source and slug, the
    duplicate checks, finding a free slug, the inserts, the republication
    check (the writes in one transaction).
    """
    if extracted is None:
        try:
            extracted = intake.extract_text(raw, label=label)
        except CaptureError as error:
            raise ValueError(str(error).removeprefix(f"{label}: ")) from None
    article = _article_from(
        extracted,
        title=title,
        slug=slug,
        source=source,
        original_url=original_url,
        author=author,
        published_on=published_on,
        language=language,
        role=role,
        summary=summary,
        status=status,
        seed_key=seed_key,
    )
    _validate(article)

    def skipped(existing: Article, reason: str) -> ImportOutcome:
        return ImportOutcome(label, existing, False, reason, extracted)

    with transaction.atomic():
        if duplicate := _duplicate(article, extracted.original):
            return skipped(*duplicate)
        # Checked after _duplicate, so re-importing with the same explicit slug is a skip.
        if article.slug and Article.objects.filter(slug=article.slug).exists():
            raise ValueError(f"the slug {article.slug!r} is already used by another article")
        try:
            # A savepoint, so a concurrent import of the same capture ends as a
            # skip rather than breaking the caller's transaction.
            with transaction.atomic():
                if article.source is None and extracted.site_name:
                    article.source = source_named(str(extracted.site_name.value)[:200])
                article.save()
                if extracted.original:
                    Original.objects.create(
                        article=article,
                        content=extracted.original,
                        media_type=extracted.media_type,
                        filename=extracted.filename[:255],
                        archive_headers=extracted.archive_headers,
                    )
                republications = link_republications(article)
        except IntegrityError:
            if duplicate := _duplicate(article, extracted.original):
                return skipped(*duplicate)
            raise
    return ImportOutcome(label, article, True, "", extracted, republications)


def _article_from(extracted: Extracted, **explicit) -> Article:
    """The unsaved Article for `extracted`: explicit values first, then what was found."""
    return Article(
        title=explicit["title"] or str(extracted.title.value),
        slug=explicit["slug"],
        source=explicit["source"],
        original_url=explicit["original_url"] or str(extracted.url.value or ""),
        author=explicit["author"] or str(extracted.author.value or ""),
        published_on=explicit["published_on"] or extracted.published_on.value or None,
        modified_on=extracted.modified_on.value or None,
        language=explicit["language"] or str(extracted.language.value or "") or "en",
        role=explicit["role"],
        summary=explicit["summary"],
        body=extracted.body,
        raw=extracted.raw,
        content_hash=content_hash(extracted.raw),
        encoding=str(extracted.encoding.value or ""),
        provenance=extracted.provenance(),
        captured_at=extracted.captured_at,
        status=explicit["status"],
        seed_key=explicit.get("seed_key"),
    )


def check_importable(extracted: Extracted, *, original_url: str = "", role: str = "") -> None:
    """Raise ValueError, as import_capture would, if `extracted` cannot be saved as it is.

    For a dry run: the same checks, no write. Hides no query.
    """
    _validate(
        _article_from(
            extracted,
            title="",
            slug="",
            source=None,
            original_url=original_url,
            author="",
            published_on=None,
            language="",
            role=role,
            summary="",
            status=Status.DRAFT,
        )
    )


def link_republications(article: Article) -> list[Republication]:
    """Link `article` to each article whose text it shares, the later as the republication.

    Candidates share a MinHash band (an indexed overlap); each is kept when the
    estimated similarity reaches REPUBLICATION_SIMILARITY. Links an editor has
    already rejected stay rejected. Hides two queries, and one insert a link.
    """
    if not article.minhash_bands:
        return []
    candidates = (
        Article.objects.filter(minhash_bands__overlap=article.minhash_bands)
        .exclude(pk=article.pk)
        .only("pk", "minhash", "published_on", "created_at", "slug", "title")
    )
    links = []
    for other in candidates:
        score = similarity(article.minhash, other.minhash)
        if score < REPUBLICATION_SIMILARITY:
            continue
        copy, original = (other, article) if _earlier(article, other) else (article, other)
        link, _ = Republication.objects.get_or_create(
            copy=copy, original=original, defaults={"similarity": round(score, 3)}
        )
        links.append(link)
    return links


def _earlier(a: Article, b: Article) -> bool:
    """Whether `a` came out before `b`: by publication date, else by import order."""
    if a.published_on and b.published_on and a.published_on != b.published_on:
        return a.published_on < b.published_on
    if a.published_on and not b.published_on:
        return True
    if b.published_on and not a.published_on:
        return False
    return (a.created_at, a.pk) < (b.created_at, b.pk)


def _matches(digest: str, url: str, file_digest: str) -> list[tuple[Article, str]]:
    """Articles with this capture's hash, this URL, or this original file; and which. One query.

    The file is checked too: extraction improves, and the same saved page
    must not come in twice because its text now comes out differently.
    """
    same = Q(content_hash=digest)
    if url:
        same |= Q(original_url=url)
    if file_digest:
        same |= Q(original__sha256=file_digest)
    found = []
    articles = Article.objects.filter(same).annotate(file_digest=F("original__sha256"))
    for article in articles.order_by("pk"):
        if article.content_hash == digest:
            found.append((article, "capture"))
        elif file_digest and article.file_digest == file_digest:
            found.append((article, "file"))
        else:
            found.append((article, "url"))
    return found


def _file_digest(original: bytes) -> str:
    return hashlib.sha256(original).hexdigest() if original else ""


def _duplicate(article: Article, original: bytes) -> tuple[Article, str] | None:
    """The Article that makes `article` a duplicate, and why. Hides a query."""
    for existing, kind in _matches(
        article.content_hash, article.original_url, _file_digest(original)
    ):
        match kind:
            case "capture":
                return existing, f"already imported as {existing.slug}"
            case "file":
                return existing, f"the same file was imported as {existing.slug}"
            case "url":
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


def duplicates_of(
    raw: str, original_url: str = "", *, original: bytes = b""
) -> list[tuple[Article, str]]:
    """The Articles that would make importing `raw` (from `original_url`) a duplicate, and why.

    The checks of import_capture, reported together: the same capture (its
    content hash), the same original URL, the same original file. One query.
    """
    why = {
        "capture": "this capture has already been imported",
        "file": "this file has already been imported",
        "url": f"{original_url} is already the URL of another article",
    }
    return [
        (article, why[kind])
        for article, kind in _matches(content_hash(raw), original_url, _file_digest(original))
    ]


def outlet_furniture(*, source_name: str, texts: list[str]) -> frozenset[str]:
    """The lines most of an outlet's captures share, `texts` and its OUTLET_HISTORY latest.

    Hides one query.
    """
    earlier = (
        Article.objects.from_outlet(source_name)
        .order_by("-created_at")
        .values_list("raw", flat=True)[:OUTLET_HISTORY]
    )
    return intake.outlet_lines([*texts, *earlier])
