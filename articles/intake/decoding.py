"""Turning a capture's bytes into text, in the encoding it declares or, failing that, detects.

Order of trust: a byte-order mark; the charset an archived HTTP response or
the page's own <meta> declares (when the bytes agree with it); UTF-8 (which
other encodings almost never pass by accident); and only then
charset-normalizer's detection. The result says which encoding was used and
how it was chosen, so an editor can see why a capture reads as it does.
"""

import codecs
import re
import unicodedata
from dataclasses import dataclass

from articles.intake.files import CaptureError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# The WHATWG encoding standard reads these labels as their supersets: a page
# labelled latin-1 is in practice windows-1252, one labelled gb2312 is GBK.
_SUPERSETS = {
    "iso-8859-1": "windows-1252",
    "latin-1": "windows-1252",
    "latin1": "windows-1252",
    "ascii": "windows-1252",
    "us-ascii": "windows-1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
}
# When several encodings read the bytes alike, the one the web uses most is named.
_PREFERRED = ("utf-8", "cp1252", "gb18030", "big5hkscs", "shift_jis", "euc_kr")
_CHAOS_TIE = 0.005  # charset-normalizer's "mess" ratio: closer than this is a tie
# The prescan of the HTML standard: a charset in a <meta> near the top of the page.
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_PRESCAN_BYTES = 4096
# A text file has the odd tab or form feed; a binary file is full of control characters.
_MAX_CONTROL_SHARE = 0.1
_CONTROL_SAMPLE = 65536
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name: utf-8, gb18030, windows-1252…
    how: str  # "byte-order mark", "declared by the page", "detected"…


def decode(label: str, data: bytes, *, declared: str = "", html: bool = False) -> Decoded:
    """The text of `data`. Raises CaptureError if it is not text in any encoding we can tell."""
    decoded = _decode(label, data, declared=declared, html=html)
    text = decoded.text
    if not text.strip():
        raise CaptureError(f"{label}: the file contains only whitespace")
    sample = text[:_CONTROL_SAMPLE]
    controls = sum(
        1 for char in sample if unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS
    )
    if controls / len(sample) > _MAX_CONTROL_SHARE:
        raise CaptureError(
            f"{label}: looks like a binary file (mostly control characters), not text"
        )
    return decoded


def _decode(label: str, data: bytes, *, declared: str, html: bool) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(label, data[len(bom) :], encoding, "byte-order mark")
    candidates = []
    if declared:
        candidates.append((declared, "declared in the archived HTTP response"))
    if html and (match := _META_CHARSET.search(data[:_PRESCAN_BYTES])):
        name = match[1].decode("ascii")
        # The HTML standard: a page that can be read for its <meta> is not UTF-16.
        name = "utf-8" if name.lower().startswith(("utf-16", "utf16")) else name
        candidates.append((name, "declared by the page"))
    for name, how in candidates:
        encoding = _codec(name)
        if encoding:
            try:
                return Decoded(data.decode(encoding), encoding, how)
            except UnicodeError:
                pass  # a wrong declaration: the bytes say otherwise, so detect
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "valid UTF-8")
    except UnicodeDecodeError:
        pass
    return _detect(label, data)


def _strict(label: str, data: bytes, encoding: str, how: str) -> Decoded:
    try:
        return Decoded(data.decode(encoding), encoding, how)
    except UnicodeDecodeError as error:
        raise CaptureError(
            f"{label}: starts with a {encoding} byte-order mark but byte {error.start} "
            "is not valid in it"
        ) from None


def _codec(name: str) -> str:
    """The text codec a charset label names; "" for an unknown one, or base64, zlib, rot13…"""
    name = name.strip().lower()
    name = _SUPERSETS.get(name, name)
    try:
        codec = codecs.lookup(name)
    except LookupError:
        return ""
    return codec.name if codec._is_text_encoding else ""


def _detect(label: str, data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise CaptureError(
            f"{label}: is neither UTF-8 nor any encoding that can be detected; re-save it as UTF-8"
        )
    # Encodings that read the bytes as cleanly as the best (charset-normalizer breaks such
    # ties by its own order: cp1250 before cp1252); of those, the one the web uses most.
    as_clean = [match for match in results if match.chaos <= best.chaos + _CHAOS_TIE]
    same = {_codec(name) for match in as_clean for name in match.could_be_from_charset}
    preferred = next((name for name in _PREFERRED if name in same), "")
    encoding = preferred or _codec(best.encoding) or best.encoding
    try:
        return Decoded(data.decode(encoding), encoding, "detected")
    except (UnicodeError, LookupError):
        raise CaptureError(
            f"{label}: looks like {best.encoding} but does not decode as it; re-save it as UTF-8"
        ) from None
