"""A parsed query as a Django SearchQuery expression (a tsquery built from bound parameters)."""

from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery

from aiwatch.search.text import Atom, ParsedQuery, cjk_query_terms

MIN_STEM = 5  # shortest truncation tried for a word being typed


def _atom(atom: Atom) -> SearchQuery:
    query = _one(atom)
    if atom.as_typed:
        query |= SearchQuery(atom.as_typed, config="english", search_type="phrase")
    if atom.prefix:
        # The index holds stems: "migratio" must reach "migrat", so a word being
        # typed also matches as a prefix after losing up to three letters.
        for cut in range(1, 4):
            if len(atom.text) - cut >= MIN_STEM:
                query |= SearchQuery(f"{atom.text[:-cut]}:*", config="english", search_type="raw")
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


def to_search_query(parsed: ParsedQuery) -> SearchQuery | None:
    if parsed.is_empty:
        return None
    groups = [reduce(or_, map(_atom, group)) for group in parsed.groups]
    query = reduce(and_, groups)
    for atom in parsed.excluded:
        query &= ~_atom(atom)
    return query
