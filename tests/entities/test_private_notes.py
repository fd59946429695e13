"""An editor's note on a link ("for other editors") never reaches a reader."""

import pytest
from django.urls import reverse

from aiwatch.search.indexing import rebuild
from entities.models import (
    ClaimEntity,
    ClaimEvent,
    ClaimRelation,
    EventSource,
    Mention,
    Participation,
)
from tests.factories import ArticleFactory, ClaimFactory, EntityFactory, EventFactory

pytestmark = pytest.mark.django_db


def note(model):
    return f"private-note-for-editors-{model.__name__.lower()}"


@pytest.fixture
def linked():
    entity = EntityFactory(name="Tokens Lab")
    article = ArticleFactory(title="Tokens story", body="The lab gives tokens.")
    event = EventFactory(title="Tokens day")
    claim = ClaimFactory(statement="Tokens are free", claimant=entity, article=article)
    other = ClaimFactory(statement="Tokens cost money", claimant=entity, article=article)
    Mention.objects.create(article=article, entity=entity, status="accepted", note=note(Mention))
    Participation.objects.create(
        event=event, entity=entity, role="gave tokens", note=note(Participation)
    )
    EventSource.objects.create(event=event, article=article, note=note(EventSource))
    ClaimEntity.objects.create(claim=claim, entity=entity, note=note(ClaimEntity))
    ClaimEvent.objects.create(claim=claim, event=event, note=note(ClaimEvent))
    ClaimRelation.objects.create(
        source=claim, target=other, kind="contradicts", note=note(ClaimRelation)
    )
    rebuild()
    return [article, entity, event, claim, other]


def public_outputs(objects):
    pages = [
        reverse("home"),
        reverse("articles:article-list"),
        reverse("entities:entity-list"),
        reverse("entities:event-list"),
        reverse("entities:claim-list"),
        *(obj.get_absolute_url() for obj in objects),
    ]
    return [
        *pages,
        *(page + "?format=json" for page in pages[1:]),
        *(reverse("search") + f"?q=tokens{fmt}" for fmt in ("", "&format=json", "&format=csv")),
        reverse("feeds:articles"),
        reverse("feeds:events"),
        reverse("feeds:entity", args=[objects[1].slug]),
        reverse("feeds:search") + "?q=tokens",
    ]


def test_no_public_output_shows_a_links_note(client, linked):
    models = (Mention, Participation, EventSource, ClaimEntity, ClaimEvent, ClaimRelation)
    for url in public_outputs(linked):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for model in models:
            assert note(model) not in body, (url, model.__name__)


def test_the_claim_page_still_shows_the_relation(client, linked):
    page = client.get(linked[3].get_absolute_url()).content.decode()
    assert "contradicts" in page and "Tokens cost money" in page
    page = client.get(linked[4].get_absolute_url() + "?format=json").json()
    assert page["relations"] == [
        {
            "kind": "contradicts",
            "direction": "incoming",
            "claim": {"name": "Tokens are free", "url": page["relations"][0]["claim"]["url"]},
        }
    ]
