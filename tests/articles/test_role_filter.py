"""The article list shows each article's role and filters by it."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
URL = reverse("articles:article-list")


@pytest.fixture
def articles():
    return {
        "report": ArticleFactory(title="The first report", role="original"),
        "statement": ArticleFactory(title="What the ministry said", role="statement"),
        "unset": ArticleFactory(title="Not yet sorted", role=""),
    }


def test_the_list_shows_each_articles_role(client, articles):
    page = client.get(URL).content.decode()
    assert '<span class="badge badge-role">Original report</span>' in page
    assert '<span class="badge badge-role">Official statement</span>' in page
    unset = page.split("Not yet sorted")[1].split("</li>")[0]
    assert "badge" not in unset


def test_the_filter_offers_every_role(client, articles):
    page = client.get(URL).content.decode()
    assert '<select name="role" id="id_role">' in page
    for label in ["Any role", "Original report", "Follow-up", "Analysis or opinion"]:
        assert f">{label}</option>" in page


def test_filtering_by_role(client, articles):
    page = client.get(URL, {"role": "statement"}).content.decode()
    assert "What the ministry said" in page
    assert "The first report" not in page and "Not yet sorted" not in page
    data = client.get(URL, {"role": "original", "format": "json"}).json()
    assert [(r["title"], r["role"]) for r in data["results"]] == [("The first report", "original")]


@pytest.mark.parametrize("value", ["planet", "ORIGINAL", "pla\x00net", "x" * 5000])
def test_an_unknown_role_is_a_clear_error_not_a_500(client, articles, value):
    response = client.get(URL, {"role": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some filters were not understood" in page
    assert "role: Select a valid choice." in page
    data = client.get(URL, {"role": value, "format": "json"}).json()
    assert "role" in data["errors"]
