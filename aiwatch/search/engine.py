"""Running a search over SearchEntry: one SQL query for the page, its snippets and its facets.

The filtered queryset comes from SearchFilter (django-filter); this module
caps, ranks, pages, highlights and counts it.

A common word can match a third of a large corpus, and ranking every match
on every request would read every matching vector. So ranking stops at
MATCH_CAP rows: the matching entities (undated, and usually what a name
typed in the box means), then the newest of the rest (the oldest when
sorting by oldest), read in slices of months (_slices) so that the older
matches are never read at all. Counting is cheaper (no vector is read), so
the total and the facet counts cover up to COUNT_CAP matches, the same set
for both: exact below it, and the page says "more than 10,000" above it.

Sorted by relevance, the HEAD_CAP entries matching best in their title,
names and aliases (head_vector, a small vector with its own index) are
ranked too, whatever their date. The cost left in relevance: for a query
matching more than MATCH_CAP rows, an older document that matches only in
its body, outside the newest MATCH_CAP, is never ranked; narrowing the query
or adding a facet brings it back.
"""

import datetime
import html
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank
from django.db import connections, router, transaction
from django.db.models import Case, ExpressionWrapper, F, When

from aiwatch.core.publishing import Status
from aiwatch.search.models import KIND_LEXEME, MONTH_LEXEME, SearchEntry, SearchKind
from aiwatch.search.query import (
    LexemeQuery,
    prefix_words,
    quoted_phrases,
    to_search_query,
    word_pairs_query,
)
from aiwatch.search.text import ParsedQuery, fold
from articles.models import Source
from entities.models import Entity

