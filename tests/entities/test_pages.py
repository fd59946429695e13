"""The public pages for entities, events and claims: content, drafts, query counts."""

import datetime

import pytest
from django.urls import reverse

from entities.models import ClaimEntity, ClaimEvent, ClaimRelation, Mention, Participation
from tests.factories import (
    AliasFactory,
    ArticleFactory,
    ClaimFactory,
    EntityFactory,
    EventFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph():
    """A small, fully linked graph with one draft of each kind hidden in it."""
    openai = EntityFactory(name="OpenAI")
    sensetime = EntityFactory(name="SenseTime")
    AliasFactory(entity=sensetime, name="商汤科技", language="zh-Hans")
    article = ArticleFactory(title="OpenAI blocks China")
    Mention.objects.create(article=article, entity=openai)
    Mention.objects.create(article=article, entity=sensetime)
    block = EventFactory(title="The block takes effect", date=datetime.date(2024, 7, 9))
    block.event_sources.create(article=article)
    Participation.objects.create(event=block, entity=openai, role="blocked access")
    claim = ClaimFactory(
        statement="OpenAI blocks China from July 9", claimant=openai, article=article
    )
    ClaimEntity.objects.create(claim=claim, entity=sensetime)
    ClaimEvent.objects.create(claim=claim, event=block)
    other = ClaimFactory(statement="Local rivals will gain", claimant=sensetime, article=article)
    ClaimRelation.objects.create(source=other, target=claim, kind="supports")
    draft_entity = EntityFactory(name="Secret Startup", status="draft")
    Mention.objects.create(article=article, entity=draft_entity)
    draft_claim = ClaimFactory(
        statement="An unchecked rumour", claimant=openai, article=article, status="draft"
    )
    ClaimRelation.objects.create(source=draft_claim, target=claim, kind="contradicts")
    EventFactory(title="Unannounced event", status="draft")
    return {
        "openai": openai,
        "sensetime": sensetime,
        "claim": claim,
        "block": block,
        "article": article,
        "draft_entity": draft_entity,
        "draft_claim": draft_claim,
    }


def test_entity_page_shows_aliases_timeline_claims_and_articles(client, graph):
    page = client.get(graph["sensetime"].get_absolute_url()).content.decode()
    assert "商汤科技" in page and 'lang="zh-Hans"' in page
    assert "OpenAI blocks China from July 9" in page  # claim about it
    assert "Local rivals will gain" in page  # claim made by it
    assert "OpenAI blocks China" in page  # article mentioning it
    openai = client.get(graph["openai"].get_absolute_url()).content.decode()
    assert "The block takes effect" in openai and "blocked access" in openai


def test_event_page_shows_date_participants_sources_and_claims(client, graph):
    page = client.get(graph["block"].get_absolute_url()).content.decode()
    assert "9 July 2024" in page
    assert "OpenAI" in page and "blocked access" in page
    assert "OpenAI blocks China" in page
    assert "OpenAI blocks China from July 9" in page


def test_claim_page_shows_quote_claimant_and_relations_but_not_draft_ones(client, graph):
    page = client.get(graph["claim"].get_absolute_url()).content.decode()
    assert graph["claim"].quote in page
    assert "Local rivals will gain" in page and "supports" in page
    assert "An unchecked rumour" not in page
    assert "Not yet checked by an editor." in page


@pytest.mark.parametrize("key", ["draft_entity", "draft_claim"])
def test_drafts_are_404_not_403(client, graph, key):
    response = client.get(graph[key].get_absolute_url())
    assert response.status_code == 404


def test_drafts_are_absent_from_lists_and_other_pages(client, graph):
    for url in [
        reverse("entities:entity-list"),
        reverse("entities:claim-list"),
        reverse("entities:event-list"),
        graph["article"].get_absolute_url(),
        graph["openai"].get_absolute_url(),
        reverse("home"),
    ]:
        page = client.get(url).content.decode()
        assert "Secret Startup" not in page, url
        assert "An unchecked rumour" not in page, url
        assert "Unannounced event" not in page, url


def test_entity_list_filters_by_kind(client, graph):
    EntityFactory(name="Xiaohu Zhu", kind="person")
    page = client.get(reverse("entities:entity-list"), {"kind": "person"}).content.decode()
    assert "Xiaohu Zhu" in page and "SenseTime" not in page


def test_claim_list_filters_by_entity_and_verification(client, graph):
    url = reverse("entities:claim-list")
    page = client.get(url, {"entity": graph["sensetime"].slug}).content.decode()
    assert "OpenAI blocks China from July 9" in page and "Local rivals will gain" not in page
    assert "No claims match" in client.get(url, {"verification": "refuted"}).content.decode()


def test_event_list_is_chronological_and_filters_by_year(client, graph):
    EventFactory(
        title="Hack of OpenAI's messaging", date=datetime.date(2023, 1, 1), date_precision="year"
    )
    page = client.get(reverse("entities:event-list")).content.decode()
    assert page.index("Hack of OpenAI") < page.index("The block takes effect")
    assert ">2023<" in page  # a year-precise event shows only its year
    page = client.get(reverse("entities:event-list"), {"year": "2024"}).content.decode()
    assert "Hack of OpenAI" not in page and "The block takes effect" in page


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "planet"},
        {"entity": "no-such-entity"},
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"page": "abc"},
        {"page": "999999"},
        {"verification": "\x00"},
        {"kind": ["company", "person"]},
    ],
)
@pytest.mark.parametrize(
    "name", ["entities:entity-list", "entities:event-list", "entities:claim-list"]
)
def test_malformed_query_strings_never_give_a_500(client, graph, name, params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200


def test_an_unknown_filter_value_is_explained(client, graph):
    page = client.get(reverse("entities:entity-list"), {"kind": "planet"}).content.decode()
    assert "were not understood" in page


def _grow(n):
    for i in range(n):
        entity = EntityFactory(name=f"Company {i}")
        AliasFactory(entity=entity)
        article = ArticleFactory()
        Mention.objects.create(article=article, entity=entity)
        event = EventFactory(title=f"Event {i}")
        Participation.objects.create(event=event, entity=entity, role="responded")
        event.event_sources.create(article=article)
        claim = ClaimFactory(claimant=entity, article=article)
        ClaimEntity.objects.create(claim=claim, entity=entity)
        ClaimEvent.objects.create(claim=claim, event=event)


@pytest.mark.parametrize(
    "url_of",
    [
        lambda g: reverse("home"),
        lambda g: reverse("entities:entity-list"),
        lambda g: reverse("entities:event-list"),
        lambda g: reverse("entities:claim-list"),
        lambda g: g["openai"].get_absolute_url(),
        lambda g: g["block"].get_absolute_url(),
        lambda g: g["claim"].get_absolute_url(),
        lambda g: g["article"].get_absolute_url(),
        lambda g: reverse("articles:article-list"),
    ],
)
def test_pages_issue_a_constant_number_of_queries(
    client, graph, url_of, django_assert_max_num_queries
):
    url = url_of(graph)
    small = {}
    for fmt in ("html", "json"):
        with django_assert_max_num_queries(10) as captured:
            assert client.get(url, {"format": fmt}).status_code == 200
        small[fmt] = len(captured.captured_queries)
    _grow(12)
    for fmt in ("html", "json"):
        with django_assert_max_num_queries(small[fmt]):
            assert client.get(url, {"format": fmt}).status_code == 200


@pytest.mark.parametrize("factory", [EntityFactory, ClaimFactory, EventFactory, ArticleFactory])
def test_a_withdrawn_item_answers_410_with_an_explanation(client, factory):
    obj = factory(status="withdrawn")
    response = client.get(obj.get_absolute_url())
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert client.get(obj.get_absolute_url(), {"format": "json"}).status_code == 410


@pytest.mark.parametrize("status", ["draft", "review"])
def test_drafts_and_items_in_review_are_404(client, status):
    assert client.get(EntityFactory(status=status).get_absolute_url()).status_code == 404


def test_editors_preview_drafts_on_the_public_design(client, editor_only):
    draft = EntityFactory(name="Unannounced Lab", status="draft")
    url = draft.get_absolute_url()
    assert client.get(url, {"preview": "1"}).status_code == 404  # readers cannot
    client.force_login(editor_only)
    assert client.get(url).status_code == 404  # no accidental preview
    response = client.get(url, {"preview": "1"})
    assert response.status_code == 200
    assert "Unannounced Lab" in response.content.decode()
    assert "not visible to the public" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
