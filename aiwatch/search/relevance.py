"""Measuring search quality against a judged set of queries: nDCG@k and MRR.

A judged set is a TOML file of queries, each with graded judgments of the
results it should find, by URL path:

    3  highly relevant: the page the searcher wants first (the entity named,
       the event or claim the query describes);
    2  relevant: substantially about what the query asks for;
    1  marginal: mentions it in passing;
    0  (or unlisted) not relevant.

nDCG@k uses the exponential gain 2**grade - 1 and the log2(rank + 1)
discount; the ideal ranking is built from all the query's judgments, not only
from what the engine returned, so a relevant page the engine misses costs
score. MRR is the mean of 1 / rank of the first result graded 2 or more
(a marginal result at the top does not count as an answer).

Everything here is pure: `evaluate` is given a `run_query(q, params)` that
returns the ranked result URLs (or a `Ranking`, which may also carry the
engine's "did you mean" suggestion), so it can score any engine.
"""

import math
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

K = 10
MAX_GRADE = 3
RELEVANT = 2  # the grade from which a result counts as an answer for reciprocal rank
MISSED_SHOWN = 10  # relevant pages a report lists as missed, per query
QUERY_KEYS = frozenset({
    "id", "q", "params", "category", "note", "judgments", "same_as", "follow_suggestion",
    "suggestion", "must_not", "corpus",
})  # fmt: skip
CORPUS_KEYS = frozenset({"entity", "pages"})


# --- Metrics ---------------------------------------------------------------------


def _gain(grade: int) -> float:
    return float(2**grade - 1)


def _dcg(grades: Iterable[int]) -> float:
    return sum(_gain(g) / math.log2(i + 2) for i, g in enumerate(grades))


def _unique(urls: Iterable[str]) -> list[str]:
    """The ranking with repeats dropped: a page shown twice earns once."""
    seen: set[str] = set()
    return [u for u in urls if not (u in seen or seen.add(u))]


def ndcg_at_k(ranked_urls: Sequence[str], judgments: Mapping[str, int], k: int = K) -> float:
    """Normalized discounted cumulative gain of the first k results, in [0, 1].

    0.0 when nothing is judged relevant (there is no ideal ranking to compare with).
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    ideal = _dcg(sorted((g for g in judgments.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    actual = _dcg(max(judgments.get(u, 0), 0) for u in _unique(ranked_urls)[:k])
    return actual / ideal


def reciprocal_rank(
    ranked_urls: Sequence[str], judgments: Mapping[str, int], min_grade: int = RELEVANT
) -> float:
    """1 / the rank of the first result graded `min_grade` or more; 0.0 if there is none."""
    for rank, url in enumerate(_unique(ranked_urls), start=1):
        if judgments.get(url, 0) >= min_grade:
            return 1.0 / rank
    return 0.0


# --- The judged set ----------------------------------------------------------------


class JudgmentError(ValueError):
    """The judged set is malformed."""


@dataclass(frozen=True)
class JudgedQuery:
    id: str
    q: str
    judgments: dict[str, int]
    params: dict[str, str] = field(default_factory=dict)
    category: str = ""
    note: str = ""
    # A misspelled query: when it finds nothing, the searcher clicks "Did you mean"
    # and the suggested query's results are the ones scored.
    follow_suggestion: bool = False
    expected_suggestion: str | None = None
    # Pages that must not be returned at all (an excluded word, a filter).
    must_not: tuple[str, ...] = ()
    # How to judge the pages of a generated corpus the story is seeded into, which
    # nobody can list by hand: the entity the query asks for (its generated page,
    # events, claims and mentions are graded from the corpus's own links), and URL
    # globs with a grade (a kind of page the generator writes from one template).
    # bench.judging applies them; the story's own judgments always win.
    corpus_entity: str = ""
    corpus_pages: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        extra = "&".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.q!r}" + (f" [{extra}]" if extra else "")


def _check_url(url: str, where: str) -> None:
    if not (isinstance(url, str) and url.startswith("/") and url.endswith("/")):
        raise JudgmentError(f"{where}: {url!r} is not a URL path like /entities/sensetime/")


def _check_grade(grade, where: str) -> None:
    if not isinstance(grade, int) or isinstance(grade, bool) or not 0 <= grade <= MAX_GRADE:
        raise JudgmentError(f"{where} must be 0 to {MAX_GRADE}, not {grade!r}")


def _corpus(
    qid: str, raw: Mapping, entity: str = "", pages: Mapping | None = None
) -> tuple[str, dict[str, int]]:
    """The query's corpus judgments: its own `corpus` table over the one it is same_as."""
    corpus = raw.get("corpus", {})
    if not isinstance(corpus, Mapping) or set(corpus) - CORPUS_KEYS:
        raise JudgmentError(f"{qid}: corpus takes only {sorted(CORPUS_KEYS)}")
    entity = corpus.get("entity", entity)
    if not isinstance(entity, str):
        raise JudgmentError(f"{qid}: corpus entity must be a slug")
    own = corpus.get("pages", {})
    if not isinstance(own, Mapping):
        raise JudgmentError(f"{qid}: corpus pages must map URL globs to grades")
    pages = {**(pages or {}), **own}
    for glob, grade in pages.items():
        if not (isinstance(glob, str) and glob.startswith("/")):
            raise JudgmentError(f"{qid}: corpus page {glob!r} is not a URL path glob")
        _check_grade(grade, f"{qid}: grade of corpus pages {glob}")
    return entity, pages


