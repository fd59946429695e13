"""Only published items reach the public: pages, search, feeds, the sitemap and the JSON."""

import pytest
from django.urls import reverse

from aiwatch.search.indexing import rebuild
from tests.factories import ArticleFactory, EntityFactory, EventFactory

pytestmark = pytest.mark.django_db
HIDDEN = ["draft", "review", "withdrawn"]


@pytest.fixture
def items():
    made = {
        status: ArticleFactory(title=f"Tokens story {status}", status=status, body="free tokens")
        for status in ["published", *HIDDEN]
    }
    for status in HIDDEN:
        EntityFactory(name=f"Tokens Lab {status}", status=status)
        EventFactory(title=f"Tokens event {status}", status=status)
    rebuild()
    return made


@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("articles:article-list") + "?format=json",
        reverse("entities:entity-list") + "?format=json",
        reverse("entities:event-list"),
        reverse("search") + "?q=tokens",
        reverse("search") + "?q=tokens&format=json",
        reverse("feeds:articles"),
        reverse("feeds:events"),
        reverse("feeds:search") + "?q=tokens",
        reverse("sitemap"),
    ],
)
def test_unpublished_items_are_nowhere_public(client, items, url):
    body = client.get(url).content.decode()
    for status in HIDDEN:
        assert f"story {status}" not in body, (url, status)
        assert f"Lab {status}" not in body, (url, status)
        assert f"event {status}" not in body, (url, status)
        assert items[status].get_absolute_url() not in body


def test_the_published_one_is_there(client, items):
    assert (
        "Tokens story published" in client.get(reverse("search"), {"q": "tokens"}).content.decode()
    )
