"""Counting an outlet's articles with or without its republications of other outlets' stories."""

import re

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, RepublicationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def counts(page: str) -> str:
    match = re.search(r'<p class="counts" id="article-counts">(.*?)</p>', page, re.S)
    assert match, "no counts on the page"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


@pytest.fixture
def outlet():
    """An aggregator: 4 stories of its own, 2 confirmed copies, 1 suggested, 1 rejected."""
    source = SourceFactory(name="Aggregator")
    wire = SourceFactory(name="Wire")
    own = [ArticleFactory(source=source, title=f"Own story {i}") for i in range(2)]
    copies = [ArticleFactory(source=source, title=f"Copied story {i}") for i in range(2)]
    suggested = ArticleFactory(source=source, title="Maybe copied")
    rejected = ArticleFactory(source=source, title="Not a copy after all")
    for copy in copies:
        RepublicationFactory(copy=copy, original=ArticleFactory(source=wire), status="confirmed")
    RepublicationFactory(copy=suggested, original=ArticleFactory(source=wire))
    RepublicationFactory(copy=rejected, original=ArticleFactory(source=wire), status="rejected")
    # A draft copy counts nowhere.
    draft = ArticleFactory(source=source, title="Draft copy", status="draft")
    RepublicationFactory(copy=draft, original=ArticleFactory(source=wire), status="confirmed")
    return {"source": source, "own": own, "copies": copies}


def test_the_source_page_counts_its_republications(client, outlet):
    page = client.get(outlet["source"].get_absolute_url()).content.decode()
    assert counts(page).startswith(
        "6 published articles, of which 2 republish other outlets’ stories."
    )
    assert '<a href="?republications=exclude">Leave the republications out</a>' in page
    assert "Copied story 0" in page and "Own story 0" in page
    # Each confirmed copy is marked in the list.
    copied = page.split("Copied story 0")[1].split("</li>")[0]
    assert "Republication" in copied
    own = page.split("Own story 0")[1].split("</li>")[0]
    assert "Republication" not in own


def test_the_source_page_can_leave_the_republications_out(client, outlet):
    page = client.get(outlet["source"].get_absolute_url(), {"republications": "exclude"})
    page = page.content.decode()
    assert counts(page) == (
        "6 published articles, of which 2 republish other outlets’ stories. "
        "Showing the 4 that are the outlet’s own. Show all 6"
    )
    assert "Copied story" not in page
    # Suggested and rejected links do not make an article a copy.
    for title in ["Own story 0", "Own story 1", "Maybe copied", "Not a copy after all"]:
        assert title in page
    assert '<a href="?republications=include">Show all 6</a>' in page


def test_one_republication_is_singular(client, outlet):
    outlet["copies"][1].republished_from.update(status="rejected")
    page = client.get(outlet["source"].get_absolute_url()).content.decode()
    assert "of which 1 republishes other outlets’ stories" in counts(page)


def test_an_outlet_without_republications_offers_no_toggle(client):
    source = SourceFactory(name="Original reporting")
    ArticleFactory(source=source)
    page = client.get(source.get_absolute_url()).content.decode()
    assert counts(page) == "1 published article."
    assert "republications=" not in page


@pytest.mark.parametrize("value", ["everything", "EXCLUDE", "every\x00thing", "x" * 3000])
def test_a_bad_toggle_is_explained_and_shows_everything(client, outlet, value):
    response = client.get(outlet["source"].get_absolute_url(), {"republications": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert "were not understood and were ignored" in page
    assert "republications: Select a valid choice." in page
    assert "Copied story 0" in page and "Own story 0" in page


def test_the_source_page_costs_the_same_however_many_articles(
    client, outlet, django_assert_max_num_queries
):
    url = outlet["source"].get_absolute_url()
    for params in ({}, {"republications": "exclude"}):
        with django_assert_max_num_queries(3):
            assert client.get(url, params).status_code == 200


def test_the_article_list_can_leave_republications_out(client, outlet):
    url = reverse("articles:article-list")
    params = {"source": outlet["source"].slug, "format": "json"}
    assert client.get(url, params).json()["count"] == 6
    data = client.get(url, {**params, "republications": "exclude"}).json()
    assert data["count"] == 4
    assert not any(r["title"].startswith("Copied") for r in data["results"])
    page = client.get(url, {"republications": "exclude"}).content.decode()
    assert '<select name="republications" id="id_republications">' in page
    assert "Copied story" not in page
