"""Reading capture files: text, saved HTML pages and web archives (WARC), checked before use.

Each file gives one or more Files: the bytes of one page or text, with what
the file says about them (the URL a web archive fetched, when, and the HTTP
headers). Nothing here decodes or extracts; nothing touches the database.

Every refusal is a CaptureError whose message names the file and says what
is wrong with it, so an editor can fix it: too big, compressed too far (a gzip
bomb), truncated or corrupt, binary, empty.
"""

import datetime
import gzip
import io
import pathlib
import zlib
from dataclasses import dataclass

MAX_FILE_BYTES = 20 * 1024 * 1024
# A web archive may hold many pages, but one that inflates past this is a
# gzip bomb or not a capture of coverage: refused before it fills the memory.
MAX_ARCHIVE_BYTES = 100 * 1024 * 1024
_CHUNK = 1024 * 1024

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WARC_SUFFIXES = (".warc", ".warc.gz")
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + WARC_SUFFIXES

# Magic numbers of the binary files most often picked by mistake.
_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or a Word or Excel file)",
    b"\x1f\x8b": "gzip-compressed data",
    b"RIFF": "a RIFF file (WebP, WAV or AVI)",
    b"\x7fELF": "a program",
}
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class CaptureError(Exception):
    """A capture file that cannot be imported; the message names the file."""


@dataclass(frozen=True)
class File:
    """The bytes of one page or text capture, and what its container says about them."""

    label: str  # the path, and for an archive the record: "week.warc.gz, record 3"
    filename: str
    data: bytes
    kind: str  # "html" or "text"
    url: str = ""
    captured_at: datetime.datetime | None = None
    declared_charset: str = ""  # from an archived HTTP response's Content-Type
    archive_headers: str = ""


def expand(paths: list[pathlib.Path]) -> list[pathlib.Path]:
    """The capture files named: files as given, folders by their captures, sorted, recursively.

    Hidden files and files of other types inside a folder are skipped; a
    folder with no captures at all is an error.
    """
    found = []
    for path in map(pathlib.Path, paths):
        if not path.is_dir():
            found.append(path)
            continue
        inside = sorted(
            child
            for child in path.rglob("*")
            if child.is_file()
            and not any(part.startswith(".") for part in child.relative_to(path).parts)
            and child.name.lower().endswith(SUFFIXES)
        )
        if not inside:
            raise CaptureError(
                f"{path}: the folder holds no captures ({', '.join(SUFFIXES)} files)"
            )
        found.extend(inside)
    return found


def read(path: pathlib.Path) -> list[File]:
    """The captures in the file at `path`. Raises CaptureError for a file that cannot be used."""
    path = pathlib.Path(path)
    data = _read_bytes(path)
    name = path.name.lower()
    if name.endswith(WARC_SUFFIXES) or data[:5] == b"WARC/" or _is_gzipped_warc(data):
        return _read_warc(path, data)
    refuse_binary(str(path), data)
    kind = "html" if name.endswith(HTML_SUFFIXES) or _looks_like_html(data) else "text"
    return [File(label=str(path), filename=path.name, data=data, kind=kind)]


def _read_bytes(path: pathlib.Path) -> bytes:
    if path.is_dir():
        raise CaptureError(f"{path}: is a directory, not a capture file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CaptureError(
                f"{path}: is {size / 1024 / 1024:.1f} MB, over the "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB limit for a capture"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise CaptureError(f"{path}: no such file") from None
    except PermissionError:
        raise CaptureError(f"{path}: cannot be read (permission denied)") from None
    except OSError as error:
        raise CaptureError(f"{path}: cannot be read ({error.strerror or error})") from None
    if not data:
        raise CaptureError(f"{path}: the file is empty")
    if not data.strip():
        raise CaptureError(f"{path}: the file contains only whitespace")
    return data


def refuse_binary(label: str, data: bytes) -> None:
    """Raise CaptureError if `data` is a known binary format or holds NUL bytes."""
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise CaptureError(f"{label}: is {what} (a binary file), not a text or HTML capture")
    if b"\x00" in data[:65536] and not data.startswith(_UTF16_BOMS):
        raise CaptureError(f"{label}: looks like a binary file (it contains NUL bytes), not text")


def _looks_like_html(data: bytes) -> bool:
    start = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _is_gzipped_warc(data: bytes) -> bool:
    if not data.startswith(b"\x1f\x8b"):
        return False
    try:
        return (
            zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:4096], 16).startswith(b"WARC/")
        )
    except zlib.error:
        return False


# --- web archives -------------------------------------------------------------


