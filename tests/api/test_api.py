"""/api/v1/: what researchers' scripts rely on. Published rows only, cursors that walk
every row once, the pages' filters, ETags, CORS, a rate limit and errors as JSON."""

import pytest
from django.urls import reverse

from aiwatch.api.endpoints import api
from entities.models import Claim
from tests.factories import ArticleFactory, EntityFactory
from tests.site.snapshot_story import make_story

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def story():
    return make_story()


def get(client, path, status=200, **params):
    response = client.get(f"{API}{path}", params)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def names(page, field="name"):
    return [row[field] for row in page["results"]]


def test_lists_hold_only_what_is_published(client, story):
    assert names(get(client, "/articles"), "title") == [
        "Open article on free tokens",
        "Open copy of the article",
    ]
    assert names(get(client, "/entities")) == ["OpenAI", "Zhipu AI"]
    assert names(get(client, "/events"), "title") == ["Open event: the block begins"]
    # The claim list leaves deprecated claims out, as the page does, unless asked.
    claims = names(get(client, "/claims"), "statement")
    assert "Open claim: OpenAI blocks China" in claims
    assert "Open claim, since retracted" not in claims
    assert "Open claim, since retracted" in names(
        get(client, "/claims", deprecated="true"), "statement"
    )
    for page in (get(client, "/claims", deprecated="true"), get(client, "/entities")):
        assert "HIDDEN" not in str(page)


def test_a_cursor_walks_every_row_once_and_keeps_the_filters(client, story):
    ArticleFactory.create_batch(6, language="zh-Hans")
    seen, params = [], {"language": "zh-Hans", "limit": "4"}
    page = get(client, "/articles", **params)
    seen += names(page, "slug")
    assert page["next"].startswith("http://testserver/api/v1/articles?language=zh-Hans&limit=4")
    page = get(client, "/articles", **params, cursor=page["next_cursor"])
    seen += names(page, "slug")
    assert (page["next"], page["next_cursor"]) == (None, None)
    assert len(seen) == len(set(seen)) == 6


def test_a_cursor_taken_later_gives_only_what_came_since(client, story):
    first = get(client, "/entities", limit="2")
    assert first["next_cursor"] is None
    last_id = max(e.pk for e in [story["openai"], story["zhipu"]])
    newcomer = EntityFactory(name="Moonshot AI")
    since = get(client, "/entities", cursor=str(last_id))
    assert names(since) == [newcomer.name]


def test_the_filters_are_the_pages(client, story):
    assert names(get(client, "/claims", entity="zhipu-ai"), "statement") == [
        "Open claim: OpenAI blocks China"
    ]
    assert names(get(client, "/events", entity="openai"), "title") == [
        "Open event: the block begins"
    ]
    assert names(get(client, "/entities", kind="person")) == []
    assert names(get(client, "/articles", source="open-outlet", year="2024"), "title") == [
        "Open article on free tokens",
        "Open copy of the article",
    ]
    assert get(client, "/articles", year="2023")["results"] == []


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        (
            "/claims",
            {"entity": "no-such-entity"},
            "No published entity has the slug 'no-such-entity'.",
        ),
        (
            "/articles",
            {"source": "no-such-outlet"},
            "No published outlet has the slug 'no-such-outlet'.",
        ),
        (
            "/entities/hidden-draft-entity",
            {},
            "No published entity has the slug 'hidden-draft-entity'.",
        ),
        ("/claims/hidden-draft-claim", {}, "No published claim has the slug 'hidden-draft-claim'."),
    ],
)
def test_an_unknown_or_unpublished_slug_is_a_404_that_says_so(client, story, path, params, message):
    assert get(client, path, status=404, **params) == {"detail": message}


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "201"}, {"limit": "ten"}, {"cursor": "abc"}, {"kind": "robot"}],
)
def test_a_bad_parameter_is_a_422_naming_it(client, story, params):
    (error,) = get(client, "/entities", status=422, **params)["detail"]
    assert error["loc"] == ["query", next(iter(params))]


def test_an_article_carries_its_links_to_published_things_only(client, story):
    article = get(client, f"/articles/{story['article'].slug}")
    assert article["body"] == story["article"].body
    assert article["outlet"]["name"] == "Open Outlet"
    assert names({"results": article["entities"]}) == ["OpenAI"]  # the suggested one is not
    assert names({"results": article["events"]}) == ["Open event: the block begins"]
    assert sorted(names({"results": article["claims"]})) == [
        "Open claim, since retracted",
        "Open claim: OpenAI blocks China",
    ]
    assert [(r["article"]["name"], r["confirmed"]) for r in article["republished_as"]] == [
        ("Open copy of the article", False)
    ]
    assert "HIDDEN" not in str(article)


def test_an_entity_carries_its_events_claims_and_articles(client, story):
    entity = get(client, "/entities/openai")
    assert [(p["event"]["name"], p["role"]) for p in entity["events"]] == [
        ("Open event: the block begins", "blocked access")
    ]
    assert names({"results": entity["claims_made"]}) == ["Open claim: OpenAI blocks China"]
    assert names({"results": entity["articles"]}) == ["Open article on free tokens"]
    assert get(client, "/entities/zhipu-ai")["aliases"] == ["智谱"]


