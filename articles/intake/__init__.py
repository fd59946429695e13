"""Intake: capture files of any outlet, read, decoded and reduced to articles, with a report.

    files.read(path)  ->  [File]        text, HTML, or the HTML pages of a web archive
    extract(file)     ->  Extracted     decoded; HTML by trafilatura, text by articles.cleaning

Nothing here writes to the database: articles.services imports what this gives,
and a dry run stops after it.
"""

import textwrap

from aiwatch.core.text import count_control_characters, without_control_characters
from articles.cleaning import (
    DroppedLine,
    boilerplate_reason,
    clean_capture,
    ends_like_sentence,
    normalise_line,
    word_count,
)
from articles.intake import html
from articles.intake.decoding import decode
from articles.intake.files import CaptureError, File, expand, read
from articles.intake.result import NOT_FOUND, Extracted, Found

__all__ = [
    "CaptureError",
    "Extracted",
    "File",
    "Found",
    "expand",
    "extract",
    "extract_text",
    "outlet_lines",
    "read",
]


def extract(file: File, *, outlet_lines: frozenset[str] = frozenset()) -> Extracted:
    """The article in `file`. Raises CaptureError when there is none, or the file is not text.

    `outlet_lines` are lines seen on other captures of the same outlet: in a
    text capture they are page furniture.
    """
    decoded = decode(
        file.label, file.data, declared=file.declared_charset, html=file.kind == "html"
    )
    encoding = Found(decoded.encoding, decoded.how)
    text, warning = _without_controls(decoded.text)
    if file.kind == "html":
        extracted = html.extract(label=file.label, text=text, url=file.url)
        _drop_residual_boilerplate(extracted)
    else:
        extracted = _extract_text(file.label, text, outlet_lines)
    extracted.warnings.extend(warning)
    extracted.encoding = encoding
    _fit(extracted)
    extracted.captured_at = file.captured_at
    extracted.original = file.data
    extracted.filename = file.filename
    extracted.archive_headers = file.archive_headers
    return extracted


def _fit(extracted: Extracted) -> None:
    """Declared metadata an Article cannot hold is shortened or left out, with a warning.

    A 400-character og:title or a canonical link that is not a web address is the
    page's mistake, not a reason to refuse the article.
    """
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    from articles.models import Article

    def limit(name: str) -> int:
        return Article._meta.get_field(name).max_length

    title = str(extracted.title.value)
    if len(title) > limit("title"):
        shortened = textwrap.shorten(title, width=limit("title"), placeholder=" …")
        extracted.title = Found(shortened, extracted.title.source)
        extracted.warnings.append(f"the title was {len(title)} characters; it was shortened")
    for name, found in (("author", extracted.author), ("site_name", extracted.site_name)):
        if found and len(str(found.value)) > 200:
            setattr(extracted, name, Found(str(found.value)[:200], found.source))
    url = str(extracted.url.value or "")
    if url:
        try:
            if len(url) > limit("original_url"):
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            extracted.url = NOT_FOUND
            extracted.warnings.append(
                f"the page's URL ({url[:80]}) is not a web address aiwatch can store; left out"
            )


def extract_text(raw: str, *, label: str = "", outlet_lines: frozenset[str] = frozenset()):
    """The article in a text capture already decoded (a paste, a seed file)."""
    text, warning = _without_controls(raw)
    extracted = _extract_text(label, text, outlet_lines)
    extracted.warnings.extend(warning)
    _fit(extracted)
    return extracted


def _without_controls(text: str) -> tuple[str, list[str]]:
    """The capture's text without control characters, and a warning if there were any.

    Dropped before anything is read from it, so that the stored capture, the
    body, the dropped lines' numbers and the quotes' positions all refer to the
    same text; the original file keeps them.
    """
    count = count_control_characters(text)
    if not count:
        return text, []
    return without_control_characters(text), [
        f"{count} control character{'' if count == 1 else 's'} (a vertical tab, a NUL…) "
        "left out of the text; the original file keeps them"
    ]


def _extract_text(label: str, text: str, outlet_lines: frozenset[str]) -> Extracted:
    # A leading BOM is not part of the capture; line endings are, as written.
    text = text.removeprefix("\ufeff")
    try:
        cleaned = clean_capture(text, outlet_lines=outlet_lines)
    except ValueError as error:
        raise CaptureError(f"{label}: {error}" if label else str(error)) from None
    return Extracted(
        label=label,
        kind="text",
        raw=text,
        body=cleaned.body,
        title=Found(cleaned.title, f"text line {cleaned.title_line}"),
        published_on=(
            Found(cleaned.published_on, f"text line {cleaned.date_line}")
            if cleaned.published_on
            else NOT_FOUND
        ),
        author=(
            Found(cleaned.author, f"text line {cleaned.author_line}")
            if cleaned.author
            else NOT_FOUND
        ),
        language=Found(cleaned.language, "guessed from the text"),
        dropped=list(cleaned.dropped),
        warnings=list(cleaned.warnings),
        media_type="text/plain",
    )


def _drop_residual_boilerplate(extracted: Extracted) -> None:
    """Lines trafilatura kept that read as page furniture on their own (a share bar, a credit)."""
    kept, paragraphs = [], extracted.body.split("\n\n")
    for paragraph in paragraphs:
        # trafilatura chose this text as the article's: only a short line, or one that is
        # not a sentence, is overruled by how it reads on its own.
        long_sentence = ends_like_sentence(paragraph) and word_count(paragraph) > 8
        reason = "" if long_sentence else boilerplate_reason(paragraph)
        if reason:
            extracted.dropped.append(DroppedLine(0, paragraph, reason))
        else:
            kept.append(paragraph)
    # A paragraph in brackets at either end is an editor's note about the story, not the story.
    for edge in (0, -1):
        if len(kept) > 1 and _is_bracketed(kept[edge]):
            extracted.dropped.append(DroppedLine(0, kept.pop(edge), "editor's note"))
    # A short line after the last paragraph heads nothing: "Ends", a sign-off, a label.
    while len(kept) > 1 and not ends_like_sentence(kept[-1]) and _is_label(kept[-1]):
        extracted.dropped.append(DroppedLine(0, kept.pop(), "page footer"))
    if kept and len(kept) != len(paragraphs):
        extracted.body = "\n\n".join(kept)


def _is_label(text: str) -> bool:
    # Three words at most, and 30 characters: a Chinese line has no spaces to count words by.
    return len(text.split()) <= 3 and len(text) <= 30


def _is_bracketed(text: str) -> bool:
    text = text.strip()
    return len(text) > 2 and (text[0], text[-1]) in (("(", ")"), ("[", "]"), ("（", "）"))


def outlet_lines(texts: list[str]) -> frozenset[str]:
    """The lines in at least half of three or more `texts` of one outlet: its furniture.

    Two captures are not enough to tell furniture from a shared headline (two
    versions of one story), and the same capture twice counts once.
    """
    texts = list(dict.fromkeys(texts))
    if len(texts) < 3:
        return frozenset()
    needed = max(2, (len(texts) + 1) // 2)
    seen: dict[str, int] = {}
    for text in texts:
        for line in {normalise_line(line) for line in text.split("\n") if line.strip()}:
            seen[line] = seen.get(line, 0) + 1
    return frozenset(line for line, count in seen.items() if count >= needed)
