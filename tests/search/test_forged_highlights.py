"""Stored text cannot forge the search's highlights.

The search marks matches with two private-use characters and turns them into
<mark> afterwards; the same characters in an article must stay plain text.
"""

import csv
import io
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from aiwatch.search.indexing import rebuild
from tests.factories import ArticleFactory, ClaimFactory, EntityFactory, EventFactory

pytestmark = pytest.mark.django_db
# Around a word no query below looks for: any <mark> on it is forged.
FORGED = "\ue000planted\ue001"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def forged():
    ArticleFactory(title=f"Tokens {FORGED} title", body=f"A {FORGED} highlight beside tokens.")
    EntityFactory(name=f"Tokens {FORGED} Lab", description=f"The {FORGED} lab gives tokens.")
    EventFactory(title=f"Tokens {FORGED} day", description=f"On the {FORGED} day, tokens.")
    ClaimFactory(statement=f"Tokens {FORGED} claim", quote=f"a {FORGED} quote about tokens")
    # A CJK query takes another path to its snippet.
    ArticleFactory(title="商汤 article", body=f"商汤 gives {FORGED} tokens to developers.")
    rebuild()


@pytest.mark.parametrize("q", ["tokens", "商汤", '"tokens"', "lab OR day", "tok"])
def test_the_search_page_marks_only_matches(client, forged, q):
    page = client.get(reverse("search"), {"q": q}).content.decode()
    assert page.count("<mark>") == page.count("</mark>") > 0
    assert "<mark>planted" not in page and "planted</mark>" not in page


@pytest.mark.parametrize("q", ["tokens", "商汤", "lab OR day"])
def test_the_json_and_csv_carry_no_forged_marks(client, forged, q):
    results = client.get(reverse("search"), {"q": q, "format": "json"}).json()["results"]
    assert results
    for hit in results:
        assert "<mark>planted" not in hit["snippet_html"], hit
        for text in (hit["title"], hit["snippet"], hit["snippet_html"]):
            assert "\ue000" not in text and "\ue001" not in text, hit
    text = client.get(reverse("search"), {"q": q, "format": "csv"}).content.decode()
    assert "\ue000" not in text and "\ue001" not in text
    assert list(csv.reader(io.StringIO(text, newline="")))


def test_the_search_feed_carries_no_forged_marks(client, forged):
    feed = client.get(reverse("feeds:search"), {"q": "tokens"}).content
    entries = ElementTree.fromstring(feed).findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        summary = entry.findtext(f"{ATOM}summary") or ""
        assert "<mark>planted" not in summary
        assert "\ue000" not in summary + entry.findtext(f"{ATOM}title")
