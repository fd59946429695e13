"""Search relevance: the metrics, the judged set, and the seeded story scored against it."""

import io
import json
import math
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase

from aiwatch.search import suggest
from aiwatch.search.indexing import rebuild
from aiwatch.search.management.commands.search_relevance import (
    DEFAULT_JUDGMENTS,
    client_runner,
    unknown_urls,
)
from aiwatch.search.models import SearchEntry
from aiwatch.search.relevance import (
    JudgedQuery,
    JudgmentError,
    Ranking,
    evaluate,
    load_judgments,
    ndcg_at_k,
    parse_judgments,
    reciprocal_rank,
)

MIN_NDCG = 0.9
MIN_MRR = 0.9

JUDGED = {"/a/": 3, "/b/": 2, "/c/": 1, "/d/": 0}


# --- The metrics, on hand-made rankings -----------------------------------------------


def test_perfect_ranking_scores_one():
    assert ndcg_at_k(["/a/", "/b/", "/c/"], JUDGED) == pytest.approx(1.0)
    assert reciprocal_rank(["/a/", "/b/", "/c/"], JUDGED) == 1.0


def test_unjudged_results_after_the_ideal_ones_cost_nothing():
    assert ndcg_at_k(["/a/", "/b/", "/c/", "/x/", "/d/"], JUDGED) == pytest.approx(1.0)


def test_reversed_ranking_scores_less_than_one():
    reversed_ = ["/c/", "/b/", "/a/"]
    assert 0 < ndcg_at_k(reversed_, JUDGED) < 1
    # The first result graded 2 or more is second.
    assert reciprocal_rank(reversed_, JUDGED) == 0.5


def test_empty_ranking_scores_zero():
    assert ndcg_at_k([], JUDGED) == 0.0
    assert reciprocal_rank([], JUDGED) == 0.0


def test_nothing_judged_relevant_scores_zero():
    assert ndcg_at_k(["/a/"], {}) == 0.0
    assert ndcg_at_k(["/a/"], {"/a/": 0}) == 0.0
    assert reciprocal_rank(["/a/"], {}) == 0.0


def test_ndcg_by_hand():
    # Gains 2**g - 1: 7, 3, 1. Ranking c, a: 1/log2(2) + 7/log2(3).
    dcg = 1 + 7 / math.log2(3)
    ideal = 7 + 3 / math.log2(3) + 1 / 2
    assert ndcg_at_k(["/c/", "/a/"], JUDGED) == pytest.approx(dcg / ideal)


def test_a_missed_relevant_page_costs_score():
    assert ndcg_at_k(["/a/", "/c/"], JUDGED) < ndcg_at_k(["/a/", "/b/", "/c/"], JUDGED)


def test_ndcg_cuts_off_at_k():
    ranking = [f"/x{i}/" for i in range(10)] + ["/a/"]
    assert ndcg_at_k(ranking, JUDGED, k=10) == 0.0
    assert ndcg_at_k(ranking, JUDGED, k=11) > 0.0
    with pytest.raises(ValueError):
        ndcg_at_k(ranking, JUDGED, k=0)


def test_a_repeated_result_earns_once():
    assert ndcg_at_k(["/a/", "/a/", "/b/"], JUDGED) == pytest.approx(
        ndcg_at_k(["/a/", "/b/"], JUDGED)
    )


def test_reciprocal_rank_ignores_marginal_results():
    assert reciprocal_rank(["/x/", "/c/", "/d/", "/b/"], JUDGED) == 0.25
    assert reciprocal_rank(["/c/"], JUDGED) == 0.0
    assert reciprocal_rank(["/c/"], JUDGED, min_grade=1) == 1.0


# --- evaluate() and the judged-set format -----------------------------------------------


def _query(qid, q, judgments, **kwargs):
    return JudgedQuery(id=qid, q=q, judgments=judgments, **kwargs)


def test_evaluate_averages_per_query_scores():
    queries = [_query("one", "one", {"/a/": 3}), _query("two", "two", {"/b/": 2})]
    results = {"one": ["/a/"], "two": ["/x/", "/b/"]}
    report = evaluate(queries, lambda q, params: results[q])
    assert [s.rr for s in report.scores] == [1.0, 0.5]
    assert report.mrr == pytest.approx(0.75)
    assert report.mean_ndcg == pytest.approx((1.0 + 1 / math.log2(3)) / 2)
    assert report.worst(1)[0].query.id == "two"
    assert "nDCG@10: " in report.summary() and "MRR: 0.7500" in report.summary()