MATCH_CAP = 1000  # matches ranked
# How many of the best matches in titles, names and aliases a search ranks whatever
# their date: more than the pages a reader looks at (PAGE_SIZE a page).
HEAD_CAP = 200
COUNT_CAP = 10_000  # matches counted, for the total and the facets
PAGE_SIZE = 20
# Every ranked match can be reached: MATCH_CAP, the one past it, and HEAD_CAP (_matches).
MAX_PAGE = -(-(MATCH_CAP + 1 + HEAD_CAP) // PAGE_SIZE)
ENTITY_FACET_SIZE = 15
# Private-use characters mark the matches until they become <mark>. Stored text
# may hold them too (pasted, or typed on purpose), so they are taken out of
# every text before it is marked (in SQL before ts_headline, and unmarked()):
# the only marks left are the search's own.
MARK_START, MARK_END = "\ue000", "\ue001"
_MARKERS = str.maketrans("", "", MARK_START + MARK_END)
# ts_headline parses and stems every word it is given: on a 600-word article
# that is half a millisecond a row. It is given a window of the body instead,
# starting a little before the first place a query word probably occurs.
SNIPPET_WINDOW = 480
SNIPPET_LEAD = 120
FACETS = (
    "kind",
    "entity",
    "outlet",
    "year",
    "month",
    "claim_kind",
    "verification",
    "role",
    "republications",
)

# Entities and events first: a name typed in the box usually means the thing itself.
KIND_WEIGHT = (
    "CASE c.kind WHEN 'entity' THEN 2.0 WHEN 'event' THEN 1.4 WHEN 'claim' THEN 1.2 ELSE 1.0 END"
)
ORDER = {
    "relevance": "{p}rank DESC, {p}date DESC NULLS LAST, {p}id",
    "newest": "{p}date DESC NULLS LAST, {p}rank DESC, {p}id",
    "oldest": "{p}date ASC NULLS LAST, {p}rank DESC, {p}id",
}


@dataclass
class Hit:
    kind: str
    object_id: int
    title: str  # safe HTML
    url: str
    date: object
    date_precision: str
    snippet: str  # safe HTML: escaped text with <mark> around matches
    rank: float
    # The same as plain text, for the JSON, the CSV and a feed's titles.
    title_text: str = ""
    snippet_text: str = ""
    standing: str = ""  # a claim's: preferred, normal or deprecated

    @property
    def standing_label(self) -> str:
        """A claim's standing when it is worth a badge: not normal."""
        return "" if self.standing in ("", "normal") else self.standing.capitalize()

    @property
    def kind_label(self) -> str:
        return SearchKind(self.kind).label


@dataclass
class Results:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # exact up to COUNT_CAP
    capped: bool = False  # more than COUNT_CAP
    # How many of them were ranked, and so reach the pages: MATCH_CAP and the one
    # that proved there are more, or up to HEAD_CAP more (_matches).
    ranked: int = 0
    head: bool = False  # the best matches in titles and names were ranked too
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    # The names of the entity and outlet facets' values (slugs): (facet, slug) → name.
    names: dict[tuple[str, str], str] = field(default_factory=dict)
    page: int = 1


@dataclass
class Plan:
    """What a search needs to know before its query is built; see planned_for_text_search."""

    stems: dict[str, list[str]]
    pairs: dict[str, list[str]]
    newest: datetime.date | None  # the newest entry's date


@contextmanager
def planned_for_text_search(words=(), phrases=(), using=None):
    """Run the block's queries in a transaction planned for text search; yield a Plan.

    `using` is the database the block's queries read from (a read replica for a
    reader, aiwatch.core.routers): the settings are that connection's.

    The planner prices `vector @@ query` as cheap, but on a row it must first
    read and decompress the whole (TOASTed) vector. For a prefix query, whose
    match count it overestimates, it then prefers reading every row to using
    the GIN index: 0.8 s instead of 60 ms at 100k articles. So sequential
    scans are discouraged, for this transaction only (set_config(…, true)).

    Parallel appends are off: _matches relies on an append reading its parts
    in order.

    The same query reads the English stems of `words` (query.prefix_words), with
    which query.to_search_query makes a prefix query cheaper; the word pairs of
    `phrases` (query.quoted_phrases), for query.word_pairs_query; and the newest
    entry's date, from which _slices counts months back.
    """
    using = using or router.db_for_read(SearchEntry)
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(
            f"""SELECT set_config('enable_seqscan', 'off', true),
                       set_config('enable_parallel_append', 'off', true),
                       (SELECT coalesce(json_object_agg(w, tsvector_to_array(
                                   to_tsvector('english', w))), '{{}}')
                        FROM unnest(%s::text[]) AS w),
                       (SELECT coalesce(json_object_agg(p, tsvector_to_array(
                                   aiwatch_word_pairs(to_tsvector('english', p)))), '{{}}')
                        FROM unnest(%s::text[]) AS p),
                       (SELECT max(date) FROM {SearchEntry._meta.db_table})""",
            [list(dict.fromkeys(words)), list(dict.fromkeys(phrases))],
        )
        *_, stems, pairs, newest = cursor.fetchone()
        yield Plan(stems=_json(stems), pairs=_json(pairs), newest=newest)


def _json(value):
    # psycopg decodes json by default, but a connection may be set up not to.
    return value if isinstance(value, dict) else json.loads(value)


# A common word's matches are read in slices, newest first, and reading stops
# once MATCH_CAP are found: the entities and the newest 3 months, the 9 months
# before them, the 24 before those, then all the rest. Each slice costs an
# index scan, but none reads a row outside it, so a word in a third of a large
# corpus reads a few thousand rows instead of every match.
MONTHS_PER_SLICE = (3, 9, 24)


def _slices(sort: str, newest: datetime.date | None) -> list[LexemeQuery | None]:
    """The slices to read, in order, as queries of the slice lexemes (None: everything).

    Without a newest date there is one slice: run() passes none when slicing
    would not pay. Sorting by oldest, only the entities are read first.
    """
    if newest is None:
        return [None]
    entity = f"'{KIND_LEXEME}{SearchKind.ENTITY}'"
    if sort == "oldest":
        return [LexemeQuery(entity), LexemeQuery(f"!{entity}")]
    slices, months = [], []
    for size in MONTHS_PER_SLICE:
        group = [_month_lexeme(newest, back) for back in range(len(months), len(months) + size)]
        # The entities share the first slice: a slice costs an index scan.
        slices.append(LexemeQuery(" | ".join([entity, *group] if not months else group)))
        months += group
    slices.append(LexemeQuery(" & ".join(f"!{lexeme}" for lexeme in [entity, *months])))
    return slices


def _month_lexeme(newest: datetime.date, back: int) -> str:
    year, month = divmod(newest.year * 12 + newest.month - 1 - back, 12)
    return f"'{MONTH_LEXEME}{year * 100 + month + 1}'"


# What the page and the facets need of each capped match.
MATCH_COLUMNS = (
    "id",
    "kind",
    "date",
    "date_precision",
    "outlet_id",
    "entity_ids",
    "claim_kind",
    "verification",
    "role",
    "republication",
)


# Stands for a slice's lexemes in the SQL compiled once for all slices; no
# parsed query can produce it (a parsed word holds no "~").
_STAND_IN = "'~slice'"


def _matches(queryset, query: SearchQuery, sort: str, newest, head) -> tuple[str, list]:
    """SQL for the capped, ranked matches of an already filtered queryset.

    The slices are read in order until MATCH_CAP + 1 rows are found: under a
    LIMIT, an append stops reading its parts once the limit is met. Ranking
    happens outside the limit so that only the capped rows' vectors are read.

    Given `head` (a queryset), sorted by relevance, the HEAD_CAP entries of it
    that match best in their title, names and aliases join them (_head),
    whatever their date: a document about the query is never lost because
    newer ones mention it.
    """
    part, slices = _sliced_part(queryset, query, sort, newest)
    sql, part_params = (
        part.order_by(
            # Entities first: see the module's docstring.
            Case(When(kind=SearchKind.ENTITY, then=0), default=1),
            F("date").asc(nulls_last=True) if sort == "oldest" else F("date").desc(nulls_last=True),
            "id",
        )
        .values(*MATCH_COLUMNS, "vector", "query")[: MATCH_CAP + 1]
        .query.sql_with_params()
    )
    capped, params = _union(sql, part_params, slices, MATCH_CAP + 1)
    if head is not None and sort == "relevance":
        head_sql, head_params = _head(head, query)
        # An entry in both is kept once.
        capped = f"""SELECT DISTINCT ON (id) * FROM (({head_sql}) UNION ALL ({capped})) AS both_
                     ORDER BY id"""
        params = [*head_params, *params]
    columns = ", ".join(f"c.{name}" for name in MATCH_COLUMNS)
    return (
        f"""WITH matches AS MATERIALIZED (
            SELECT {columns}, c.query, ts_rank(c.vector, c.query, 1) * {KIND_WEIGHT} AS rank
            FROM ({capped}) c
        )""",
        params,
    )


def _counted(queryset, query: SearchQuery, sort: str, newest) -> tuple[str, list]:
    """SQL for up to COUNT_CAP + 1 matches with their facet columns, as the CTE `counted`.

    No vector is read and no order is needed: the slices are read in order
    until the limit is met, so it holds the newest slices whole and any rows
    of the last one it reached.
    """
    part, slices = _sliced_part(queryset, query, sort, newest)
    sql, part_params = part.order_by().values(*MATCH_COLUMNS).query.sql_with_params()
    counted, params = _union(sql, part_params, slices, COUNT_CAP + 1)
    return f"WITH counted AS MATERIALIZED ({counted})", params


def _sliced_part(queryset, query: SearchQuery, sort: str, newest):
    """The queryset of one slice, with a stand-in for its lexemes, and the slices to read."""
    annotated = queryset.annotate(
        # The wrapper names the type Django cannot infer for a negated combination.
        query=ExpressionWrapper(query, output_field=SearchQueryField())
    )
    slices = _slices(sort, newest)
    # A sliced search is compiled once, with a stand-in for each slice's lexemes.
    if slices[0] is None:
        return annotated, slices
    return annotated.filter(vector=LexemeQuery(_STAND_IN)), slices


def _union(sql: str, sql_params: list, slices, limit: int) -> tuple[str, list]:
    parts, params = [], []
    for lexemes in slices:
        parts.append(f"({sql})")
        params += [lexemes.text if p == _STAND_IN else p for p in sql_params]
    return f"SELECT * FROM ({' UNION ALL '.join(parts)}) AS slices LIMIT {limit}", params


def _head(queryset, query: SearchQuery) -> tuple[str, list]:
    """SQL for the entries of `queryset` that match best in their title, names and aliases.

    Ranking them reads only head_vector, small enough to be stored in the row.
    """
    return (
        queryset.filter(head_vector=query)
        .annotate(query=ExpressionWrapper(query, output_field=SearchQueryField()))
        # Of equal matches, the newest: as the slices would have chosen.
        .order_by(SearchRank(F("head_vector"), query).desc(), F("date").desc(nulls_last=True), "id")
        .values(*MATCH_COLUMNS, "vector", "query")[:HEAD_CAP]
        .query.sql_with_params()
    )


def _facet_sql(cte: str) -> str:
    """The facet counts of the CTE named `cte`: rows of (facet, value, label, count).

    Entities and outlets are named here, by slug and name, so that naming them
    costs no query of its own; only published entities are named. The
    republications facet is no count of a value: its one row says how many
    matches are left once confirmed republications are left out.
    """
    entity, source = Entity._meta.db_table, Source._meta.db_table
    return f"""
    SELECT 'kind', kind, NULL, count(*) FROM {cte} GROUP BY 2
    UNION ALL SELECT 'year', to_char(date, 'YYYY'), NULL, count(*) FROM {cte}
              WHERE date IS NOT NULL GROUP BY 2
    UNION ALL SELECT 'month', to_char(date, 'YYYY-MM'), NULL, count(*) FROM {cte}
              WHERE date IS NOT NULL GROUP BY 2
    UNION ALL SELECT 'outlet', s.slug, s.name, t.n
              FROM (SELECT outlet_id, count(*) AS n FROM {cte}
                    WHERE outlet_id IS NOT NULL GROUP BY 1) t
              JOIN {source} s ON s.id = t.outlet_id
    UNION ALL SELECT 'claim_kind', claim_kind, NULL, count(*) FROM {cte}
              WHERE claim_kind <> '' GROUP BY 2
    UNION ALL SELECT 'verification', verification, NULL, count(*) FROM {cte}
              WHERE verification <> '' GROUP BY 2
    UNION ALL SELECT 'role', role, NULL, count(*) FROM {cte} WHERE role <> '' GROUP BY 2
    -- How many matches are left once confirmed republications are left out;
    -- only when there are some to leave out.
    UNION ALL SELECT 'republications', 'exclude', NULL, count(*) FILTER (WHERE NOT republication)
              FROM {cte} HAVING bool_or(republication)
    UNION ALL SELECT 'entity', e.slug, e.name, t.n
              FROM (SELECT eid, count(*) AS n
                    -- unnest() in the select list: in FROM it would build a tuplestore per row.
                    FROM (SELECT unnest(entity_ids) AS eid FROM {cte}) AS linked
                    GROUP BY eid ORDER BY count(*) DESC, eid LIMIT {ENTITY_FACET_SIZE}) t
              JOIN {entity} e ON e.id = t.eid AND e.status = '{Status.PUBLISHED}'
"""


def run(queryset, parsed: ParsedQuery, *, sort, page, page_size, filtered: bool) -> Results:
    """The search page's search: match `parsed` within the filtered queryset. Four queries.

    Filters alone, without words, browse newest first. Slices (_slices) pay
    off for a bare common word; filters and a phrase's word pairs narrow the
    matches already (a year rules out most slices), so they are not sliced.
    """
    plan_for = planned_for_text_search(prefix_words(parsed), quoted_phrases(parsed), queryset.db)
    with plan_for as plan:
        query = to_search_query(parsed, plan.stems)
        if query is None:
            newest_first = "newest" if sort == "relevance" else sort
            return search(
                queryset,
                SearchQuery("", config="english"),
                parsed,
                sort=newest_first,
                page=page,
                page_size=page_size,
            )
        # A match in the title or names is a match of the whole vector, unless a word is
        # excluded: then the whole vector must be checked for it (reading its TOAST).
        unfiltered, queryset = queryset, queryset.filter(vector=query)
        head = queryset if parsed.excluded else unfiltered
        if pairs := word_pairs_query(parsed, plan.pairs):
            queryset = queryset.filter(word_pairs=pairs)
        return search(
            queryset,
            query,
            parsed,
            sort=sort,
            page=page,
            page_size=page_size,
            newest=None if filtered or pairs else plan.newest,
            head=head,
        )


def search(
    queryset,
    query: SearchQuery,
    parsed: ParsedQuery,
    *,
    sort="relevance",
    page=1,
    page_size=PAGE_SIZE,
    newest=None,
    head=None,
    count=True,
) -> Results:
    """One page of hits with snippets, the total and the facet counts. One query, or two.

    The ranked matches are computed once (a materialized CTE) and feed both the
    page and, when they are all the matches, the facets; snippets (ts_headline)
    are computed for the page's rows only. When there are more than MATCH_CAP,
    a second query counts them and their facets (_count_all).
    A page past the last one shows the last one, at the cost of another query.
    `newest` (Plan.newest) lets a text search read its matches in slices, and
    `head`, the filtered queryset, ranks its best matches in titles and names
    whatever their date (_matches). Without `count` (a feed), the total and
    facets describe the ranked matches only, and no second query is made.
    """
    cte, params = _matches(queryset, query, sort, newest, head)
    order = ORDER.get(sort, ORDER["relevance"])
    cjk = [fold(a.text) for group in parsed.groups for a in group if a.cjk]
    # Hits and facet counts share one result set: `row` tells them apart, and
    # the columns a row does not use are NULL.
    sql = f"""{cte},
        total AS (SELECT count(*) AS n FROM matches),
        page AS (
            SELECT * FROM matches ORDER BY {order.format(p="")} LIMIT %s OFFSET %s
        )
        SELECT 'hit', p.kind, p.id, e.title, e.url, p.date, p.date_precision, p.rank,
               ts_headline('english', translate(substr(e.body, w.start, {SNIPPET_WINDOW}),
                                                '{MARK_START}{MARK_END}', ''), p.query,
                   'MaxFragments=2, MinWords=12, MaxWords=28, FragmentDelimiter=" … ", '
                   'StartSel={MARK_START}, StopSel={MARK_END}'),
               CASE WHEN %s THEN e.body END, NULL, NULL, NULL, e.standing
        FROM page p JOIN aiwatch_searchentry e ON e.id = p.id
        CROSS JOIN LATERAL (
            SELECT CASE WHEN a.at > 1
                   -- Start on a word: past the next space.
                   THEN a.at + position(' ' in substr(e.body, a.at, 40)) ELSE 1 END AS start
            FROM (SELECT greatest(1, coalesce(nullif(
                      regexp_instr(e.body, %s, 1, 1, 0, 'i'), 0), 1) - {SNIPPET_LEAD}) AS at) a
        ) w
        UNION ALL
        SELECT 'total', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'total', '', n,
               NULL
        FROM total
        UNION ALL
        SELECT 'facet', NULL, NULL, f.label, NULL, NULL, NULL, NULL, NULL, NULL,
               f.facet, f.value, f.n, NULL
        FROM ({_facet_sql("matches")}) AS f (facet, value, label, n)
    """
    # The queryset's database: a read replica for a reader's search.
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            sql, [*params, page_size, (page - 1) * page_size, bool(cjk), _locator(parsed)]
        )
        rows = cursor.fetchall()
    results = Results(facets={name: [] for name in FACETS})
    hits, facets = [], []
    for which, *row in rows:
        kind, pk, title, url, date, precision, rank, headline, body, facet, value, n, standing = row
        if which == "hit":
            title = unmarked(title)
            snippet = (_cjk_snippet(unmarked(body), cjk) if cjk else "") or headline or ""
            hits.append(
                Hit(
                    kind,
                    pk,
                    _safe(_marked(title, cjk)),
                    url,
                    date,
                    precision,
                    _safe(snippet),
                    float(rank),
                    title_text=title,
                    snippet_text=unmarked(snippet),
                    standing=standing,
                )
            )
        elif which == "total":
            results.total = results.ranked = n
        else:
            facets.append((facet, value, title, n))
    last_page = max(1, -(-results.ranked // page_size))
    if not hits and page > last_page:
        return search(
            queryset,
            query,
            parsed,
            sort=sort,
            page=last_page,
            page_size=page_size,
            newest=newest,
            head=head,
            count=count,
        )
    results.head = head is not None and sort == "relevance"
    if count and results.ranked > MATCH_CAP:
        results.total, results.capped, facets = _count_all(queryset, query, sort, newest)
    for facet, value, name, n in facets:
        results.facets[facet].append((value, n))
        if name is not None:
            results.names[facet, value] = name
    # UNION ALL keeps no order: put the page back in the order it was taken in.
    results.hits = _ordered(hits, sort)
    results.page = page
    for name in ("year", "month"):
        results.facets[name].sort(reverse=True)
    for name in ("kind", "outlet", "claim_kind", "verification", "entity", "role"):
        results.facets[name].sort(key=lambda item: (-item[1], item[0]))
    return results


def _count_all(queryset, query: SearchQuery, sort: str, newest) -> tuple[int, bool, list]:
    """The total, whether it passed COUNT_CAP, and the facet rows of up to COUNT_CAP matches.

    One query, over the same set for the total and every facet (_counted).
    """
    cte, params = _counted(queryset, query, sort, newest)
    # `counted` holds one more than COUNT_CAP, to tell "exactly" from "more than": the
    # facets count the COUNT_CAP the total says.
    sql = f"""{cte}, kept AS MATERIALIZED (SELECT * FROM counted LIMIT {COUNT_CAP})
        SELECT 'total', '', NULL, count(*) FROM counted
        UNION ALL
        SELECT * FROM ({_facet_sql("kept")}) AS f (facet, value, label, n)
    """
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    n = next(count for facet, _, _, count in rows if facet == "total")
    return min(n, COUNT_CAP), n > COUNT_CAP, [row for row in rows if row[0] != "total"]


def _locator(parsed: ParsedQuery) -> str:
    """A PostgreSQL regular expression for where a body probably first matches the query.

    Only a guess, for placing the snippet's window: ts_headline still decides
    what is marked. A word loses its last letters, a crude stem, so that
    "blocked" finds "blocking"; a phrase's words must follow each other.
    Returns a pattern that matches nothing useful ("^") when there are no
    Latin words: the window then starts at the beginning.
    """
    alternatives = []
    for group in parsed.groups:
        for atom in group:
            words = re.findall(r"[^\W_]+", atom.text) if not atom.cjk else []
            if words:
                words[-1] = words[-1][: max(4, len(words[-1]) - 3)]
                alternatives.append(r"\W+".join(words))
    return r"\m(" + "|".join(alternatives) + ")" if alternatives else "^"


def _ordered(hits: list[Hit], sort: str) -> list[Hit]:
    never = datetime.date.min
    if sort == "newest":
        return sorted(hits, key=lambda h: (h.date is None, -(h.date or never).toordinal(), -h.rank))
    if sort == "oldest":
        return sorted(hits, key=lambda h: (h.date is None, h.date or never, -h.rank))
    return sorted(hits, key=lambda h: (-h.rank, h.date is None, -(h.date or never).toordinal()))


def count(queryset, query: SearchQuery) -> int:
    """How many entries match, up to the cap. One query."""
    return queryset.filter(vector=query).values("id")[: MATCH_CAP + 1].count()


def unmarked(text: str | None) -> str:
    """`text` without the characters that stand for highlight marks."""
    return (text or "").translate(_MARKERS)


def _safe(marked: str) -> str:
    """Text with the search's marks as HTML: escaped, each marked run in a <mark>."""
    return html.escape(marked).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _marked(title: str, cjk_runs: list[str]) -> str:
    """The title with its CJK query runs marked."""
    folded = fold(title)
    spans = sorted(
        (folded.index(run), folded.index(run) + len(run)) for run in cjk_runs if run in folded
    )
    out, cursor = [], 0
    for start, end in spans:
        if start < cursor:
            continue
        out += [title[cursor:start], MARK_START, title[start:end], MARK_END]
        cursor = end
    out.append(title[cursor:])
    return "".join(out)


def _cjk_snippet(body: str, runs: list[str], width: int = 60) -> str:
    """ts_headline cannot see CJK bigrams, so a CJK match is excerpted and marked here."""
    if not body:
        return ""
    folded = fold(body)
    for run in runs:
        at = folded.find(run)
        if at >= 0:
            start, end = max(0, at - width), at + len(run) + width
            return "".join(
                [
                    "… " if start else "",
                    body[start:at],
                    MARK_START,
                    body[at : at + len(run)],
                    MARK_END,
                    body[at + len(run) : end],
                    " …" if end < len(body) else "",
                ]
            )
    return ""
