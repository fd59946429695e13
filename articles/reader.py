"""The article reader's text: paragraphs with entity names linked and claim quotes marked.

Pure string work: the view passes in the names to link and the quotes to mark,
so this module knows nothing about the graph that supplies them.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Link:
    text: str  # a name or alias as it may appear in the text
    url: str
    title: str  # the entity's name, shown on hover


@dataclass(frozen=True)
class Quote:
    text: str
    anchor: str  # the element id, e.g. "claim-12"
    url: str  # the claim's page
    statement: str


def _find_all(haystack: str, needle: str, *, word: bool):
    if not needle:
        return
    # Latin names must stand as words ("Meta" is not in "metadata"); CJK has no spaces.
    pattern = rf"(?<!\w){re.escape(needle)}(?!\w)" if word else re.escape(needle)
    for match in re.finditer(pattern, haystack):
        yield match.start(), match.end()


def annotate(paragraph: str, links: list[Link], quotes: list[Quote]) -> SafeString:
    """The paragraph as HTML: each quote in a <mark id=…>, each name in an <a>."""
    marks = []
    for quote in quotes:
        at = paragraph.find(quote.text)
        if at >= 0 and all(at >= e or at + len(quote.text) <= s for s, e, _ in marks):
            marks.append((at, at + len(quote.text), quote))
    anchors = []
    taken: list[tuple[int, int]] = []
    for link in sorted(links, key=lambda lk: -len(lk.text)):
        is_latin = link.text.isascii()
        for start, end in _find_all(paragraph, link.text, word=is_latin):
            overlaps = any(start < e and end > s for s, e in taken)
            crosses = any(s < start < e < end or start < s < end < e for s, e, _ in marks)
            if not overlaps and not crosses:
                taken.append((start, end))
                anchors.append((start, end, link))
    events = sorted(
        [(s, 1, f'<mark class="quote" id="{escape(q.anchor)}">') for s, _, q in marks]
        + [
            (
                e,
                0,
                f'<sup><a class="quote-link" href="{escape(q.url)}" '
                f'aria-label="Claim: {escape(q.statement)}">claim</a></sup></mark>',
            )
            for _, e, q in marks
        ]
        + [
            (s, 2, f'<a class="mention" href="{escape(lk.url)}" title="{escape(lk.title)}">')
            for s, _, lk in anchors
        ]
        + [(e, -1, "</a>") for _, e, _ in anchors],
        key=lambda ev: (ev[0], ev[1]),
    )
    out, cursor = [], 0
    for position, _, tag in events:
        out.append(escape(paragraph[cursor:position]))
        out.append(tag)
        cursor = position
    out.append(escape(paragraph[cursor:]))
    return mark_safe("".join(out))


def is_heading(paragraph: str) -> bool:
    """A short line without closing punctuation is a section heading, not a paragraph."""
    return len(paragraph.split()) <= 8 and not paragraph.rstrip().endswith(
        (".", "!", "?", ":", "。", "”", '"')
    )
