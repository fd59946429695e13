"""Editors can reach, search, filter and edit every model in the admin."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from articles.models import Article, Original, Republication
from entities.models import (
    ClaimAppearance,
    ClaimEntity,
    ClaimRelation,
    Entity,
    Mention,
    Participation,
)
from tests.factories import AliasFactory, ArticleFactory, ClaimFactory, EntityFactory, EventFactory

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [
    m for app in ("articles", "entities") for m in apps.get_app_config(app).get_models()
]


def _populate():
    claim = ClaimFactory()
    other = ClaimFactory(article=claim.article)
    copy = ArticleFactory()
    AliasFactory(entity=claim.claimant, name="商汤科技")
    event = EventFactory()
    event.event_sources.create(article=claim.article)
    Participation.objects.create(event=event, entity=claim.claimant, role="responded")
    Mention.objects.create(article=claim.article, entity=claim.claimant)
    ClaimEntity.objects.create(claim=claim, entity=claim.claimant)
    claim.event_links.create(event=event)
    ClaimRelation.objects.create(source=claim, target=other, kind="supports")
    Original.objects.create(article=claim.article, content=b"<p>page</p>", media_type="text/html")
    Republication.objects.create(copy=copy, original=claim.article, similarity=0.8)
    ClaimAppearance.objects.create(claim=claim, article=copy, quote="OpenAI will block")
    return claim


def test_every_model_is_registered():
    assert CONTENT_MODELS
    for model in CONTENT_MODELS:
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_every_changelist_and_change_page_loads(editor_client, model):
    _populate()
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert editor_client.get(changelist).status_code == 200
    assert editor_client.get(changelist, {"q": "商汤 OpenAI"}).status_code == 200
    obj = model.objects.first()
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    page = editor_client.get(change)
    assert page.status_code == 200
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    # An original file is made by an import only: its add page is refused.
    assert editor_client.get(add).status_code == (403 if model is Original else 200)


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_changelists_issue_a_constant_number_of_queries(
    editor_client, model, django_assert_max_num_queries
):
    _populate()
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    with django_assert_max_num_queries(20) as few:
        editor_client.get(url)
    for _ in range(8):
        _populate()
    with django_assert_max_num_queries(len(few.captured_queries)):
        editor_client.get(url)


def test_entities_are_found_by_their_chinese_alias(editor_client):
    entity = EntityFactory(name="SenseTime")
    AliasFactory(entity=entity, name="商汤科技")
    EntityFactory(name="Baidu")
    page = editor_client.get(
        reverse("admin:entities_entity_changelist"), {"q": "商汤"}
    ).content.decode()
    assert "SenseTime" in page and "Baidu" not in page


def test_cross_links_use_autocomplete(editor_client):
    EntityFactory(name="Zhipu AI")
    EntityFactory(name="Baidu")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "zhipu", "app_label": "entities", "model_name": "claim", "field_name": "claimant"},
    )
    names = [r["text"] for r in response.json()["results"]]
    assert names == ["Zhipu AI"]


def test_change_pages_link_to_the_public_page(editor_client):
    entity = EntityFactory(name="OpenAI")
    page = editor_client.get(
        reverse("admin:entities_entity_change", args=[entity.pk])
    ).content.decode()
    assert "View on site" in page


def test_the_article_page_has_mention_and_source_inlines(editor_client):
    article = ArticleFactory()
    page = editor_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert "mentions-TOTAL_FORMS" in page and "event_sources-TOTAL_FORMS" in page


def test_the_raw_capture_is_read_only_in_the_admin(editor_client):
    article = ArticleFactory(raw="the capture", body="the body")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {
        "title": article.title,
        "slug": article.slug,
        "status": "published",
        "original_url": article.original_url,
        "author": "",
        "published_on": "2024-07-05",
        "language": "en",
        "summary": "",
        "body": "an edited body",
        "raw": "tampered",
        "mentions-TOTAL_FORMS": 0,
        "mentions-INITIAL_FORMS": 0,
        "event_sources-TOTAL_FORMS": 0,
        "event_sources-INITIAL_FORMS": 0,
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.body == "an edited body" and article.raw == "the capture"


def test_bulk_publish_and_unpublish(editor_client):
    drafts = [EntityFactory(status="draft") for _ in range(3)]
    url = reverse("admin:entities_entity_changelist")
    editor_client.post(url, {"action": "publish", "_selected_action": [e.pk for e in drafts]})
    assert Entity.objects.published().count() == 3
    editor_client.post(url, {"action": "unpublish", "_selected_action": [drafts[0].pk]})
    assert list(Entity.objects.drafts()) == [drafts[0]]


def test_anonymous_readers_never_see_the_admin(client):
    response = client.get(reverse("admin:entities_entity_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_deleting_a_linked_article_in_the_admin_explains_what_blocks_it(editor_client):
    claim = ClaimFactory()
    url = reverse("admin:articles_article_delete", args=[claim.article.pk])
    page = editor_client.post(url, {"post": "yes"}).content.decode()
    assert "would require deleting the following protected related objects" in page
    assert Article.objects.filter(pk=claim.article.pk).exists()


def test_a_quote_not_in_the_article_is_a_clear_admin_error(editor_client):
    claim = ClaimFactory()
    url = reverse("admin:entities_claim_change", args=[claim.pk])
    data = {
        "statement": claim.statement,
        "slug": claim.slug,
        "status": "draft",
        "claimant": claim.claimant_id,
        "kind": "fact",
        "article": claim.article_id,
        "quote": "words the article never said",
        "verification": "unverified",
        "verification_reason": "",
        "seen_version": claim.version,
        "seen_state": "",
        **{
            f"{p}-{k}": 0
            for p in ("entity_links", "event_links", "relations_out")
            for k in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "This quote is not in the article" in response.content.decode()
    claim.refresh_from_db()
    assert claim.quote != "words the article never said"
