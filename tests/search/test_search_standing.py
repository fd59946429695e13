"""Search and claim standing: deprecated claims are left out unless asked for, and every
claim hit says how it stands, on the page, in the JSON and in the CSV."""

import csv
import io

import pytest
from django.urls import reverse

from aiwatch.search.indexing import rebuild
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db
URL = reverse("search")


@pytest.fixture
def claims():
    article = ArticleFactory(
        title="Tokens for everyone",
        body="Zhipu offered free tokens to every developer. Zhipu later gave tokens to half.",
    )
    standing = ClaimFactory(
        statement="Zhipu gives tokens to half of developers",
        article=article,
        quote="Zhipu later gave tokens to half.",
        standing="preferred",
        standing_reason="The later, narrower offer.",
    )
    deprecated = ClaimFactory(
        statement="Zhipu gives tokens to every developer",
        article=article,
        quote="Zhipu offered free tokens to every developer.",
        standing="deprecated",
        deprecation="superseded",
        standing_reason="Narrowed a week later.",
    )
    rebuild()
    return standing, deprecated


def titles(client, **params) -> list[str]:
    data = client.get(URL, {"format": "json", "kind": "claim", **params}).json()
    return [r["title"] for r in data["results"]]


def test_deprecated_claims_are_left_out_until_the_switch_is_on(client, claims):
    standing, deprecated = claims
    assert titles(client, q="tokens") == [standing.statement]
    assert set(titles(client, q="tokens", deprecated="on")) == {
        standing.statement,
        deprecated.statement,
    }


def test_the_page_offers_the_switch_both_ways(client, claims):
    page = client.get(URL, {"q": "tokens"}).content.decode()
    assert "Claims superseded or retracted are left out." in page
    assert "deprecated=on" in page
    shown = client.get(URL, {"q": "tokens", "deprecated": "on"}).content.decode()
    assert "Claims superseded or retracted are included." in shown
    assert "Leave them out" in shown
    assert 'class="badge badge-deprecated">Deprecated</span>' in shown
    assert 'class="badge badge-preferred">Preferred</span>' in shown


def test_json_and_csv_carry_the_standing(client, claims):
    data = client.get(URL, {"q": "tokens", "deprecated": "on", "format": "json"}).json()
    standing = {r["title"]: r["standing"] for r in data["results"]}
    assert set(standing.values()) == {"preferred", "deprecated", None}  # None: the article
    response = client.get(URL, {"q": "tokens", "deprecated": "on", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["title"]: row["standing"] for row in rows} == {
        k: v or "" for k, v in standing.items()
    }


def test_the_switch_alone_is_not_a_search(client, claims):
    page = client.get(URL, {"deprecated": "on"}).content.decode()
    assert "How to search" in page


def test_deprecating_a_claim_takes_it_out_of_search(
    client, claims, django_capture_on_commit_callbacks
):
    standing, _ = claims
    with django_capture_on_commit_callbacks(execute=True):
        standing.standing, standing.deprecation = "deprecated", "retracted"
        standing.save()
    assert titles(client, q="tokens") == []