def parse_judgments(data: Mapping) -> list[JudgedQuery]:
    """The judged queries of a parsed TOML document; raises JudgmentError if malformed."""
    raw_queries = data.get("queries")
    if not isinstance(raw_queries, list) or not raw_queries:
        raise JudgmentError("the judged set has no queries ([[queries]] tables)")
    by_id: dict[str, dict] = {}
    for n, raw in enumerate(raw_queries, start=1):
        qid = raw.get("id")
        if not isinstance(qid, str) or not qid:
            raise JudgmentError(f"query #{n} has no id")
        if qid in by_id:
            raise JudgmentError(f"query id {qid!r} is used twice")
        unknown = set(raw) - QUERY_KEYS
        if unknown:
            raise JudgmentError(f"{qid}: unknown keys {sorted(unknown)}")
        by_id[qid] = raw

    queries = []
    for qid, raw in by_id.items():
        judgments: dict[str, int] = {}
        other: Mapping = {}
        if "same_as" in raw:
            other = by_id.get(raw["same_as"])
            if other is None or "same_as" in other:
                raise JudgmentError(
                    f"{qid}: same_as {raw['same_as']!r} is not a query with judgments"
                )
            judgments.update(other.get("judgments", {}))
        judgments.update(raw.get("judgments", {}))
        for url, grade in judgments.items():
            _check_url(url, qid)
            _check_grade(grade, f"{qid}: grade of {url}")
        corpus_entity, corpus_pages = _corpus(qid, raw, *_corpus(qid, other))
        if not any(g >= RELEVANT for g in judgments.values()):
            raise JudgmentError(f"{qid}: no result is judged {RELEVANT} or more")
        must_not = tuple(raw.get("must_not", ()))
        for url in must_not:
            _check_url(url, qid)
            if judgments.get(url, 0) > 0:
                raise JudgmentError(f"{qid}: {url} is both judged relevant and in must_not")
        params = raw.get("params", {})
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in params.items()):
            raise JudgmentError(f"{qid}: params must map names to strings")
        if {"q", "format"} & set(params):
            raise JudgmentError(f"{qid}: q and format cannot be params (q is its own key)")
        q = raw.get("q", "")
        if not isinstance(q, str):
            raise JudgmentError(f"{qid}: q must be a string")
        queries.append(
            JudgedQuery(
                id=qid,
                q=q,
                judgments=judgments,
                params=dict(params),
                category=raw.get("category", ""),
                note=" ".join(raw.get("note", "").split()),
                follow_suggestion=bool(raw.get("follow_suggestion", False)),
                expected_suggestion=raw.get("suggestion"),
                must_not=must_not,
                corpus_entity=corpus_entity,
                corpus_pages=corpus_pages,
            )
        )
    return queries


