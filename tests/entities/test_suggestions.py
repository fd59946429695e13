"""Saving an article suggests the known entities it names; rejections are remembered."""

import pytest

from entities.models import Mention
from tests.factories import AliasFactory, ArticleFactory, EntityFactory

pytestmark = pytest.mark.django_db


def statuses(article):
    return {m.entity.name: m.status for m in Mention.objects.filter(article=article)}


def test_names_and_aliases_become_suggestions(django_capture_on_commit_callbacks):
    sensetime = EntityFactory(name="SenseTime")
    AliasFactory(entity=sensetime, name="商汤科技")
    zhipu = EntityFactory(name="Zhipu AI")
    AliasFactory(entity=zhipu, name="智谱")
    EntityFactory(name="Baidu")
    EntityFactory(name="Meta")
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(body="商汤科技 and Zhipu AI court developers. Metadata matters.")
    assert statuses(article) == {"SenseTime": "suggested", "Zhipu AI": "suggested"}


def test_suggestions_are_not_public(client, django_capture_on_commit_callbacks):
    EntityFactory(name="SenseTime")
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(body="SenseTime courts developers.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'class="mention"' not in page


def test_a_rejected_suggestion_does_not_come_back(django_capture_on_commit_callbacks):
    EntityFactory(name="SenseTime")
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(body="SenseTime courts developers.")
    Mention.objects.filter(article=article).update(status="rejected")
    with django_capture_on_commit_callbacks(execute=True):
        article.body = "SenseTime courts developers again."
        article.save()
    assert statuses(article) == {"SenseTime": "rejected"}


def test_links_made_in_the_same_transaction_are_not_resuggested(django_capture_on_commit_callbacks):
    entity = EntityFactory(name="SenseTime")
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(body="SenseTime courts developers.")
        Mention.objects.create(article=article, entity=entity)
    assert statuses(article) == {"SenseTime": "accepted"}