def test_an_event_carries_its_participants_and_sources(client, story):
    event = get(client, f"/events/{story['event'].slug}")
    assert [(p["entity"]["name"], p["role"]) for p in event["participants"]] == [
        ("OpenAI", "blocked access")
    ]
    assert names({"results": event["sources"]}) == ["Open article on free tokens"]


def test_a_claim_carries_its_standing_evidence_and_relations(client, story):
    deprecated = get(client, f"/claims/{story['deprecated'].slug}")
    assert (deprecated["standing"], deprecated["deprecation"], deprecated["standing_reason"]) == (
        "deprecated",
        "retracted",
        "The outlet retracted it on 12 July.",
    )
    claim = get(client, f"/claims/{story['claim'].slug}")
    assert claim["quote_url"].endswith(
        f"{story['article'].get_absolute_url()}#claim-{story['claim'].pk}"
    )
    assert [(r["kind"], r["direction"], r["claim"]["name"]) for r in claim["relations"]] == [
        ("contradicts", "outgoing", "Open claim, since retracted")
    ]
    assert names({"results": claim["about_entities"]}) == ["Zhipu AI"]
    # Its lineage: the article it is quoted from, then the copy that restates it (the draft
    # that restates it too is left out).
    assert [(a["article"]["name"], a["original"]) for a in claim["lineage"]] == [
        ("Open article on free tokens", True),
        ("Open copy of the article", False),
    ]
    assert claim["claimant"]["api_url"] == "http://testserver/api/v1/entities/openai"


def test_search_answers_as_the_search_page_does(client, story, django_capture_on_commit_callbacks):
    from aiwatch.search.indexing import rebuild

    rebuild()
    page = client.get(reverse("search"), {"q": "open claim", "format": "json"}).json()
    found = get(client, "/search", q="open claim")
    assert found["total"] == page["total"] == 1  # the retracted claim is left out
    assert [r["title"] for r in found["results"]] == [r["title"] for r in page["results"]]
    assert (
        found["results"][0]["api_url"] == f"http://testserver/api/v1/claims/{story['claim'].slug}"
    )
    widened = get(client, "/search", q="open claim", deprecated="true")
    assert widened["total"] == 2
    assert get(client, "/search", q="tokens", kind="entity")["total"] == 0
    assert get(client, "/search", entity="nobody", status=404)["detail"].startswith("No published")


def test_answers_carry_an_etag_and_a_repeat_gets_a_304(client, story):
    response = client.get(f"{API}/entities")
    assert response["ETag"]
    again = client.get(f"{API}/entities", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_any_site_may_read_the_api_with_get_and_nothing_else(client, story):
    response = client.get(f"{API}/entities", HTTP_ORIGIN="https://notebook.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        f"{API}/entities",
        HTTP_ORIGIN="https://notebook.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert client.post(f"{API}/entities").status_code == 405
    page = client.get("/entities/", HTTP_ORIGIN="https://notebook.example")
    assert "Access-Control-Allow-Origin" not in page  # the site's pages are not shared


def test_a_client_past_the_rate_limit_is_told_when_to_come_back(client, story, monkeypatch):
    (throttle,) = api.throttle
    monkeypatch.setattr(throttle, "num_requests", 3)
    throttle.cache.clear()
    statuses = [client.get(f"{API}/events", {"n": n}).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(f"{API}/events", {"n": "last"})
    assert response.json() == {"detail": "Too many requests."}
    assert 0 < int(response["Retry-After"]) <= 60
    other = client.get(f"{API}/events", {"n": "other"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200  # the limit is per address


def test_a_list_costs_the_same_queries_however_many_rows(
    client, story, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3) as few:
        get(client, "/claims", deprecated="true")
    for _ in range(10):
        Claim.objects.create(
            statement="Another",
            claimant=story["openai"],
            article=story["article"],
            quote="x",
            kind="fact",
            status="published",
        )
    with django_assert_max_num_queries(3) as many:
        get(client, "/claims", deprecated="true", page="again")
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("path", "most"),
    [
        ("/articles/{article}", 6),
        ("/entities/openai", 6),
        ("/events/{event}", 4),
        ("/claims/{claim}", 6),
    ],
)
def test_a_detail_costs_a_fixed_number_of_queries(
    client, story, django_assert_max_num_queries, path, most
):
    path = path.format(**{k: getattr(v, "slug", "") for k, v in story.items()})
    with django_assert_max_num_queries(most):
        get(client, path)


def test_the_docs_are_served_from_our_own_static_files(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "https://" not in html and "cdn" not in html.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_while_the_cache_fails_the_api_answers_unlimited(client, story, monkeypatch):
    from redis.exceptions import ConnectionError as RedisDown

    (throttle,) = api.throttle

    def down(*args, **kwargs):
        raise RedisDown("Redis is away")

    monkeypatch.setattr(throttle.cache, "get", down)
    assert client.get(f"{API}/events", {"n": "down"}).status_code == 200