def load_judgments(path: str | Path) -> list[JudgedQuery]:
    """Read a judged set from a TOML file (see tests/search/search_judgments.toml)."""
    with open(path, "rb") as f:
        try:
            data = tomllib.load(f)
        except tomllib.TOMLDecodeError as error:
            raise JudgmentError(f"{path}: {error}") from error
    return parse_judgments(data)


# --- Evaluation ----------------------------------------------------------------------


@dataclass
class Ranking:
    """What the engine returned for one query: the result URLs in order, and its suggestion."""

    urls: list[str]
    suggestion: str | None = None


RunQuery = Callable[[str, dict[str, str]], "Ranking | Sequence[str]"]


@dataclass
class QueryScore:
    query: JudgedQuery
    ndcg: float
    rr: float
    ranked: list[str]  # the URLs that were scored
    ran: str  # the query text whose results were scored (the suggestion, if followed)
    suggestion: str | None = None  # the engine's suggestion for the original query
    found_directly: bool = True  # whether the original query itself returned results

    @property
    def followed_suggestion(self) -> bool:
        return self.ran != self.query.q

    @property
    def suggestion_ok(self) -> bool:
        """The expected suggestion was made, unless the query needed none (it found results)."""
        expected = self.query.expected_suggestion
        if expected is None or self.found_directly:
            return True
        return (self.suggestion or "").casefold() == expected.casefold()

    @property
    def violations(self) -> list[str]:
        """must_not pages that were returned anyway."""
        return [u for u in self.query.must_not if u in self.ranked]

    def missed(self, k: int = K, min_grade: int = RELEVANT) -> list[str]:
        """Pages judged `min_grade` or more that are not in the first k results."""
        top = set(_unique(self.ranked)[:k])
        return [u for u, g in self.query.judgments.items() if g >= min_grade and u not in top]

    def unjudged(self, k: int = K) -> list[str]:
        """Results in the first k that are not judged relevant (wasted slots)."""
        return [u for u in _unique(self.ranked)[:k] if self.query.judgments.get(u, 0) <= 0]


