"""Finding a claim's quote in its article, forgiving only typography.

A quote must be the article's own words. Copying from a browser changes
curly quotes to straight ones, dashes to hyphens and line breaks to spaces,
so those differences are ignored; anything else (a changed word, a missing
comma) means the quote is not in the article.
"""

import re

_QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″«»"})
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−"})
_SPACE = re.compile(r"\s+")


def _normalise(text: str) -> tuple[str, list[int]]:
    """The text with typography flattened, and for each output character its source index."""
    out, where = [], []
    for i, ch in enumerate(text.translate(_QUOTES).translate(_DASHES)):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        out.append(ch)
        where.append(i)
    return "".join(out), where


def locate_quote(body: str, quote: str) -> tuple[int, int] | None:
    """(start, end) of `quote` in `body` as indexes into `body`, or None if it is not there."""
    needle = _SPACE.sub(" ", quote.translate(_QUOTES).translate(_DASHES)).strip()
    if not needle:
        return None
    haystack, where = _normalise(body)
    at = haystack.find(needle)
    if at < 0:
        return None
    return where[at], where[at + len(needle) - 1] + 1
