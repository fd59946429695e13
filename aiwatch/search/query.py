"""A parsed query as a Django SearchQuery expression (a tsquery built from bound parameters)."""

import re
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery

from aiwatch.search.text import Atom, ParsedQuery, cjk_query_terms

MIN_STEM = 5  # shortest truncation tried for a word being typed
_LETTERS = re.compile(r"^[^\W_]+$")


class LexemeQuery(SearchQuery):
    """A tsquery written out, its lexemes taken as they are: slice lexemes and word pairs."""

    def __init__(self, text: str):
        super().__init__(text, search_type="raw")
        self.text = text
        self.function, self.template = None, "(%(expressions)s)::tsquery"


def prefix_forms(word: str) -> list[str]:
    """The forms a word being typed is matched as a prefix of: the word, then shorter.

    The index holds stems: "migratio" must reach "migrat", so the word also
    matches after losing up to three letters.
    """
    forms = [word[: len(word) - cut] for cut in range(4) if len(word) - cut >= MIN_STEM]
    return forms or [word]


def _shortest_prefixes(stems: list[str]) -> list[str]:
    """The stems no other one is a prefix of: `semiconduc:*` already matches `semiconductor:*`."""
    return sorted(s for s in set(stems) if not any(o != s and s.startswith(o) for o in stems))


def _atom(atom: Atom, lexemes: dict[str, list[str]] | None) -> SearchQuery:
    query = _one(atom)
    if atom.prefix:
        forms = prefix_forms(atom.text)
        stems = None
        if lexemes is not None and all(f in lexemes for f in forms):
            stems = _shortest_prefixes([s for f in forms for s in lexemes[f]])
        if stems and all(_LETTERS.match(s) for s in stems):
            # Each prefix costs a scan of the index's matching entries, so with
            # the stems known, only those no shorter one covers are kept.
            # Stems of letters and digits (all parse() marks) are safe to quote.
            terms = " | ".join(f"'{s}':*" for s in stems)
            query = SearchQuery(terms, config="simple", search_type="raw")
        else:
            for form in forms[1:]:
                query |= SearchQuery(f"{form}:*", config="english", search_type="raw")
    if atom.as_typed:
        query |= SearchQuery(atom.as_typed, config="english", search_type="phrase")
    return query


def _one(atom: Atom) -> SearchQuery:
    if atom.cjk:
        # Terms are CJK characters only, so quoting them is safe in to_tsquery syntax.
        terms = " & ".join(f"'{t}'" for t in cjk_query_terms(atom.text))
        return SearchQuery(terms, config="simple", search_type="raw")
    if atom.prefix:
        # parse() only marks letters-and-digits words as prefixes, which to_tsquery accepts.
        return SearchQuery(f"{atom.text}:*", config="english", search_type="raw")
    return SearchQuery(atom.text, config="english", search_type="phrase")


def quoted_phrases(parsed: ParsedQuery) -> list[str]:
    """The quoted phrases every match must contain: each alone in its group, not OR-ed."""
    return [
        group[0].text
        for group in parsed.groups
        if len(group) == 1 and group[0].phrase and not group[0].as_typed and not group[0].cjk
    ]


def word_pairs_query(parsed: ParsedQuery, pairs: dict[str, list[str]]) -> LexemeQuery | None:
    """The word pairs the quoted phrases hold, for matching word_pairs; None if there are none.

    `pairs` maps each of quoted_phrases(parsed) to its pairs (as
    engine.planned_for_text_search returns them). A phrase whose words a stop
    word separates ("free of charge") has no pairs: it is matched without them.
    """
    wanted = [pair for phrase in quoted_phrases(parsed) for pair in pairs.get(phrase, [])]
    if not wanted:
        return None
    return LexemeQuery(" & ".join(_literal(pair) for pair in dict.fromkeys(wanted)))


def _literal(lexeme: str) -> str:
    """A lexeme quoted for tsquery input."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def prefix_words(parsed: ParsedQuery) -> list[str]:
    """Every form of the words being typed, whose stems to_search_query can use."""
    return [f for group in parsed.groups for a in group if a.prefix for f in prefix_forms(a.text)]


def to_search_query(
    parsed: ParsedQuery, lexemes: dict[str, list[str]] | None = None
) -> SearchQuery | None:
    """The tsquery for a parsed query.

    `lexemes` maps each of prefix_words(parsed) to its English stems (as
    engine.planned_for_text_search returns them); without it, a word being
    typed is matched through all its prefix forms, which finds the same
    entries at a higher cost.
    """
    if parsed.is_empty:
        return None
    groups = [reduce(or_, (_atom(a, lexemes) for a in group)) for group in parsed.groups]
    query = reduce(and_, groups)
    for atom in parsed.excluded:
        query &= ~_atom(atom, None)
    return query
