"""/network/ and each entity's neighbourhood: entities linked by shared articles and events,
laid out once per content version."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from aiwatch.core.page_cache import content_changed
from aiwatch.site import network
from articles.models import Republication
from entities.models import Mention, Participation
from tests.factories import ArticleFactory, EntityFactory, EventFactory, RepublicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked():
    openai, baidu, zhipu = (EntityFactory(name=n) for n in ("OpenAI", "Baidu", "Zhipu AI"))
    hidden = EntityFactory(name="Draft entity", status="draft")
    loner = EntityFactory(name="Loner")
    story, other = ArticleFactory(), ArticleFactory()
    copy = ArticleFactory()
    RepublicationFactory(copy=copy, original=story, status=Republication.Status.CONFIRMED)
    draft = ArticleFactory(status="draft")
    for article, entities in [
        (story, [openai, baidu, hidden]),
        (other, [openai, baidu]),
        (copy, [openai, baidu]),  # a copy: its names are not counted again
        (draft, [openai, zhipu]),
    ]:
        for entity in entities:
            Mention.objects.create(article=article, entity=entity)
    Mention.objects.create(article=other, entity=zhipu, status="suggested")
    Mention.objects.create(article=other, entity=loner)
    event = EventFactory()
    for entity in (openai, zhipu):
        Participation.objects.create(event=event, entity=entity, role="took part")
    return {"openai": openai, "baidu": baidu, "zhipu": zhipu, "loner": loner}


def edges(g):
    return {(g.names[e.a][0], g.names[e.b][0]): (e.articles, e.events) for e in g.edges}


def test_edges_count_shared_published_articles_once_and_shared_events(linked):
    assert edges(network._build()) == {
        ("OpenAI", "Baidu"): (2, 0),
        ("OpenAI", "Zhipu AI"): (0, 1),
        ("OpenAI", "Loner"): (1, 0),
        ("Baidu", "Loner"): (1, 0),
    }


def test_the_layout_is_the_same_for_the_same_graph(linked):
    assert network._build().positions == network._build().positions


def test_the_layout_is_made_once_per_content_version(
    linked, django_assert_num_queries, django_capture_on_commit_callbacks
):
    first = network.graph()
    with django_assert_num_queries(0):
        assert network.graph().positions == first.positions
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory()
        Mention.objects.create(article=article, entity=linked["zhipu"])
        Mention.objects.create(article=article, entity=linked["loner"])
        content_changed()
    assert ("Zhipu AI", "Loner") not in edges(first)
    assert len(network.graph().edges) == len(first.edges) + 1


def test_the_page_links_every_node_to_its_entity_and_tables_every_edge(client, linked):
    soup = BeautifulSoup(client.get(reverse("network")).content, "html.parser")
    nodes = {a.find("text").text: a["href"] for a in soup.select("figure svg a")}
    assert nodes == {
        name: linked[key].get_absolute_url()
        for key, name in [
            ("openai", "OpenAI"),
            ("baidu", "Baidu"),
            ("zhipu", "Zhipu AI"),
            ("loner", "Loner"),
        ]
    }
    table = [
        [c.get_text(strip=True) for c in tr("td") + tr("th")]
        for tr in soup.find("table").tbody("tr")
    ]
    assert table[0] == ["Baidu", "2", "0", "OpenAI"]  # the strongest link first
    assert len(table) == 4
    assert "Draft entity" not in soup.text


def test_an_entity_page_shows_its_neighbourhood(client, linked):
    page = client.get(linked["openai"].get_absolute_url())
    soup = BeautifulSoup(page.content, "html.parser")
    section = soup.find(id="neighbourhood-heading").parent
    # The drawing and the table agree: strongest first, then by name.
    assert [a.find("text").text for a in section.select("svg a")] == [
        "OpenAI",
        "Baidu",
        "Loner",
        "Zhipu AI",
    ]
    assert section.select_one("circle.centre") is not None
    # Strongest first, then by name.
    assert [tr.th.text for tr in section.find("table").tbody("tr")] == [
        "Baidu",
        "Loner",
        "Zhipu AI",
    ]


def test_an_entity_with_no_link_has_no_neighbourhood(client, linked):
    lone = EntityFactory(name="Unlinked")
    soup = BeautifulSoup(client.get(lone.get_absolute_url()).content, "html.parser")
    assert soup.find(id="neighbourhood-heading") is None


def test_with_no_links_the_page_says_so(client):
    assert "No two published entities share" in client.get(reverse("network")).content.decode()


def test_while_the_cache_fails_the_network_is_drawn_without_it(client, linked, monkeypatch):
    from django.core.cache import cache
    from redis.exceptions import ConnectionError as RedisDown

    def down(*args, **kwargs):
        raise RedisDown("Redis is away")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    monkeypatch.setattr(network, "current_version", lambda: "v")
    assert client.get(reverse("network")).status_code == 200
    assert client.get(linked["openai"].get_absolute_url()).status_code == 200
