"""Control characters already stored in any text field break no output.

Form cleaning drops them on input; rows written before it, or by update(),
may still hold them. XML 1.0 cannot carry them at all, so the feeds, which
Django refuses to write with them, are where one character used to answer 500.
"""

import csv
import io
import json
import re
from xml.etree import ElementTree

import pytest
from django.apps import apps
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.urls import reverse

from aiwatch.search.indexing import rebuild
from articles.models import Original
from entities.models import (
    Alias,
    ClaimEntity,
    ClaimEvent,
    ClaimRelation,
    EventSource,
    Mention,
    Participation,
)
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EntityFactory,
    EventFactory,
    OriginalFactory,
    RepublicationFactory,
)

pytestmark = pytest.mark.django_db

# Vertical tab, form feed, escape, DEL and a noncharacter: none belongs in XML 1.0 text.
BAD = "\x0b\x0c\x1b\x7f\ufffe"
# Fields whose format the database itself checks, or that it refuses to change,
# and the seed's keys: unique, never shown, and NULL (Concat would make them all equal).
FIXED = {"slug", "raw", "content_hash", "sha256", "wikidata_id", "seed_key"}


def stored_text_fields(model):
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not isinstance(f, models.URLField | models.SlugField)
        and not f.choices
        and f.name not in FIXED
    ]


@pytest.fixture
def world():
    entity = EntityFactory(
        name="Tokens Lab", description="A *lab* giving tokens.", website="https://lab.test/"
    )
    Alias.objects.create(entity=entity, name="令牌实验室", language="zh-Hans")
    article = ArticleFactory(
        title="Tokens for everyone",
        author="A. Writer",
        summary="Free **tokens**.",
        body="Tokens are free today.\n\nThe lab said tokens are free.",
    )
    # The original file is immutable once stored: it is made with them.
    OriginalFactory(
        article=article,
        filename=f"story{BAD}.html",
        media_type=f"text/html{BAD}",
        archive_headers=f"WARC-Type: response{BAD}",
    )
    RepublicationFactory(copy=ArticleFactory(title="Tokens again"), original=article)
    Mention.objects.create(article=article, entity=entity, status="accepted", note="n")
    event = EventFactory(title="Tokens day", description="The *day* of tokens.")
    Participation.objects.create(event=event, entity=entity, role="gave tokens", note="n")
    EventSource.objects.create(event=event, article=article, note="n")
    claim = ClaimFactory(
        statement="Tokens are free",
        claimant=entity,
        article=article,
        quote="tokens are free",
        verification="disputed",
        verification_reason="Only for a week.",
    )
    other = ClaimFactory(statement="Tokens cost money", claimant=entity, article=article)
    ClaimEntity.objects.create(claim=claim, entity=entity, note="n")
    ClaimEvent.objects.create(claim=claim, event=event, note="n")
    ClaimRelation.objects.create(source=claim, target=other, kind="contradicts", note="n")
    # Past form cleaning: what a script, a migration or an old import could have stored.
    for label in ("articles", "entities"):
        for model in apps.get_app_config(label).get_models():
            if model is not Original:
                _poison(model)
    rebuild()
    return {"article": article, "entity": entity, "event": event, "claim": claim}


def _poison(model):
    names = stored_text_fields(model)
    if names:
        model.objects.update(**{n: Concat(F(n), Value(BAD)) for n in names})


def public_urls(world):
    article, entity, event, claim = (world[k] for k in ("article", "entity", "event", "claim"))
    source = article.source
    pages = [
        reverse("home"),
        reverse("articles:article-list"),
        article.get_absolute_url(),
        source.get_absolute_url(),
        reverse("entities:entity-list"),
        entity.get_absolute_url(),
        reverse("entities:event-list"),
        event.get_absolute_url(),
        reverse("entities:claim-list"),
        claim.get_absolute_url(),
    ]
    return {
        "html": [*pages, reverse("search") + "?q=tokens"],
        "json": [
            *(
                p + "?format=json"
                for p in pages
                if p not in (reverse("home"), source.get_absolute_url())
            ),
            reverse("search") + "?q=tokens&format=json",
        ],
        "xml": [
            reverse("feeds:articles"),
            reverse("feeds:events"),
            reverse("feeds:entity", args=[entity.slug]),
            reverse("feeds:search") + "?q=tokens",
            reverse("sitemap"),
        ],
        "other": [
            reverse("search") + "?q=tokens&format=csv",
            article.get_absolute_url() + "raw/",
            article.get_absolute_url() + "original/",
        ],
    }


def test_the_world_holds_control_characters(world):
    world["article"].refresh_from_db()
    assert world["article"].title.endswith(BAD)


def test_no_page_fails(client, world):
    for url in public_urls(world)["html"]:
        assert client.get(url).status_code == 200, url


def test_every_json_twin_parses(client, world):
    for url in public_urls(world)["json"]:
        response = client.get(url)
        assert response.status_code == 200, url
        json.loads(response.content)


def test_every_feed_and_the_sitemap_are_well_formed_xml(client, world):
    for url in public_urls(world)["xml"]:
        response = client.get(url)
        assert response.status_code == 200, url
        ElementTree.fromstring(response.content)


def test_feed_text_keeps_the_words_around_a_control_character(client, world):
    feed = client.get(reverse("feeds:articles")).content.decode()
    # The vertical tab and form feed stand between words, as on input; XML allows DEL.
    assert "<title>Tokens for everyone  \x7f</title>" in feed


def test_json_ld_is_valid_json(client, world):
    for key in ("article", "entity", "event", "claim"):
        page = client.get(world[key].get_absolute_url()).content.decode()
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        json.loads(block.group(1))


def test_csv_raw_and_original_downloads_answer(client, world):
    for url in public_urls(world)["other"]:
        assert client.get(url).status_code == 200, url
    csv_text = client.get(reverse("search") + "?q=tokens&format=csv").content.decode()
    assert len(list(csv.reader(io.StringIO(csv_text)))) > 1


def test_citations_render(client, world):
    page = client.get(world["article"].get_absolute_url()).content.decode()
    assert "@online{" in page
