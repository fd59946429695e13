import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, EntityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["home", "entities:entity-list", "articles:article-list"])
def test_a_repeat_visit_gets_a_304(client, name):
    ArticleFactory()
    EntityFactory()
    first = client.get(reverse(name))
    assert first.status_code == 200 and first.has_header("ETag")
    again = client.get(reverse(name), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_a_changed_page_gets_a_new_etag(client, django_capture_on_commit_callbacks):
    entity = EntityFactory(name="Zhipu AI")
    first = client.get(entity.get_absolute_url())
    # Committed, as an edit is: the commit drops the page the first visit kept.
    with django_capture_on_commit_callbacks(execute=True):
        entity.name = "Zhipu AI (智谱)"
        entity.save()
    second = client.get(entity.get_absolute_url(), headers={"if-none-match": first["ETag"]})
    assert second.status_code == 200 and "智谱" in second.content.decode()