def _inflate(path: pathlib.Path, data: bytes) -> bytes:
    """The WARC inside a .warc.gz, every gzip member of it, within MAX_ARCHIVE_BYTES."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            return _read_capped(
                stream,
                MAX_ARCHIVE_BYTES,
                f"{path}: inflates to more than {MAX_ARCHIVE_BYTES // 2**20} MB "
                f"from {len(data) / 2**20:.1f} MB (a gzip bomb?); not read",
            )
    except EOFError:
        raise CaptureError(
            f"{path}: the archive is truncated (the gzip stream ends early)"
        ) from None
    except (OSError, zlib.error) as error:
        raise CaptureError(f"{path}: the archive is corrupt ({error})") from None


def _read_warc(path: pathlib.Path, data: bytes) -> list[File]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if data.startswith(b"\x1f\x8b"):
        data = _inflate(path, data)
    if not data.startswith(b"WARC/"):
        raise CaptureError(f"{path}: is not a web archive (a WARC file starts with 'WARC/')")
    pages, records = [], 0
    try:
        for record in ArchiveIterator(io.BytesIO(data), check_digests="raise"):
            records += 1
            page = _page(path, record, records)
            if page:
                pages.append(page)
    except CaptureError:
        raise
    except ArchiveLoadFailed as error:
        raise CaptureError(
            f"{path}: the archive is corrupt at record {records + 1} ({error})"
        ) from None
    except Exception as error:
        raise CaptureError(
            f"{path}: the archive is corrupt at record {records + 1} "
            f"({type(error).__name__}: {error})"
        ) from None
    if not records:
        raise CaptureError(f"{path}: the archive holds no records")
    if not pages:
        raise CaptureError(
            f"{path}: none of the archive's {records} records is an HTML page "
            "(a 200 response with Content-Type text/html)"
        )
    return pages


def _page(path: pathlib.Path, record, number: int) -> File | None:
    """The HTML page a WARC record holds, or None for requests, images and other records."""
    content = _read_limited(path, record, number)
    # Read to the end (which checks the digests), then see whether the record was cut short.
    if getattr(record.raw_stream, "limit", 0):
        raise CaptureError(
            f"{path}: the archive is truncated (record {number} ends "
            f"{record.raw_stream.limit} bytes early)"
        )
    http = record.http_headers
    if record.rec_type == "response" and http is not None:
        if http.get_statuscode() != "200":
            return None
        content_type = http.get_header("Content-Type") or ""
        headers = f"{_public(record.rec_headers)}{_public(http)}"
    elif record.rec_type == "resource":
        # A page saved by a browser extension: no HTTP response, its type on the record.
        content_type = record.rec_headers.get_header("Content-Type") or ""
        headers = _public(record.rec_headers)
    else:
        return None
    if not content_type.lower().startswith(("text/html", "application/xhtml")) or not content:
        return None
    return File(
        label=f"{path}, record {number}",
        # Each page is its own file: named after the archive and the record it came from.
        filename=f"{_stem(path.name)}-record-{number}.html",
        data=content,
        kind="html",
        url=_original_url(record.rec_headers.get_header("WARC-Target-URI") or ""),
        captured_at=_warc_date(record.rec_headers.get_header("WARC-Date")),
        declared_charset=_charset(content_type),
        archive_headers=headers.strip(),
    )


def _read_limited(path: pathlib.Path, record, number: int) -> bytes:
    """A record's payload, refused as soon as it passes MAX_FILE_BYTES.

    The payload is decoded (Content-Encoding gzip, br, deflate) as it is read,
    so a small record can inflate without end: it is read in chunks, counted.
    """
    content = _read_capped(
        record.content_stream(),
        MAX_FILE_BYTES,
        f"{path}: record {number} inflates to more than {MAX_FILE_BYTES // 2**20} MB "
        "(a gzip bomb?); not read",
    )
    # What is left of the record's block still counts toward the digest and truncation checks.
    while record.raw_stream.read(_CHUNK):
        pass
    return content


def _read_capped(stream, limit: int, refusal: str) -> bytes:
    """All of `stream`, read a chunk at a time; CaptureError(`refusal`) once past `limit`."""
    chunks, total = [], 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise CaptureError(refusal)
        chunks.append(chunk)
    return b"".join(chunks)


# Headers that carry the archivist's session, not the page: never stored or shown.
_PRIVATE_HEADERS = frozenset({"set-cookie", "cookie", "authorization", "proxy-authorization"})


def _public(headers) -> str:
    """The headers as the archive has them, less the archivist's cookies and credentials."""
    from warcio.statusandheaders import StatusAndHeaders

    kept = [
        (name, value) for name, value in headers.headers if name.lower() not in _PRIVATE_HEADERS
    ]
    return StatusAndHeaders(headers.statusline, kept, protocol=headers.protocol).to_str()


def _stem(name: str) -> str:
    for suffix in (".warc.gz", ".warc"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'")
    return ""


def _warc_date(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


_WAYBACK_PREFIXES = ("https://web.archive.org/web/", "http://web.archive.org/web/")


def _original_url(url: str) -> str:
    """The page's own URL: a Wayback Machine address is unwrapped to the one it archived."""
    for prefix in _WAYBACK_PREFIXES:
        if url.startswith(prefix):
            _timestamp, _, archived = url.removeprefix(prefix).partition("/")
            if archived.startswith(("http://", "https://")):
                return archived
    return url
