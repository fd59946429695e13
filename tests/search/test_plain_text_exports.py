"""JSON, CSV and the search feed carry the text as written, not HTML entities."""

import csv
import io
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from aiwatch.search.indexing import rebuild
from tests.factories import ArticleFactory, EntityFactory

pytestmark = pytest.mark.django_db
TITLE = 'O\'Brien: "AT&T" & tokens, not &amp; <b>bold</b>'
BODY = 'O\'Brien said "AT&T" gives tokens & more, &amp; <i>then</i> some.'
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def article():
    made = ArticleFactory(title=TITLE, body=BODY)
    EntityFactory(name='O\'Brien & Sons "Tokens"', description=BODY)
    rebuild()
    return made


def test_json_title_and_snippet_are_plain_text(client, article):
    data = client.get(reverse("search"), {"q": "tokens", "kind": "article", "format": "json"})
    hit = data.json()["results"][0]
    assert hit["title"] == TITLE
    # An excerpt: ts_headline starts on a word and leaves out what looks like a tag.
    assert 'said "AT&T" gives tokens & more, &amp;' in hit["snippet"]
    # The marks stay available, in HTML, for those who want them.
    assert "<mark>tokens</mark>" in hit["snippet_html"]
    assert "&quot;AT&amp;T&quot;" in hit["snippet_html"]
    assert "&amp;amp;" in hit["snippet_html"] and "<i>" not in hit["snippet_html"]


def test_csv_cells_are_plain_text(client, article):
    response = client.get(reverse("search"), {"q": "tokens", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode(), newline="")))
    cells = {row[1]: row[4] for row in rows[1:]}
    assert 'said "AT&T" gives tokens & more, &amp;' in cells[TITLE]
    assert 'O\'Brien & Sons "Tokens"' in cells
    for row in rows:
        assert not any("&#x27;" in c or "&quot;" in c or "&amp;amp;" in c for c in row), row


def test_search_feed_titles_are_plain_text(client, article):
    feed = ElementTree.fromstring(client.get(reverse("feeds:search"), {"q": "tokens"}).content)
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert f"Article: {TITLE}" in titles
    assert 'Entity: O\'Brien & Sons "Tokens"' in titles
