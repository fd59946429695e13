"""An article's page says what it republishes and who republished it, both ways round."""

import datetime
import json
import re

import pytest

from tests.factories import ArticleFactory, RepublicationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def section(page: str) -> str:
    """The page's republication section, or "" when it has none."""
    match = re.search(r'<section id="republication".*?</section>', page, re.S)
    return match.group(0) if match else ""


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


@pytest.fixture
def wire():
    """A wire story, republished word for word by another outlet."""
    original = ArticleFactory(
        title="OpenAI to block API traffic from China",
        source=SourceFactory(name="Reuters"),
        published_on=datetime.date(2024, 6, 25),
    )
    copy = ArticleFactory(
        title="OpenAI blocks China, Reuters reports",
        source=SourceFactory(name="Tekedia"),
        published_on=datetime.date(2024, 6, 26),
    )
    link = RepublicationFactory(copy=copy, original=original, similarity=0.834, status="confirmed")
    return {"original": original, "copy": copy, "link": link}


def test_the_copy_names_what_it_republishes(client, wire):
    shown = text(section(client.get(wire["copy"].get_absolute_url()).content.decode()))
    assert (
        "Republishes OpenAI to block API traffic from China (Reuters, 25 June 2024)"
        " — similarity 83%, confirmed by an editor"
    ) in shown
    html = section(client.get(wire["copy"].get_absolute_url()).content.decode())
    assert f'href="{wire["original"].get_absolute_url()}"' in html


def test_the_original_names_who_republished_it(client, wire):
    shown = text(section(client.get(wire["original"].get_absolute_url()).content.decode()))
    assert (
        "Republished by OpenAI blocks China, Reuters reports (Tekedia, 26 June 2024)"
        " — similarity 83%, confirmed by an editor"
    ) in shown


def test_a_suggested_link_is_labelled_unconfirmed(client, wire):
    wire["link"].status = "suggested"
    wire["link"].save()
    for article in (wire["copy"], wire["original"]):
        shown = text(section(client.get(article.get_absolute_url()).content.decode()))
        assert "suggested by the importer, not yet confirmed" in shown
        assert "confirmed by an editor" not in shown


def test_a_rejected_link_is_never_shown(client, wire):
    wire["link"].status = "rejected"
    wire["link"].save()
    for article in (wire["copy"], wire["original"]):
        page = client.get(article.get_absolute_url()).content.decode()
        assert section(page) == ""
        assert 'id="republication"' not in page


@pytest.mark.parametrize("hidden", ["original", "copy"])
@pytest.mark.parametrize("status", ["draft", "review", "withdrawn"])
def test_a_link_to_an_unpublished_article_is_not_shown(client, wire, hidden, status):
    wire[hidden].status = status
    wire[hidden].save()
    shown = "copy" if hidden == "original" else "original"
    page = client.get(wire[shown].get_absolute_url()).content.decode()
    assert section(page) == ""
    assert wire[hidden].title not in page


def test_an_article_without_links_has_no_section(client):
    assert section(client.get(ArticleFactory().get_absolute_url()).content.decode()) == ""


def test_links_cost_no_query_each(
    client, wire, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    url = wire["original"].get_absolute_url()
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    # Committed, so the page the first visit kept is rendered again with the links.
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(6):
            copy = ArticleFactory(source=SourceFactory(name=f"Copier {i}"))
            RepublicationFactory(copy=copy, original=wire["original"], status="confirmed")
            RepublicationFactory(copy=wire["original"], original=ArticleFactory(), similarity=0.5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert text(section(page)).count("Republished by") == 7
    assert text(section(page)).count("Republishes") == 6


def test_the_json_twin_has_the_links_and_the_role(client, wire):
    wire["copy"].role = "republication"
    wire["copy"].save()
    data = client.get(wire["copy"].get_absolute_url(), {"format": "json"}).json()
    assert data["role"] == "republication"
    assert data["republished_by"] == []
    [link] = data["republishes"]
    assert link == {
        "title": "OpenAI to block API traffic from China",
        "url": "http://testserver" + wire["original"].get_absolute_url(),
        "outlet": "Reuters",
        "published_on": "2024-06-25",
        "similarity": 0.83,
        "status": "confirmed",
    }
    data = client.get(wire["original"].get_absolute_url(), {"format": "json"}).json()
    assert data["role"] is None
    assert [r["title"] for r in data["republished_by"]] == ["OpenAI blocks China, Reuters reports"]


def test_the_json_twin_leaves_out_rejected_links(client, wire):
    wire["link"].status = "rejected"
    wire["link"].save()
    data = client.get(wire["copy"].get_absolute_url(), {"format": "json"}).json()
    assert data["republishes"] == [] and data["republished_by"] == []


def jsonld(page: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def test_json_ld_of_a_confirmed_copy_is_based_on_the_original(client, wire):
    data = jsonld(client.get(wire["copy"].get_absolute_url()).content.decode())
    page, original = data["isBasedOn"]
    assert page == wire["copy"].original_url
    assert original == {
        "@type": "NewsArticle",
        "headline": "OpenAI to block API traffic from China",
        "url": "http://testserver" + wire["original"].get_absolute_url(),
        "sameAs": wire["original"].original_url,
    }
    # The original is based on nothing but its own page.
    data = jsonld(client.get(wire["original"].get_absolute_url()).content.decode())
    assert data["isBasedOn"] == wire["original"].original_url


def test_json_ld_ignores_a_link_not_yet_confirmed(client, wire):
    wire["link"].status = "suggested"
    wire["link"].save()
    data = jsonld(client.get(wire["copy"].get_absolute_url()).content.decode())
    assert data["isBasedOn"] == wire["copy"].original_url
