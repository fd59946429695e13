"""Shared links preview well and are discoverable: meta tags, JSON-LD, sitemap, robots, feeds."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from aiwatch.search.indexing import rebuild
from entities.models import Mention
from tests.factories import (
    AliasFactory,
    ArticleFactory,
    ClaimFactory,
    EntityFactory,
    EventFactory,
)

pytestmark = pytest.mark.django_db


def jsonld(page: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def meta(page: str, prop: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{prop}" content="([^"]*)"', page)
    assert match, prop
    return match.group(1)


def test_every_page_has_canonical_open_graph_and_twitter_tags(client):
    article = ArticleFactory(title="OpenAI blocks China")
    page = client.get(article.get_absolute_url() + "?utm_source=x").content.decode()
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in page
    assert meta(page, "og:title") == "OpenAI blocks China"
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:image").endswith(".png")
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "og:description")


def test_article_json_ld_is_a_news_article(client):
    article = ArticleFactory(title="OpenAI blocks China", author="A. Writer")
    data = jsonld(client.get(article.get_absolute_url()).content.decode())
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "OpenAI blocks China"
    assert data["datePublished"] == "2024-07-05"
    assert data["author"]["name"] == "A. Writer"


def test_entity_json_ld_names_its_type_aliases_and_wikidata(client):
    entity = EntityFactory(name="SenseTime", wikidata_id="Q30880929")
    AliasFactory(entity=entity, name="商汤科技")
    person = EntityFactory(name="Winston Ma", kind="person")
    data = jsonld(client.get(entity.get_absolute_url()).content.decode())
    assert data["@type"] == "Corporation"
    assert data["alternateName"] == ["商汤科技"]
    assert "https://www.wikidata.org/wiki/Q30880929" in data["sameAs"]
    assert jsonld(client.get(person.get_absolute_url()).content.decode())["@type"] == "Person"


def test_event_json_ld_keeps_the_date_precision(client):
    event = EventFactory(date=datetime.date(2024, 6, 1), date_precision="month")
    data = jsonld(client.get(event.get_absolute_url()).content.decode())
    assert data["@type"] == "Event" and data["startDate"] == "2024-06"


def test_claim_json_ld_is_a_claim_or_a_claim_review(client):
    plain = ClaimFactory()
    assert jsonld(client.get(plain.get_absolute_url()).content.decode())["@type"] == "Claim"
    judged = ClaimFactory(verification="refuted", verification_reason="Contradicted by OpenAI.")
    data = jsonld(client.get(judged.get_absolute_url()).content.decode())
    assert data["@type"] == "ClaimReview"
    assert data["reviewRating"]["alternateName"] == "False"


def test_json_ld_cannot_break_out_of_its_script_tag(client):
    entity = EntityFactory(name="</script><script>alert(1)</script>")
    page = client.get(entity.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in page
    assert jsonld(page)["name"] == "</script><script>alert(1)</script>"


def test_sitemap_lists_published_pages_only(client):
    published = ArticleFactory(title="Public story")
    draft = ArticleFactory(title="Embargoed", status="draft")
    entity = EntityFactory()
    claim = ClaimFactory(article=published)
    xml = client.get(reverse("sitemap")).content.decode()
    for obj in (published, entity, claim):
        assert f"http://testserver{obj.get_absolute_url()}" in xml
    assert draft.get_absolute_url() not in xml


def test_robots_txt_points_to_the_sitemap(client):
    text = client.get(reverse("robots-txt")).content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_feeds_are_atom_and_exclude_drafts(client):
    ArticleFactory(title="Public story")
    ArticleFactory(title="Embargoed story", status="draft")
    EventFactory(title="Public event")
    EventFactory(title="Secret event", status="draft")
    articles = client.get(reverse("feeds:articles"))
    assert articles["Content-Type"].startswith("application/atom+xml")
    assert "Public story" in articles.content.decode()
    assert "Embargoed" not in articles.content.decode()
    events = client.get(reverse("feeds:events")).content.decode()
    assert "Public event" in events and "Secret event" not in events


def test_an_entity_feed_follows_its_coverage(client):
    entity = EntityFactory(name="Zhipu AI")
    Mention.objects.create(article=ArticleFactory(title="Zhipu courts developers"), entity=entity)
    ArticleFactory(title="Unrelated story")
    feed = client.get(reverse("feeds:entity", args=[entity.slug])).content.decode()
    assert "Zhipu courts developers" in feed and "Unrelated story" not in feed
    draft = EntityFactory(status="draft")
    assert client.get(reverse("feeds:entity", args=[draft.slug])).status_code == 404


def test_a_search_feed_subscribes_to_a_query(client):
    ArticleFactory(title="Free tokens for OpenAI refugees", body="free tokens")
    ArticleFactory(title="Unrelated story")
    rebuild()
    feed = client.get(reverse("feeds:search"), {"q": "tokens"}).content.decode()
    assert "Free tokens for OpenAI refugees" in feed and "Unrelated story" not in feed
    assert client.get(reverse("feeds:search"), {"q": "\x00!!"}).status_code == 200
