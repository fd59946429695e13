"""Relevance at scale: the judged queries on the seeded story inside 10,000 generated articles.

The story alone is scored by tests/search/test_search_relevance.py. Here the
same judged set runs after `generate_corpus` and `seed`, with the generated
pages graded from what the generator wrote (bench.judging), and must hold the
same targets.
"""

import io

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import CommandError, call_command
from django.test import TestCase

from aiwatch.search import engine, suggest
from aiwatch.search.management.commands.search_relevance import DEFAULT_JUDGMENTS, client_runner
from aiwatch.search.models import SearchEntry
from aiwatch.search.relevance import evaluate, load_judgments
from bench.judging import judge_corpus
from entities.models import Event
from tests.search.test_search_relevance import MIN_MRR, MIN_NDCG

pytestmark = pytest.mark.slow

ARTICLES = 10_000


class StoryInsideCorpusRelevanceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("generate_corpus", articles=ARTICLES, seed=42, stdout=io.StringIO())
        # The seed indexes what it wrote on commit, which a TestCase never reaches.
        with cls.captureOnCommitCallbacks(execute=True):
            call_command("seed", stdout=io.StringIO())
        suggest.forget()
        cls.corpus = judge_corpus(load_judgments(DEFAULT_JUDGMENTS))
        cls.queries = cls.corpus.queries

    @classmethod
    def tearDownClass(cls):
        suggest.forget()  # this corpus's vocabulary must not reach other tests
        super().tearDownClass()

    def judged(self, qid):
        return next(q for q in self.queries if q.id == qid)

    def test_relevance_meets_the_target(self):
        report = evaluate(self.queries, client_runner(self.client))
        print(f"\nPer query (nDCG@10, RR):\n{report.table()}\n\n{report.summary(worst=20)}")
        self.assertTrue(
            report.mean_ndcg >= MIN_NDCG and report.mrr >= MIN_MRR,
            f"nDCG@10 {report.mean_ndcg:.4f} (target {MIN_NDCG}), "
            f"MRR {report.mrr:.4f} (target {MIN_MRR}): see the captured output for each query",
        )
        self.assertEqual([(s.query.id, url) for s, url in report.violations], [])

    def test_every_corpus_judgment_grades_some_page(self):
        self.assertEqual(self.corpus.unmatched, [])

    def test_a_kind_filter_leaves_other_kinds_ungraded(self):
        claims = self.judged("filter-sensetime-claims").judgments
        self.assertTrue(claims)
        self.assertEqual({url.split("/")[1] for url in claims}, {"claims"})

    def test_generated_pages_are_graded_and_the_storys_keep_their_grades(self):
        by_template = self.judged("migration-services").judgments
        offers = [u for u in by_template if "-offers-migration-services-" in u]
        self.assertGreater(len(offers), 10)
        self.assertEqual({by_template[u] for u in offers}, {3})
        by_entity = self.judged("sensetime")
        story = load_judgments(DEFAULT_JUDGMENTS)
        story_grades = next(q for q in story if q.id == "sensetime").judgments
        self.assertGreater(len(by_entity.judgments), len(story_grades) + 50)
        for url, grade in story_grades.items():
            self.assertEqual(by_entity.judgments[url], grade)

    def test_an_old_event_is_first_among_thousands_of_newer_matches(self):
        """The blind spot issue 13 names: the story's event says "free tokens" in its title
        and is older than the newest MATCH_CAP matches, which are all a search once ranked."""
        event = Event.objects.get(slug="chinese-ai-firms-court-openai-users")
        newer = SearchEntry.objects.filter(
            vector=SearchQuery("free tokens", config="english"), date__gt=event.date
        ).count()
        self.assertGreater(newer, engine.MATCH_CAP)
        data = self.client.get("/search/", {"q": "free tokens", "format": "json"}).json()
        self.assertEqual(data["results"][0]["url"], event.get_absolute_url())

    def test_the_command_prints_scores_that_hold_the_target(self):
        out = io.StringIO()
        call_command(
            "corpus_relevance", "--min-ndcg", str(MIN_NDCG), "--min-mrr", str(MIN_MRR), stdout=out
        )
        self.assertRegex(out.getvalue(), r"nDCG@10: 0\.9\d{3}")


@pytest.mark.django_db
def test_without_a_corpus_the_command_refuses_to_score():
    """The story alone: every corpus judgment grades nothing, which must not pass as a score."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed", stdout=io.StringIO())
    unmatched = judge_corpus(load_judgments(DEFAULT_JUDGMENTS)).unmatched
    assert ("kai-fu-lee", "kai-fu-lee") in unmatched
    assert ("migration-services", "/events/*-offers-migration-services-to-openai-api-users*") in (
        unmatched
    )
    with pytest.raises(CommandError, match="grade no page"):
        call_command("corpus_relevance", stdout=io.StringIO())
