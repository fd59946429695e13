"""The search page as a researcher uses it: ranked, labelled, highlighted, faceted, shareable."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aiwatch.search import engine, suggest
from aiwatch.search.indexing import rebuild
from entities.models import ClaimEntity, Mention
from tests.factories import (
    AliasFactory,
    ArticleFactory,
    ClaimFactory,
    EntityFactory,
    EventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("search")


def link(article, entity):
    # Outside a test transaction a saved article has already suggested its
    # mentions on commit; this makes the link an accepted one either way.
    Mention.objects.update_or_create(
        article=article, entity=entity, defaults={"status": "accepted"}
    )


@pytest.fixture
def story():
    sensetime = EntityFactory(name="SenseTime", description="A Hong Kong AI company.")
    AliasFactory(entity=sensetime, name="商汤科技", language="zh-Hans")
    AliasFactory(entity=sensetime, name="商湯科技", language="zh-Hant")
    zhipu = EntityFactory(name="Zhipu AI")
    AliasFactory(entity=zhipu, name="智谱", language="zh-Hans")
    tekedia = SourceFactory(name="Tekedia")
    old = ArticleFactory(
        title="Chinese firms woo OpenAI developers",
        source=tekedia,
        published_on=datetime.date(2024, 7, 9),
        body="SenseTime and Zhipu AI offered free tokens and migration services.\n\n"
        "The companies blocked nothing; OpenAI was blocking access from China.",
    )
    new = ArticleFactory(
        title="A year after the block",
        published_on=datetime.date(2025, 7, 9),
        body="Developers recall how OpenAI blocked its API. 商汤科技 grew fast after that, "
        "as 大模型价格战 began.",
    )
    link(old, sensetime)
    link(new, sensetime)
    EventFactory(title="OpenAI's block takes effect", date=datetime.date(2024, 7, 9))
    claim = ClaimFactory(
        statement="Free tokens will lure developers away from OpenAI",
        claimant=zhipu,
        article=old,
        quote="offered free tokens and migration services",
        kind="prediction",
    )
    ClaimEntity.objects.create(claim=claim, entity=sensetime)
    rebuild()
    suggest.forget()
    return {"sensetime": sensetime, "zhipu": zhipu, "tekedia": tekedia, "old": old, "new": new}


def get_json(client, **params):
    response = client.get(URL, {**params, "format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_search_box_is_on_every_page(client, story):
    for url in [reverse("home"), reverse("entities:entity-list"), story["old"].get_absolute_url()]:
        assert f'action="{URL}"' in client.get(url).content.decode()


def test_a_name_finds_the_entity_first_then_what_mentions_it(client, story):
    data = get_json(client, q="sensetime")
    assert data["results"][0]["kind"] == "entity"
    assert data["results"][0]["title"] == "SenseTime"
    assert {r["kind"] for r in data["results"]} >= {"entity", "article", "claim"}


def test_each_result_has_kind_title_url_snippet_and_date(client, story):
    result = get_json(client, q='"free tokens"')["results"][0]
    assert set(result) >= {"kind", "title", "url", "snippet", "date"}
    assert "<mark>" in result["snippet_html"] and "free" in result["snippet"].lower()


def test_html_results_are_labelled_highlighted_and_dated(client, story):
    page = client.get(URL, {"q": "migration"}).content.decode()
    assert "<mark>migration</mark>" in page
    assert "9 July 2024" in page
    assert ">Article<" in page and ">Claim<" in page


def test_english_stemming(client, story):
    for q in ["block", "blocked", "blocking"]:
        titles = [r["title"] for r in get_json(client, q=q + " ")["results"]]
        assert "A year after the block" in titles, q


def test_the_last_word_typed_matches_as_a_prefix(client, story):
    assert get_json(client, q="zhip")["results"][0]["title"] == "Zhipu AI"
    assert get_json(client, q="zhip ")["total"] == 0


def test_a_word_being_typed_costs_one_prefix_scan_and_finds_every_form(client, story):
    ArticleFactory(title="Migrating models", body="Developers weigh a migration.")
    rebuild()
    with CaptureQueriesContext(connection) as captured:
        titles = [r["title"] for r in get_json(client, q="migratio")["results"]]
    assert {"Migrating models", "Chinese firms woo OpenAI developers"} <= set(titles)
    search_sql = next(q["sql"] for q in captured if q["sql"].lstrip().startswith("WITH"))
    # The prefixes searched (the query appears twice: to match and to rank).
    assert set(re.findall(r"(\w+)'*:\*", search_sql)) == {"migra"}


def test_a_quoted_phrase_is_narrowed_by_its_word_pairs_first(client, story):
    ArticleFactory(
        title="Quotas", body="Tokens were free for a week; the tokens came free of charge."
    )
    rebuild()
    with CaptureQueriesContext(connection) as captured:
        titles = {r["title"] for r in get_json(client, q='"free tokens"')["results"]}
    assert "Chinese firms woo OpenAI developers" in titles and "Quotas" not in titles
    search_sql = next(q["sql"] for q in captured if q["sql"].lstrip().startswith("WITH"))
    assert """"word_pairs" @@ ('''free token''')::tsquery""" in search_sql
    # A stop word between the words leaves no pair to look up; the phrase still matches.
    assert {r["title"] for r in get_json(client, q='"free of charge"')["results"]} == {"Quotas"}
    assert get_json(client, q='"charge of free"')["total"] == 0


def test_phrases_exclusions_and_or(client, story):
    assert get_json(client, q='"tokens free"')["total"] == 0
    with_phrase = get_json(client, q='"free tokens"')["total"]
    assert with_phrase >= 2
    excluded = get_json(client, q="developers -zhipu")
    assert all("Zhipu" not in r["title"] for r in excluded["results"])
    assert get_json(client, q="nonexistentword OR zhipu")["total"] >= 1


@pytest.mark.parametrize("q", ["商汤", "商湯", "商汤科技", "智谱"])
def test_chinese_names_find_their_entities(client, story, q):
    titles = [r["title"] for r in get_json(client, q=q)["results"]]
    assert titles[0] in ("SenseTime", "Zhipu AI")


def test_a_chinese_phrase_inside_an_article_body_is_found_and_highlighted(client, story):
    data = get_json(client, q="价格战", kind="article")
    assert [r["title"] for r in data["results"]] == ["A year after the block"]
    assert "<mark>价格战</mark>" in data["results"][0]["snippet_html"]


def test_an_article_is_found_by_any_name_of_an_entity_it_mentions(client, story):
    by_alias = {r["title"] for r in get_json(client, q="商湯", kind="article")["results"]}
    assert by_alias == {"Chinese firms woo OpenAI developers", "A year after the block"}


def test_a_typo_offers_a_suggestion_with_its_count(client, story):
    data = get_json(client, q="sensetme ")
    assert data["total"] == 0
    assert data["suggestion"]["query"].lower() == "sensetime"
    assert data["suggestion"]["count"] >= 3
    page = client.get(URL, {"q": "sensetme "}).content.decode()
    assert "Did you mean" in page


@pytest.mark.parametrize("huahai_first", [True, False])
def test_of_two_equally_close_words_the_suggestion_is_the_one_more_entries_use(
    client, huahai_first
):
    # "huawai" is one letter from both; Huawei is named by three entries, Huahai by one.
    if huahai_first:
        EntityFactory(name="Huahai Information")
    huawei = EntityFactory(name="Huawei")
    EventFactory(title="Huawei launches Mate 60 Pro")
    ClaimFactory(statement="Huawei made 7nm chips despite sanctions", claimant=huawei)
    if not huahai_first:
        EntityFactory(name="Huahai Information")
    rebuild()
    suggest.forget()
    assert get_json(client, q="huawai ")["suggestion"]["query"] == "Huawei"


def test_zero_results_page_helps(client, story):
    page = client.get(URL, {"q": "quantum teleportation "}).content.decode()
    assert "Nothing matched" in page
    assert "Try fewer words" in page and "q=quantum" in page
    assert reverse("entities:entity-list") in page


def test_facets_have_counts_and_compose_through_the_url(client, story):
    data = get_json(client, q="sensetime")
    kinds = {f["value"]: f["count"] for f in data["facets"]["kind"]}
    assert kinds["article"] == 2 and kinds["entity"] == 1
    assert {"value": "tekedia", "label": "Tekedia"}.items() <= data["facets"]["outlet"][0].items()
    years = {f["value"] for f in data["facets"]["year"]}
    assert years == {"2024", "2025"}
    narrowed = get_json(client, q="sensetime", kind="article", year="2024", outlet="tekedia")
    assert [r["title"] for r in narrowed["results"]] == ["Chinese firms woo OpenAI developers"]
    by_entity = get_json(client, q="developers", entity=story["zhipu"].slug)
    assert {r["kind"] for r in by_entity["results"]} == {"claim"}
    by_claim = get_json(client, q="tokens", claim_kind="prediction", verification="unverified")
    assert [r["kind"] for r in by_claim["results"]] == ["claim"]
    by_month = get_json(client, q="sensetime", year="2025", month="7")
    assert [r["title"] for r in by_month["results"]] == ["A year after the block"]
    by_range = get_json(client, q="sensetime", date_from="2025-01-01", date_to="2025-12-31")
    assert [r["title"] for r in by_range["results"]] == ["A year after the block"]


def test_facet_links_keep_the_query_and_other_facets(client, story):
    page = client.get(URL, {"q": "sensetime", "year": "2024"}).content.decode()
    assert "q=sensetime&amp;year=2024&amp;kind=article" in page


def test_the_sidebar_shows_ten_values_a_facet_and_months_once_a_year_is_chosen(client, story):
    for i in range(12):
        article = ArticleFactory(
            title=f"Tokens {i}",
            source=SourceFactory(name=f"Outlet {i:02}"),
            published_on=datetime.date(2024, 1 + i % 6, 1),
            body="free tokens",
        )
        link(article, EntityFactory(name=f"Lab {i:02}"))
        link(article, EntityFactory(name=f"Fund {i:02}"))
    rebuild()
    page = client.get(URL, {"q": "tokens "}).content.decode()
    outlets = page.split("<h2>Outlet</h2>")[1].split("</section>")[0]
    assert outlets.count("<li>") == 10 and "and 3 others" in outlets
    entities = page.split("<h2>Entity</h2>")[1].split("</section>")[0]
    assert entities.count("<li>") == 10 and "and 5 or more others" in entities
    assert "<h2>Month</h2>" not in page
    in_2024 = client.get(URL, {"q": "tokens ", "year": "2024"}).content.decode()
    assert "<h2>Month</h2>" in in_2024 and "year=2024&amp;month=3" in in_2024
    # The JSON keeps every value.
    assert len(get_json(client, q="tokens ")["facets"]["outlet"]) == 13


def test_sort_newest_and_oldest(client, story):
    newest = [
        r["date"] for r in get_json(client, q="sensetime", sort="newest")["results"] if r["date"]
    ]
    oldest = [
        r["date"] for r in get_json(client, q="sensetime", sort="oldest")["results"] if r["date"]
    ]
    assert newest == sorted(newest, reverse=True) and oldest == sorted(oldest)
    assert newest[0] == "2025-07-09"


def test_filters_alone_browse_without_a_query(client, story):
    data = get_json(client, kind="article", year="2025")
    assert [r["title"] for r in data["results"]] == ["A year after the block"]


def test_results_are_reproducible_from_the_url(client, story):
    params = {"q": "sensetime", "kind": "article", "sort": "oldest", "format": "json"}
    assert client.get(URL, params).json() == client.get(URL, params).json()


def test_csv_export_states_its_cap(client, story):
    response = client.get(URL, {"q": "sensetime", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["X-Row-Cap"] == str(engine.MATCH_CAP)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["kind", "title", "url", "date", "snippet", "standing"]
    assert len(rows) - 1 == get_json(client, q="sensetime")["total"]
    assert rows[1][2].startswith("http://testserver/")


def test_pagination_and_deep_pages(client, story):
    for i in range(25):
        ArticleFactory(title=f"Tokens report {i}", body="free tokens everywhere")
    rebuild()
    first = get_json(client, q="tokens")
    assert first["pages"] == 2 and len(first["results"]) == engine.PAGE_SIZE
    second = get_json(client, q="tokens", page="2")
    assert len(second["results"]) == first["total"] - engine.PAGE_SIZE
    assert not {r["url"] for r in first["results"]} & {r["url"] for r in second["results"]}
    beyond = get_json(client, q="tokens", page="999999")
    assert beyond["page"] == 2 and beyond["results"] == second["results"]


def test_past_the_ranking_cap_the_total_and_the_facets_still_count_every_match(
    client, story, monkeypatch
):
    monkeypatch.setattr(engine, "MATCH_CAP", 10)
    years = [2021 + i % 3 for i in range(15)]
    for i, year in enumerate(years):
        ArticleFactory(
            title=f"Report {i}", body="A quokka.", published_on=datetime.date(year, 5, 1)
        )
    rebuild()
    data = get_json(client, q="quokka")
    assert (data["total"], data["total_is_capped"]) == (15, False)
    assert data["ranked"] < 15
    year_facet = {f["value"]: f["count"] for f in data["facets"]["year"]}
    assert year_facet == {str(y): years.count(y) for y in set(years)}
    page = client.get(URL, {"q": "quokka"}).content.decode()
    assert "15 results: ranked among the 10 newest matches" in page


def test_a_browse_past_the_ranking_cap_says_only_what_it_ranked(client, story, monkeypatch):
    monkeypatch.setattr(engine, "MATCH_CAP", 10)
    for i in range(15):
        ArticleFactory(title=f"Report {i}")
    rebuild()
    page = client.get(URL, {"kind": "article"}).content.decode()
    assert "ranked among the 10 newest matches. Add a word" in page
    assert "titles and names" not in page


def test_past_the_count_cap_the_page_says_more_than(client, story, monkeypatch):
    monkeypatch.setattr(engine, "MATCH_CAP", 10)
    monkeypatch.setattr(engine, "COUNT_CAP", 12)
    for i in range(15):
        ArticleFactory(title=f"Report {i}", body="A quokka.")
    rebuild()
    data = get_json(client, q="quokka")
    assert (data["total"], data["total_is_capped"]) == (12, True)
    assert sum(f["count"] for f in data["facets"]["kind"]) == 12  # the same set as the total
    assert "More than 12 results" in client.get(URL, {"q": "quokka"}).content.decode()


def test_a_capped_search_still_finds_the_entity_by_its_name(client, story, monkeypatch):
    monkeypatch.setattr(engine, "MATCH_CAP", 10)
    for i in range(15):
        link(
            ArticleFactory(title=f"Report {i}", body="SenseTime grew."),
            story["sensetime"],
        )
    rebuild()
    data = get_json(client, q="sensetime")
    assert data["total"] > engine.MATCH_CAP  # more matches than the slices rank
    assert (data["results"][0]["kind"], data["results"][0]["title"]) == ("entity", "SenseTime")


@pytest.mark.parametrize("sort", ["newest", "oldest", "relevance"])
def test_a_capped_search_keeps_the_newest_matches_whatever_slice_they_are_in(
    client, story, monkeypatch, sort
):
    # Forty days apart, the dates run over every slice: 3, 9 and 24 months, and older.
    monkeypatch.setattr(engine, "MATCH_CAP", 10)
    dates = [datetime.date(2026, 5, 1) - datetime.timedelta(days=40 * i) for i in range(40)]
    for i, day in enumerate(dates):
        ArticleFactory(title=f"Note {i}", body="A quota.", published_on=day)
    rebuild()
    data = get_json(client, q="quota ", sort=sort)
    assert data["ranked"] < data["total"] == 40
    # The page may show the one match past the cap that proved there are more.
    kept = sorted((r["date"] for r in data["results"]), reverse=sort != "oldest")[:10]
    expected = sorted(dates, reverse=sort != "oldest")[:10]
    assert kept == [d.isoformat() for d in expected]


@pytest.mark.parametrize("q", ["free tokens", '"free tokens"', "tokens -nothing"])
def test_an_old_entry_about_the_query_outranks_newer_mentions_past_the_cap(
    client, story, monkeypatch, q
):
    """The event's title holds the words; fifteen newer articles only mention them. With the
    cap at ten, the event is outside the newest matches, and still the first result."""
    monkeypatch.setattr(engine, "MATCH_CAP", 10)
    event = EventFactory(
        title="Chinese AI firms offer OpenAI's users free tokens and migration",
        date=datetime.date(2024, 7, 10),
    )
    for i in range(15):
        ArticleFactory(
            title=f"Market note {i}",
            body="Among other things, vendors handed out free tokens.",
            published_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=i),
        )
    rebuild()
    data = get_json(client, q=q)
    assert data["ranked"] < data["total"]
    assert data["results"][0]["url"] == event.get_absolute_url()
    # Sorted by date, the cap still keeps the newest: the old event is not among them.
    newest = get_json(client, q=q, sort="newest")["results"]
    assert newest[0]["title"] == "Market note 14"


def test_the_first_stage_respects_an_excluded_word(client, story):
    """An excluded word in the body excludes an entry that matches in its title."""
    EventFactory(title="Free tokens for developers", description="Offered across China.")
    rebuild()
    titles = [r["title"] for r in get_json(client, q="free tokens -china")["results"]]
    assert "Free tokens for developers" not in titles
    assert "Free tokens for developers" in [
        r["title"] for r in get_json(client, q="free tokens")["results"]
    ]


def test_no_query_matches_the_lexemes_that_slice_the_index(client, story):
    for q in ["ym", "kind", "~kind:entity", "'~ym:202407'", "entity"]:
        assert get_json(client, q=q)["total"] == 0, q


def test_a_match_deep_in_a_long_article_is_the_snippet(client, story):
    filler = "Officials met again to review the quarterly figures in detail. " * 80
    ArticleFactory(
        title="Long report", body=f"{filler}Then Kuaishou's Kling surprised them. {filler}"
    )
    rebuild()
    result = get_json(client, q="kling", kind="article")["results"][0]
    assert "<mark>Kling</mark> surprised them" in result["snippet_html"]
    assert len(result["snippet"]) < 400


@pytest.mark.parametrize(
    "params",
    [
        {"q": "sensetime", "kind": "planet"},
        {"q": "sensetime", "entity": "nobody"},
        {"q": "sensetime", "year": "abc", "month": "13"},
        {"q": "sensetime", "page": "abc"},
        {"q": "sensetime", "sort": "sideways"},
        {"q": "sensetime", "date_from": "yesterday"},
    ],
)
def test_bad_parameters_are_explained_and_ignored(client, story, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    page = response.content.decode()
    assert "were not understood and were ignored" in page
    assert "SenseTime" in page


# A real transaction, as in production: a test-case transaction would add savepoints.
@pytest.mark.django_db(transaction=True)
def test_a_search_costs_at_most_8_queries_however_many_matches(
    client, story, django_assert_max_num_queries
):
    params = {"q": "tokens", "entity": story["sensetime"].slug, "outlet": "tekedia", "year": "2024"}
    with django_assert_max_num_queries(8):
        assert client.get(URL, params).status_code == 200
    for i in range(40):
        article = ArticleFactory(
            title=f"Tokens report {i}",
            source=story["tekedia"],
            published_on=datetime.date(2024, 8, 1),
            body="free tokens",
        )
        link(article, story["sensetime"])
        link(article, EntityFactory())
    rebuild()
    with django_assert_max_num_queries(8):
        assert client.get(URL, params).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(URL, {"q": "tokkens "}).status_code == 200
    # The costliest path: two filters to look up, few results, a cold vocabulary
    # and a suggestion to count.
    suggest.forget()
    with django_assert_max_num_queries(8):
        response = client.get(URL, {**params, "q": "sensetme "})
    assert "Did you mean" in response.content.decode()


def test_more_matches_than_are_ranked_cost_one_query_more(client, story, monkeypatch):
    for i in range(15):
        ArticleFactory(title=f"Report {i}", body="A quokka.")
    rebuild()
    # Different words each time: a repeated search is a kept page, with no query at all.
    with CaptureQueriesContext(connection) as all_ranked:
        assert get_json(client, q="quokka")["total"] == 15
    monkeypatch.setattr(engine, "MATCH_CAP", 10)
    with CaptureQueriesContext(connection) as some_ranked:
        assert get_json(client, q="quokka report")["total"] == 15
    # The page's query counted them all; past the cap, one more query counts them.
    assert len(some_ranked) == len(all_ranked) + 1


def test_drafts_never_appear_in_results(client, story):
    ArticleFactory(title="Embargoed tokens scoop", status="draft", body="free tokens")
    EntityFactory(name="Secret Tokens Lab", status="draft")
    rebuild()
    titles = [r["title"] for r in get_json(client, q="tokens")["results"]]
    assert not any("Embargoed" in t or "Secret" in t for t in titles)
