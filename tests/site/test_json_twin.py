"""Every list and detail page answers ?format=json with the same content, drafts excluded."""

import pytest
from django.urls import reverse

from entities.models import ClaimRelation, Mention, Participation
from tests.factories import ArticleFactory, ClaimFactory, EntityFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph():
    openai, zhipu = EntityFactory(name="OpenAI"), EntityFactory(name="Zhipu AI")
    secret = EntityFactory(name="Secret Lab", status="draft")
    article = ArticleFactory(title="OpenAI blocks China")
    for entity in (openai, zhipu, secret):
        Mention.objects.create(article=article, entity=entity)
    event = EventFactory(title="Block takes effect")
    Participation.objects.create(event=event, entity=openai, role="blocked access")
    event.event_sources.create(article=article)
    claim = ClaimFactory(claimant=openai, article=article, statement="OpenAI blocks China")
    other = ClaimFactory(claimant=zhipu, article=article, statement="Zhipu will gain")
    ClaimRelation.objects.create(source=other, target=claim, kind="supports")
    ClaimFactory(claimant=openai, article=article, statement="Draft rumour", status="draft")
    return locals()


def get_json(client, url, **params):
    response = client.get(url, {**params, "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


@pytest.mark.parametrize(
    ("name", "field", "expected"),
    [
        ("articles:article-list", "title", {"OpenAI blocks China"}),
        ("entities:entity-list", "name", {"OpenAI", "Zhipu AI"}),
        ("entities:event-list", "title", {"Block takes effect"}),
        ("entities:claim-list", "statement", {"OpenAI blocks China", "Zhipu will gain"}),
    ],
)
def test_lists_answer_json_without_drafts(client, graph, name, field, expected):
    data = get_json(client, reverse(name))
    assert {r[field] for r in data["results"]} == expected
    assert data["count"] == len(expected) and data["page"] == 1


def test_list_json_keeps_the_filters(client, graph):
    data = get_json(client, reverse("entities:claim-list"), entity=graph["zhipu"].slug)
    assert [r["statement"] for r in data["results"]] == []
    data = get_json(client, reverse("entities:entity-list"), kind="planet")
    assert "kind" in data["errors"]


def test_article_json_has_its_graph(client, graph):
    data = get_json(client, graph["article"].get_absolute_url())
    assert {e["name"] for e in data["entities"]} == {"OpenAI", "Zhipu AI"}
    assert [e["name"] for e in data["events"]] == ["Block takes effect"]
    assert {c["statement"] for c in data["claims"]} == {"OpenAI blocks China", "Zhipu will gain"}
    assert data["body"] == graph["article"].body


def test_entity_json_has_timeline_claims_articles_and_related(client, graph):
    data = get_json(client, graph["openai"].get_absolute_url())
    assert data["events"][0]["role"] == "blocked access"
    assert [c["statement"] for c in data["claims_made"]] == ["OpenAI blocks China"]
    assert [r["name"] for r in data["related_entities"]] == ["Zhipu AI"]
    assert data["related_entities"][0]["shared_articles"] == 1


def test_claim_json_has_its_relations_and_quote_link(client, graph):
    data = get_json(client, graph["claim"].get_absolute_url())
    assert data["relations"] == [
        {
            "kind": "supports",
            "direction": "incoming",
            "claim": {
                "name": "Zhipu will gain",
                "url": "http://testserver" + graph["other"].get_absolute_url(),
            },
        }
    ]
    assert data["quote_url"].endswith(f"#claim-{graph['claim'].pk}")


def test_event_json_has_participants_and_sources(client, graph):
    data = get_json(client, graph["event"].get_absolute_url())
    assert data["participants"] == [
        {
            "name": "OpenAI",
            "url": "http://testserver" + graph["openai"].get_absolute_url(),
            "role": "blocked access",
        }
    ]
    assert [s["title"] for s in data["sources"]] == ["OpenAI blocks China"]


def test_a_draft_has_no_json_either(client, graph):
    assert client.get(graph["secret"].get_absolute_url(), {"format": "json"}).status_code == 404


def test_related_entities_are_ranked_by_shared_articles(client, graph):
    baidu = EntityFactory(name="Baidu")
    for _ in range(2):
        article = ArticleFactory()
        Mention.objects.create(article=article, entity=graph["openai"])
        Mention.objects.create(article=article, entity=baidu)
    related = get_json(client, graph["openai"].get_absolute_url())["related_entities"]
    assert [(r["name"], r["shared_articles"]) for r in related] == [("Baidu", 2), ("Zhipu AI", 1)]
    page = client.get(graph["openai"].get_absolute_url()).content.decode()
    assert page.index("2 shared articles") < page.index("1 shared article<")
