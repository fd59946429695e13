"""Search narrows articles by their role, and can count outlets without their republications."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from aiwatch.search.indexing import rebuild
from aiwatch.search.models import SearchEntry
from tests.factories import ArticleFactory, EntityFactory, RepublicationFactory, SourceFactory

pytestmark = pytest.mark.django_db
URL = reverse("search")


def get_json(client, **params):
    response = client.get(URL, {**params, "format": "json"})
    assert response.status_code == 200
    return response.json()


def facet(data, name):
    return {item["value"]: item["count"] for item in data["facets"][name]}


@pytest.fixture
def corpus():
    """A wire story run again by two outlets (one copy confirmed), plus a statement."""
    wire, aggregator = SourceFactory(name="Wire"), SourceFactory(name="Aggregator")
    original = ArticleFactory(
        title="Tokens story", source=wire, role="original", body="Free tokens for developers."
    )
    confirmed = ArticleFactory(
        title="Tokens story, again",
        source=aggregator,
        role="republication",
        body="Free tokens for developers, again.",
    )
    suggested = ArticleFactory(
        title="Tokens story, maybe again", source=aggregator, body="Free tokens, maybe."
    )
    statement = ArticleFactory(
        title="Ministry on tokens", source=wire, role="statement", body="Tokens are regulated."
    )
    RepublicationFactory(copy=confirmed, original=original, status="confirmed")
    RepublicationFactory(copy=suggested, original=original)
    EntityFactory(name="Tokens Lab")
    rebuild()
    return locals()


def test_articles_have_a_role_facet(client, corpus):
    data = get_json(client, q="tokens")
    assert facet(data, "role") == {"original": 1, "republication": 1, "statement": 1}
    labels = {item["value"]: item["label"] for item in data["facets"]["role"]}
    assert labels["statement"] == "Official statement"
    page = client.get(URL, {"q": "tokens"}).content.decode()
    assert "<h2>Article role</h2>" in page
    assert "q=tokens&amp;role=statement" in page


def test_the_role_facet_narrows_the_results(client, corpus):
    data = get_json(client, q="tokens", role="statement")
    assert [r["title"] for r in data["results"]] == ["Ministry on tokens"]
    # Browsing by role alone, without words.
    assert get_json(client, role="original")["total"] == 1


@pytest.mark.parametrize("value", ["planet", "Original", "pla\x00net", "x" * 600])
def test_a_bad_role_is_reported_and_ignored(client, corpus, value):
    data = get_json(client, q="tokens", role=value)
    assert "role" in data["errors"]
    assert data["total"] == get_json(client, q="tokens")["total"]
    response = client.get(URL, {"q": "tokens", "role": value})
    assert response.status_code == 200
    assert "were not understood and were ignored" in response.content.decode()


def test_outlet_counts_can_leave_confirmed_republications_out(client, corpus):
    every = get_json(client, q="tokens")
    assert facet(every, "outlet") == {"wire": 2, "aggregator": 2}
    assert facet(every, "republications") == {"exclude": every["total"] - 1}
    own = get_json(client, q="tokens", republications="exclude")
    assert facet(own, "outlet") == {"wire": 2, "aggregator": 1}
    titles = {r["title"] for r in own["results"]}
    assert "Tokens story, again" not in titles
    # A suggested link is not yet a republication; entities are never left out.
    assert {"Tokens story, maybe again", "Tokens Lab"} <= titles
    assert own["total"] == every["total"] - 1


def test_the_sidebar_offers_to_leave_republications_out_and_back(client, corpus):
    page = client.get(URL, {"q": "tokens"}).content.decode()
    panel = page.split("<h2>Republications</h2>")[1].split("</section>")[0]
    assert "q=tokens&amp;republications=exclude" in panel
    assert "Without the 1 confirmed republication<" in panel
    page = client.get(URL, {"q": "tokens", "republications": "exclude"}).content.decode()
    panel = page.split("<h2>Republications</h2>")[1].split("</section>")[0]
    assert "are left out" in panel and 'href="?q=tokens">Include them</a>' in panel


def test_no_republications_panel_without_republications(client, corpus):
    data = get_json(client, q="ministry")
    assert data["facets"]["republications"] == []
    assert "<h2>Republications</h2>" not in client.get(URL, {"q": "ministry"}).content.decode()


@pytest.mark.parametrize("value", ["all", "EXCLUDE", "ex\x00clud"])
def test_a_bad_republications_value_is_reported_and_ignored(client, corpus, value):
    data = get_json(client, q="tokens", republications=value)
    assert "republications" in data["errors"]
    assert data["total"] == get_json(client, q="tokens")["total"]


def test_confirming_a_link_updates_the_copys_entry(corpus, django_capture_on_commit_callbacks):
    copy = corpus["suggested"]
    entry = SearchEntry.objects.get(kind="article", object_id=copy.pk)
    assert not entry.republication
    link = copy.republished_from.get()
    with django_capture_on_commit_callbacks(execute=True):
        link.status = "confirmed"
        link.save()
    entry.refresh_from_db()
    assert entry.republication
    with django_capture_on_commit_callbacks(execute=True):
        link.delete()
    entry.refresh_from_db()
    assert not entry.republication


def test_setting_a_role_updates_the_entry(corpus, django_capture_on_commit_callbacks):
    article = corpus["suggested"]
    with django_capture_on_commit_callbacks(execute=True):
        article.role = "follow-up"
        article.save()
    assert SearchEntry.objects.get(kind="article", object_id=article.pk).role == "follow-up"


def test_reindex_fills_role_and_republication(corpus):
    SearchEntry.objects.update(role="", republication=False)
    call_command("reindex", verbosity=0)
    entries = {e.title: e for e in SearchEntry.objects.filter(kind="article")}
    assert entries["Tokens story, again"].republication
    assert entries["Tokens story, again"].role == "republication"
    assert entries["Ministry on tokens"].role == "statement"
    assert not entries["Tokens story"].republication
