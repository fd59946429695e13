"""Links shared before a rename keep working, forever."""

import pytest

from tests.factories import ArticleFactory, ClaimFactory, EntityFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("factory", [ArticleFactory, EntityFactory, EventFactory, ClaimFactory])
def test_a_renamed_slug_answers_301_to_the_new_url(client, factory):
    obj = factory()
    old_url = obj.get_absolute_url()
    obj.slug = "a-better-name"
    obj.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == obj.get_absolute_url()
    assert client.get(obj.get_absolute_url()).status_code == 200


def test_every_earlier_slug_redirects_to_the_latest(client):
    entity = EntityFactory(name="Zhipu")
    first = entity.get_absolute_url()
    for slug in ["zhipu-ai", "zhipu-ai-beijing"]:
        entity.slug = slug
        entity.save()
    assert client.get(first)["Location"] == "/entities/zhipu-ai-beijing/"
    assert client.get("/entities/zhipu-ai/")["Location"] == "/entities/zhipu-ai-beijing/"


def test_an_old_slug_is_never_given_to_something_else():
    entity = EntityFactory(name="Moonshot")
    entity.slug = "moonshot-ai"
    entity.save()
    assert EntityFactory(name="Moonshot").slug == "moonshot-2"


def test_taking_a_slug_back_makes_it_live_again(client):
    entity = EntityFactory(name="Baidu")
    entity.slug = "baidu-inc"
    entity.save()
    entity.slug = "baidu"
    entity.save()
    assert client.get("/entities/baidu/").status_code == 200
    assert client.get("/entities/baidu-inc/")["Location"] == "/entities/baidu/"


def test_an_old_slug_of_a_draft_is_still_a_404(client):
    entity = EntityFactory(name="Stealth")
    entity.slug = "stealth-lab"
    entity.status = "draft"
    entity.save()
    assert client.get("/entities/stealth/").status_code == 404


def test_unknown_slugs_are_404(client):
    assert client.get("/entities/never-existed/").status_code == 404