@dataclass
class Report:
    scores: list[QueryScore]
    k: int = K

    @property
    def mean_ndcg(self) -> float:
        return sum(s.ndcg for s in self.scores) / len(self.scores) if self.scores else 0.0

    @property
    def mrr(self) -> float:
        return sum(s.rr for s in self.scores) / len(self.scores) if self.scores else 0.0

    def worst(self, n: int = 10) -> list[QueryScore]:
        return sorted(self.scores, key=lambda s: (s.ndcg + s.rr, s.query.id))[:n]

    def by_category(self) -> dict[str, tuple[int, float, float]]:
        """category → (number of queries, mean nDCG@k, MRR)."""
        groups: dict[str, list[QueryScore]] = {}
        for s in self.scores:
            groups.setdefault(s.query.category or "-", []).append(s)
        return {
            c: (len(g), sum(s.ndcg for s in g) / len(g), sum(s.rr for s in g) / len(g))
            for c, g in sorted(groups.items())
        }

    @property
    def violations(self) -> list[tuple[QueryScore, str]]:
        return [(s, u) for s in self.scores for u in s.violations]

    @property
    def suggestion_misses(self) -> list[QueryScore]:
        return [s for s in self.scores if not s.suggestion_ok]

    def describe(self, score: QueryScore) -> str:
        """Several lines on one query: scores, what was expected, what came back."""
        q = score.query
        lines = [f"{q.id}: {q.label}  nDCG@{self.k}={score.ndcg:.3f}  RR={score.rr:.3f}"]
        if q.expected_suggestion is not None or score.suggestion:
            lines.append(
                f"    suggestion: {score.suggestion!r} (expected {q.expected_suggestion!r})"
                + (f"; scored the results of {score.ran!r}" if score.followed_suggestion else "")
            )
        top = _unique(score.ranked)[: self.k]
        returned = ", ".join(f"{u}={q.judgments.get(u, 0)}" for u in top) or "(nothing)"
        lines.append(f"    returned: {returned}")
        # The best first, and only a few: inside a generated corpus a query can have
        # hundreds of relevant pages that no first page could hold.
        missed = sorted(score.missed(self.k), key=lambda u: -q.judgments[u])
        if missed:
            shown = ", ".join(f"{u}={q.judgments[u]}" for u in missed[:MISSED_SHOWN])
            more = len(missed) - MISSED_SHOWN
            lines.append(f"    missed:   {shown}" + (f", and {more} more" if more > 0 else ""))
        if score.violations:
            lines.append("    must not: " + ", ".join(score.violations))
        if q.note:
            lines.append(f"    note:     {q.note}")
        return "\n".join(lines)

    def table(self) -> str:
        """One line per query, in the judged set's order: nDCG, RR and the query."""
        width = max((len(s.query.id) for s in self.scores), default=0)
        return "\n".join(
            f"  {s.query.id:<{width}}  {s.ndcg:.3f}  {s.rr:.3f}  {s.query.label}"
            for s in self.scores
        )

    def summary(self, worst: int = 10) -> str:
        lines = [
            f"Judged queries: {len(self.scores)}",
            f"nDCG@{self.k}: {self.mean_ndcg:.4f}",
            f"MRR: {self.mrr:.4f}",
            "",
            "By category (queries, nDCG, MRR):",
        ]
        width = max((len(c) for c in self.by_category()), default=0)
        for category, (n, ndcg, mrr) in self.by_category().items():
            lines.append(f"  {category:<{width}}  {n:>3}  {ndcg:.3f}  {mrr:.3f}")
        if self.violations:
            lines += ["", "Excluded pages returned:"]
            lines += [f"  {s.query.id}: {url}" for s, url in self.violations]
        if self.suggestion_misses:
            lines += ["", "Unexpected suggestions:"]
            lines += [
                f"  {s.query.id}: got {s.suggestion!r}, expected {s.query.expected_suggestion!r}"
                for s in self.suggestion_misses
            ]
        below = [s for s in self.worst(worst) if s.ndcg < 1 or s.rr < 1]
        if below:
            lines += ["", f"Worst queries (up to {worst}):"]
            lines += [self.describe(s) for s in below]
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {
            "queries": len(self.scores),
            "k": self.k,
            "ndcg": self.mean_ndcg,
            "mrr": self.mrr,
            "by_category": {
                c: {"queries": n, "ndcg": nd, "mrr": m}
                for c, (n, nd, m) in self.by_category().items()
            },
            "per_query": [
                {
                    "id": s.query.id,
                    "q": s.query.q,
                    "params": s.query.params,
                    "category": s.query.category,
                    "ndcg": s.ndcg,
                    "rr": s.rr,
                    "ran": s.ran,
                    "suggestion": s.suggestion,
                    "suggestion_ok": s.suggestion_ok,
                    "violations": s.violations,
                    "returned": _unique(s.ranked)[: self.k],
                    "missed": s.missed(self.k),
                }
                for s in self.scores
            ],
        }


def _as_ranking(result: "Ranking | Sequence[str]") -> Ranking:
    return result if isinstance(result, Ranking) else Ranking(list(result))


def evaluate(judged_queries: Iterable[JudgedQuery], run_query: RunQuery, k: int = K) -> Report:
    """Run every judged query through `run_query(q, params)` and score what it returns.

    For a query marked follow_suggestion that finds nothing, the engine's
    suggestion is run instead (as a searcher clicking "Did you mean" would) and
    its results are scored; no suggestion, or one that finds nothing, scores 0.
    """
    scores = []
    for jq in judged_queries:
        first = _as_ranking(run_query(jq.q, dict(jq.params)))
        ranking, ran = first, jq.q
        if jq.follow_suggestion and not first.urls and first.suggestion:
            ran = first.suggestion
            ranking = _as_ranking(run_query(ran, dict(jq.params)))
        scores.append(
            QueryScore(
                query=jq,
                ndcg=ndcg_at_k(ranking.urls, jq.judgments, k),
                rr=reciprocal_rank(ranking.urls, jq.judgments),
                ranked=list(ranking.urls),
                ran=ran,
                suggestion=first.suggestion,
                found_directly=bool(first.urls),
            )
        )
    return Report(scores=scores, k=k)
