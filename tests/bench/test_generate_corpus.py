"""generate_corpus: a small synthetic corpus in the test database, checked in SQL."""

import hashlib
import io
import re
import signal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count

from aiwatch.search.models import SearchEntry
from articles.models import Article, Source
from bench import corpus
from bench.management.commands.bench_search import query_mix
from entities.models import Alias, Claim, ClaimRelation, Entity, Event, Mention

pytestmark = pytest.mark.slow

N = 400


def generate(n=N, seed=42, **options) -> str:
    out = io.StringIO()
    call_command("generate_corpus", articles=n, seed=seed, stdout=out, **options)
    return out.getvalue()


def scalar(sql: str, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def articles_matching(tsquery_sql: str, param: str, published: bool = True) -> int:
    return scalar(
        "SELECT count(*) FROM articles_article WHERE (status = 'published') = %s AND "
        f"to_tsvector('english', title || ' ' || summary || ' ' || body) @@ {tsquery_sql}",
        [published, param],
    )


@pytest.fixture
def generated(db):
    """The corpus without its search index, which only test_search_index_is_built needs."""
    return generate(no_index=True)


def test_refuses_the_dev_database(db, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "aiwatch")
    Source.objects.create(name="Kept")
    with pytest.raises(CommandError, match=r"bench.*test"):
        generate()
    assert Source.objects.filter(name="Kept").exists()
    assert not Article.objects.exists()


def test_counts_and_proportions(generated):
    expected = corpus.expected_counts(N)
    assert Article.objects.count() == N
    statuses = dict(Article.objects.values_list("status").annotate(n=Count("id")))
    assert statuses == {"published": N - 20, "draft": 12, "review": 4, "withdrawn": 4}
    assert expected["unpublished"] == 20
    assert Source.objects.count() == 50
    assert Entity.objects.count() == expected["entities"]
    assert Event.objects.count() == N // 10
    assert Claim.objects.count() == N // 2
    assert 0 < ClaimRelation.objects.count() <= expected["claim_relations"]
    per_article = scalar(
        "SELECT array[min(c), max(c)] FROM "
        "(SELECT count(*) AS c FROM entities_mention GROUP BY article_id) m"
    )
    assert per_article[0] >= 3 and per_article[1] <= 8
    assert Mention.objects.values("article").distinct().count() == N
    assert set(Entity.objects.values_list("kind", flat=True)) == set(Entity.Kind.values)
    for model in (Event, Claim):
        assert 0.85 < model.objects.published().count() / model.objects.count() < 1


def test_realistic_articles(generated):
    words = scalar(
        "SELECT array[min(w), max(w), avg(w)::int] FROM (SELECT "
        "array_length(regexp_split_to_array(trim(body), '\\s+'), 1) AS w FROM articles_article) a"
    )
    assert words[0] >= corpus.WORDS_MIN and words[1] <= corpus.WORDS_MAX
    assert 550 <= words[2] <= 650
    # raw is the body, and the hash is the SHA-256 of raw.
    assert not scalar(
        "SELECT count(*) FROM articles_article WHERE raw <> body "
        "OR content_hash <> encode(sha256(convert_to(raw, 'UTF8')), 'hex')"
    )
    dates = scalar("SELECT array[min(published_on), max(published_on)] FROM articles_article")
    assert dates[0] >= corpus.DATE_FROM and dates[1] <= corpus.DATE_TO
    assert Article.objects.values("source").distinct().count() > 40
    article = Article.objects.first()
    assert len(article.paragraphs) >= 5
    assert article.get_absolute_url().startswith("/articles/")


def test_controlled_terms_match_exactly_the_planned_articles(generated):
    expected = corpus.expected_counts(N)
    term = "to_tsquery('english', %s)"
    assert articles_matching(term, corpus.COMMON_TERM) == expected["common"] == 133
    assert articles_matching(term, corpus.RARE_TERM) == expected["rare"] == 1
    phrase = "phraseto_tsquery('english', %s)"
    assert articles_matching(phrase, corpus.PHRASE) == expected["phrase"] == 4
    # Each word of the phrase is common on its own.
    assert articles_matching(term, "free & tokens") > 5 * expected["phrase"]
    exclusion = f"{corpus.EXCLUSION_TERM} & !{corpus.EXCLUSION_OTHER}"
    assert articles_matching(term, exclusion) == expected["vpn_not_firewall"]
    assert articles_matching(term, corpus.EXCLUSION_TERM) == expected["vpn"]
    # Unpublished articles never carry a controlled term.
    assert articles_matching(term, corpus.COMMON_TERM, published=False) == 0
    cjk = Article.objects.filter(body__regex=r"[\u4e00-\u9fff]").count()
    assert cjk == expected["cjk_inline"]
    assert Article.objects.filter(body__contains="商汤科技").count() == expected["cjk_query"]


def test_entities_have_distinct_names_and_chinese_aliases(generated):
    assert Entity.objects.values("name").distinct().count() == Entity.objects.count()
    zh = Alias.objects.filter(language="zh-Hans")
    assert zh.values("name").distinct().count() == zh.count()
    without_chinese = Entity.objects.exclude(aliases__language__startswith="zh-Han")
    assert set(without_chinese.values_list("slug", flat=True)) == {
        slug
        for slug, _, _, aliases, _ in corpus.REAL_ENTITIES
        if not any(lang.startswith("zh") for _, lang in aliases)
    }
    assert Alias.objects.filter(language="zh-Hant").count() > N // 20 / 4
    assert Alias.objects.filter(language="en").count() > N // 20 / 4
    sensetime = Entity.objects.get(name="SenseTime")
    assert Alias.objects.get(name="商汤科技").entity == sensetime
    assert Entity.objects.get(slug=corpus.FILTER_ENTITY_SLUG).mentions.count() > N * 0.04
    assert Alias.objects.filter(name=corpus.ALIAS_QUERY, language="en").count() == 1


def test_claims_quote_their_article_verbatim(generated):
    assert not scalar(
        "SELECT count(*) FROM entities_claim c JOIN articles_article a ON a.id = c.article_id "
        "WHERE substring(a.body from c.quote_start + 1 for c.quote_end - c.quote_start) "
        "IS DISTINCT FROM c.quote"
    )
    for claim in Claim.objects.select_related("article")[:50]:
        assert claim.locate_quote() == (claim.quote_start, claim.quote_end)
    assert not Claim.objects.filter(needs_review=True).exists()
    assert not Claim.objects.exclude(verification="unverified").filter(verification_reason="")
    assert Claim.objects.filter(entity_links__isnull=False).distinct().count() == N // 2
    assert Event.objects.filter(participations__isnull=False).distinct().count() == N // 10
    assert Event.objects.filter(event_sources__isnull=False).distinct().count() == N // 10


def test_search_index_is_built(db):
    assert "search index" in generate()
    published = Article.objects.published().count()
    assert SearchEntry.objects.filter(kind="article").count() == published
    rare = SearchEntry.objects.extra(
        where=["vector @@ to_tsquery('english', %s)"], params=[corpus.RARE_TERM]
    )
    assert rare.filter(kind="article").count() == corpus.expected_counts(N)["rare"]


def test_ids_continue_after_the_corpus(generated):
    source = Source.objects.create(name="A new outlet")
    assert source.pk == 51


def test_the_story_seeded_again_over_a_new_corpus_is_whole(db):
    """The benchmark puts the story inside a corpus: a corpus written over a seeded database
    forgets what the seed made, so seeding again makes the whole story, not a part."""
    call_command("seed", stdout=io.StringIO())
    story = {
        "claims": set(Claim.objects.values_list("slug", flat=True)),
        "events": set(Event.objects.values_list("slug", flat=True)),
    }
    generate(n=20, no_index=True)
    call_command("seed", stdout=io.StringIO())
    for model, slugs in ((Claim, story["claims"]), (Event, story["events"])):
        assert slugs <= set(model.objects.values_list("slug", flat=True))


def test_deterministic_with_seed(db):
    def fingerprint() -> str:
        rows = Article.objects.order_by("id").values_list("title", "slug", "content_hash")
        names = Entity.objects.order_by("id").values_list("name", flat=True)
        quotes = Claim.objects.order_by("id").values_list("quote", flat=True)
        return hashlib.sha256(repr((list(rows), list(names), list(quotes))).encode()).hexdigest()

    generate(n=120, seed=7, no_index=True)
    first = fingerprint()
    generate(n=120, seed=7, no_index=True)
    assert fingerprint() == first
    assert Article.objects.count() == 120  # the second run replaced the first
    generate(n=120, seed=8, no_index=True)
    assert fingerprint() != first


def test_reuse_skips_an_identical_corpus(db):
    generate(n=60, seed=1)
    out = generate(n=60, seed=1, reuse=True)
    assert "reusing" in out
    out = generate(n=61, seed=1, reuse=True)
    assert "reusing" not in out
    assert Article.objects.count() == 61


# --- The generator alone ----------------------------------------------------------


def test_ordinary_text_never_contains_a_controlled_term():
    gen = corpus.Corpus(600, seed=3)
    texts = [
        *corpus.SENTENCES,
        *(t for ts in corpus.INTRODUCTIONS.values() for t in ts),
        *corpus.HEADLINES,
        *(t for t, _ in corpus.EVENT_TITLES),
        *corpus.EVENT_SENTENCES,
        *corpus.REASONS.values(),
        *(e.name for e in gen.entities),
        *(a for e in gen.entities if e.slug != "sensetime" for a, _ in e.aliases),
        *(s.name for s in gen.sources),
    ]
    for text in texts:
        lowered = text.lower()
        for word in corpus.CONTROLLED_WORDS:
            assert word not in lowered, (word, text)
        assert not re.search(r"\bfree\W+tokens?\b", lowered), text
        assert not lowered.rstrip(".”").endswith(" free"), text
        assert not lowered.startswith("tokens"), text


@pytest.mark.parametrize("n", [1, 2, 7])
def test_tiny_corpora_complete(n):
    gen = corpus.Corpus(n, seed=1)
    assert len(list(gen.articles())) == n
    assert gen.events() and gen.finish_claims()


def test_a_million_articles_get_their_fifty_thousand_entities():
    # Two-syllable brands run out near 6,000: without three-syllable ones, making the
    # entities of a million-article corpus never finished: fail instead of hanging.
    def too_long(signum, frame):
        raise TimeoutError("the entities of a million-article corpus took over 2 minutes")

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(120)
    try:
        names = [e.name for e in corpus.Corpus(1_000_000, seed=42).entities]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert len(names) == 50_000
    assert len(set(names)) == len(names)


def test_expected_counts_at_benchmark_sizes():
    big = corpus.expected_counts(100_000)
    assert big["rare"] == 50
    assert big["common"] == 33_333
    assert big["phrase"] == 1_000
    assert big["entities"] == 5_000 and big["events"] == 10_000 and big["claims"] == 50_000


def test_bench_search_runs_the_query_mix_through_the_search_page(db):
    generate(n=200)
    out = io.StringIO()
    call_command("bench_search", repeat=2, label="smoke", stdout=out)
    rows = {
        cells[0]: cells
        for line in out.getvalue().splitlines()
        if line.startswith("| ") and not line.startswith(("| class", "| -"))
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    assert set(rows) >= {name for name, _ in query_mix()}
    expected = corpus.expected_counts(200)
    assert rows["rare term"][7] == str(expected["rare"])  # results, from the JSON form
    assert rows["phrase"][7] == str(expected["phrase"])
    assert all(int(cells[5]) >= 1 for cells in rows.values())  # SQL queries per request
    assert all(float(cells[4]) > 0 for cells in rows.values())  # the JSON form's p50
    # Served from the page cache: the repeats run no SQL at all.
    assert re.search(
        r"cached repeat \(/search/\?q=\w+\): p50 \d+\.\d\d ms, 0 SQL queries", out.getvalue()
    )


def test_bench_search_records_runs_and_prints_how_latency_grows(db, tmp_path):
    record = tmp_path / "runs.jsonl"
    generate(n=100)
    call_command(
        "bench_search", repeat=1, record=str(record), only=["rare term"], stdout=io.StringIO()
    )
    generate(n=300)
    call_command(
        "bench_search", repeat=1, record=str(record), only=["rare term"], stdout=io.StringIO()
    )
    out = io.StringIO()
    call_command("bench_search", growth=str(record), stdout=out)
    text = out.getvalue()
    assert "| class | 100 | 300 | largest ÷ smallest |" in text
    assert re.search(r"\| rare term \| \d+\.\d \| \d+\.\d \| \d+\.\d\d \|", text)
    with pytest.raises(CommandError, match="cannot read"):
        call_command("bench_search", growth=str(tmp_path / "missing.jsonl"))