def test_evaluate_passes_params_and_follows_a_suggestion_only_when_asked():
    calls = []

    def run(q, params):
        calls.append((q, params))
        if q == "sensetme":
            return Ranking([], suggestion="SenseTime")
        return Ranking(["/a/"])

    typo = _query(
        "t",
        "sensetme",
        {"/a/": 3},
        params={"kind": "entity"},
        follow_suggestion=True,
        expected_suggestion="sensetime",
    )
    plain = _query("p", "sensetme", {"/a/": 3})
    report = evaluate([typo, plain], run)
    assert calls[:2] == [("sensetme", {"kind": "entity"}), ("SenseTime", {"kind": "entity"})]
    followed, not_followed = report.scores
    assert followed.ndcg == 1.0 and followed.ran == "SenseTime" and followed.suggestion_ok
    assert not_followed.ndcg == 0.0 and not_followed.ran == "sensetme"


def test_an_unexpected_suggestion_is_reported():
    query = _query("t", "x", {"/a/": 3}, follow_suggestion=True, expected_suggestion="y")
    report = evaluate([query], lambda q, params: Ranking([], suggestion="z"))
    assert report.suggestion_misses == report.scores
    assert "Unexpected suggestions" in report.summary()


def test_no_suggestion_is_needed_when_the_typo_finds_results_by_itself():
    query = _query("t", "zhipuu", {"/a/": 3}, follow_suggestion=True, expected_suggestion="Zhipu")
    report = evaluate([query], lambda q, params: Ranking(["/a/"]))
    assert report.suggestion_misses == [] and report.scores[0].ndcg == 1.0


def test_a_report_lists_the_best_missed_pages_first_and_only_a_few():
    many = {f"/generated-{i}/": 2 for i in range(30)}
    query = _query("q", "q", {**many, "/story/": 3})
    report = evaluate([query], lambda q, params: ["/x/"])
    missed = next(
        line for line in report.describe(report.scores[0]).splitlines() if "missed:" in line
    )
    assert missed.split("missed:")[1].strip().startswith("/story/=3, /generated-0/=2")
    assert missed.endswith(", and 21 more")


def test_must_not_pages_are_reported():
    query = _query("x", "chips -huawei", {"/a/": 3}, must_not=("/huawei/",))
    report = evaluate([query], lambda q, params: ["/a/", "/huawei/"])
    assert [(s.query.id, url) for s, url in report.violations] == [("x", "/huawei/")]


def test_same_as_copies_judgments_and_may_override_them():
    queries = parse_judgments(
        {
            "queries": [
                {"id": "en", "q": "Huawei", "judgments": {"/e/huawei/": 3, "/c/x/": 1}},
                {"id": "zh", "q": "华为", "same_as": "en", "judgments": {"/c/x/": 2}},
            ]
        }
    )
    assert queries[1].judgments == {"/e/huawei/": 3, "/c/x/": 2}


def test_same_as_copies_corpus_judgments_and_may_add_to_them():
    queries = parse_judgments(
        {
            "queries": [
                {
                    "id": "en",
                    "q": "Huawei",
                    "judgments": {"/e/huawei/": 3},
                    "corpus": {"entity": "huawei", "pages": {"/events/huawei-*": 2}},
                },
                {"id": "zh", "q": "华为", "same_as": "en", "corpus": {"pages": {"/c/*": 1}}},
            ]
        }
    )
    assert queries[1].corpus_entity == "huawei"
    assert queries[1].corpus_pages == {"/events/huawei-*": 2, "/c/*": 1}
    assert queries[0].corpus_pages == {"/events/huawei-*": 2}


@pytest.mark.parametrize(
    "queries, message",
    [
        ([], "has no queries"),
        ([{"q": "x", "judgments": {"/a/": 3}}], "no id"),
        ([{"id": "a", "judgments": {"/a/": 3}}] * 2, "used twice"),
        ([{"id": "a", "judgments": {"a": 3}}], "not a URL path"),
        ([{"id": "a", "judgments": {"/a/": 4}}], "must be 0 to 3"),
        ([{"id": "a", "judgments": {"/a/": 1}}], "no result is judged 2"),
        ([{"id": "a", "same_as": "b"}], "same_as 'b'"),
        ([{"id": "a", "judgments": {"/a/": 3}, "must_not": ["/a/"]}], "both judged"),
        ([{"id": "a", "judgments": {"/a/": 3}, "params": {"page": 2}}], "params"),
        ([{"id": "a", "judgments": {"/a/": 3}, "qq": "typo"}], "unknown keys"),
        ([{"id": "a", "judgments": {"/a/": 3}, "corpus": {"entities": "x"}}], "corpus takes"),
        ([{"id": "a", "judgments": {"/a/": 3}, "corpus": {"pages": {"e/*": 2}}}], "URL path"),
        ([{"id": "a", "judgments": {"/a/": 3}, "corpus": {"pages": {"/e/*": 5}}}], "0 to 3"),
    ],
)
def test_a_malformed_judged_set_is_refused(queries, message):
    with pytest.raises(JudgmentError, match=re.escape(message)):
        parse_judgments({"queries": queries})


