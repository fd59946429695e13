""" "Did you mean …?": the closest words of the corpus's own vocabulary.

The vocabulary is every word of four letters or more in the titles and
keywords (names, aliases, claimants) of the index, with how many entries use
it; of two words equally close to a misspelling, the one more entries use
is suggested. It is read with one query and kept in memory for a minute, so a burst of
misspelled queries costs one scan, and it is only read at all when a search
finds few results.
"""

import re
import time
from collections import Counter

from django.db import connections, router
from rapidfuzz import fuzz, process

from aiwatch.search.models import SearchEntry
from aiwatch.search.text import CJK_RUN, ParsedQuery

MIN_SCORE = 75
TTL_SECONDS = 60
_WORD = re.compile(r"[^\W\d_]{4,}")
_cache: dict = {"at": 0.0, "words": {}, "spelling": {}}


def vocabulary() -> dict[str, int]:
    """Lower-cased word → number of entries whose title or keywords use it. May hide a query."""
    if time.monotonic() - _cache["at"] > TTL_SECONDS:
        counts: Counter = Counter()
        spelling: dict[str, str] = {}
        # A reader's read: a read replica when there is one (aiwatch.core.routers).
        with connections[router.db_for_read(SearchEntry)].cursor() as cursor:
            cursor.execute("SELECT title || ' ' || keywords FROM aiwatch_searchentry")
            for (text,) in cursor.fetchall():
                words = set(_WORD.findall(CJK_RUN.sub(" ", text)))
                counts.update({w.lower() for w in words})
                for w in words:
                    spelling.setdefault(w.lower(), w)
        _cache.update(at=time.monotonic(), words=dict(counts), spelling=spelling)
    return _cache["words"]


def forget() -> None:
    """Drop the cached vocabulary (the index changed, or a test needs a fresh one)."""
    _cache["at"] = 0.0


def suggest(parsed: ParsedQuery, raw_query: str) -> str | None:
    """The query with each unknown word replaced by its closest known word, or None."""
    words = vocabulary()
    if not words:
        return None
    replacements = {}
    for group in parsed.groups:
        for atom in group:
            if atom.cjk or atom.phrase:
                continue
            word = atom.text.lower()
            if words.get(word, 0) > 0 or len(word) < 4:
                continue
            matches = process.extract(
                word, words.keys(), scorer=fuzz.ratio, score_cutoff=MIN_SCORE, limit=20
            )
            if matches:
                # Among the closest words, the one most entries use: "huawai" is as close
                # to a little-known "Huahai" as to "Huawei", which is far likelier meant.
                best = max(score for _, score, _ in matches)
                match = max((m for m, score, _ in matches if score == best), key=lambda m: words[m])
                replacements[atom.text] = _cache["spelling"].get(match, match)
    if not replacements:
        return None
    suggestion = " ".join(raw_query.split())
    for old, new in replacements.items():
        suggestion = re.sub(rf"\b{re.escape(old)}\b", new, suggestion, count=1)
    return suggestion