def test_the_judged_set_is_well_formed_and_covers_the_brief():
    queries = load_judgments(DEFAULT_JUDGMENTS)
    assert len(queries) >= 35
    categories = {q.category for q in queries}
    for category in (
        "name",
        "chinese",
        "typo",
        "phrase",
        "claim",
        "date",
        "exclusion",
        "or",
        "stemming",
        "prefix",
        "filter",
    ):
        assert category in categories
    texts = {q.q for q in queries}
    for text in (
        "SenseTime",
        "商汤",
        "商汤科技",
        "智谱",
        "百度",
        "华为",
        "華為",
        "商湯",
        "零一万物",
        "sensetme",
        '"free tokens"',
        '"export controls"',
        "chips -huawei",
    ):
        assert text in texts


# --- The seeded story, through the real search view -------------------------------------


class SeededSearchRelevanceTests(TestCase):
    """The judged set against the seeded story, through GET /search/?format=json."""

    @classmethod
    def setUpTestData(cls):
        call_command("seed", stdout=io.StringIO())
        # The index is filled on commit, which a TestCase never reaches: build it here.
        rebuild()
        suggest.forget()
        cls.queries = load_judgments(DEFAULT_JUDGMENTS)

    def setUp(self):
        suggest.forget()

    @classmethod
    def tearDownClass(cls):
        suggest.forget()  # the vocabulary of this class's data must not reach other tests
        super().tearDownClass()

    def report(self):
        return evaluate(self.queries, client_runner(self.client))

    def test_every_judged_page_exists(self):
        self.assertEqual(unknown_urls(self.queries), [])

    def test_relevance_meets_the_target(self):
        report = self.report()
        # Shown by pytest when the test fails: every query's scores, then the worst in detail.
        print(f"\nPer query (nDCG@10, RR):\n{report.table()}\n\n{report.summary(worst=20)}")
        self.assertTrue(
            report.mean_ndcg >= MIN_NDCG and report.mrr >= MIN_MRR,
            f"nDCG@10 {report.mean_ndcg:.4f} (target {MIN_NDCG}), "
            f"MRR {report.mrr:.4f} (target {MIN_MRR}): see the captured output for each query",
        )

    def test_excluded_and_filtered_out_pages_are_never_returned(self):
        report = self.report()
        self.assertEqual(
            [(s.query.id, url) for s, url in report.violations], [], report.summary(worst=0)
        )

    def test_typo_suggestions(self):
        report = self.report()
        misses = {
            s.query.id: (s.suggestion, s.query.expected_suggestion)
            for s in report.suggestion_misses
        }
        self.assertEqual(misses, {})

    def test_the_command_prints_the_scores(self):
        out = io.StringIO()
        call_command("search_relevance", "--worst", "3", stdout=out)
        text = out.getvalue()
        self.assertIn(f"Judged queries: {len(self.queries)}", text)
        self.assertRegex(text, r"nDCG@10: \d\.\d{4}")
        self.assertRegex(text, r"MRR: \d\.\d{4}")
        self.assertNotIn("not in the index", text)

    def test_the_command_prints_json_and_can_fail_under_a_threshold(self):
        out = io.StringIO()
        call_command("search_relevance", "--json", stdout=out)
        data = json.loads(out.getvalue())
        self.assertEqual(data["queries"], len(self.queries))
        self.assertEqual(data["unknown_urls"], [])
        self.assertEqual({q["id"] for q in data["per_query"]}, {q.id for q in self.queries})
        with self.assertRaisesMessage(CommandError, "nDCG@10"):
            call_command("search_relevance", "--min-ndcg", "1.01", stdout=io.StringIO())
        with self.assertRaisesMessage(CommandError, "cannot read the judged set"):
            call_command("search_relevance", "--judgments", "/no/such/file.toml")

    def test_the_command_refuses_to_score_an_index_without_the_judged_pages(self):
        SearchEntry.objects.filter(url="/entities/sensetime/").delete()
        with self.assertRaisesMessage(CommandError, "1 judged pages are not in the index"):
            call_command("search_relevance", stdout=io.StringIO())
        out = io.StringIO()
        call_command("search_relevance", "--allow-missing", stdout=out)
        self.assertIn("sensetime: /entities/sensetime/", out.getvalue())
