"""Publishing is a chief editor's act on every path: revert, recover, delete, bulk delete, import.

An Editor may edit anything and move drafts to review; only a chief editor
(the publish_<model> permission) makes something public, withdraws it, or
takes it away. These tests go through the admin as each role would, with
the forms the admin renders, so a path that forgets the rule shows here.
"""

import pytest
import reversion
from bs4 import BeautifulSoup
from django.urls import reverse
from reversion.models import Version

from aiwatch.core.publishing import Status
from articles.models import Article
from entities.models import Entity
from tests.factories import AliasFactory, ArticleFactory, EntityFactory

pytestmark = pytest.mark.django_db


def form_values(html: str) -> dict[str, str | list[str]]:
    """What a browser would submit from the admin's change form on `html`, unchanged."""
    form = BeautifulSoup(html, "html.parser").find("form", id=lambda i: i and i.endswith("_form"))
    assert form is not None, "no change form on the page"
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "textarea":
            # A browser drops the one newline that follows <textarea>.
            data.setdefault(name, []).append(field.text.removeprefix("\n"))
        elif field.name == "select":
            chosen = field.find_all("option", selected=True)
            if not chosen and not field.has_attr("multiple"):
                chosen = field.find_all("option")[:1]
            data.setdefault(name, []).extend(o.get("value", o.text) for o in chosen)
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.get("type") not in ("submit", "button", "file", "image", "reset"):
            data.setdefault(name, []).append(field.get("value", ""))
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


def admin_url(obj_or_model, view: str, *args) -> str:
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def revert(client, obj, version, **changes):
    """Open the revert page for `version` of `obj` and save it, as an editor would."""
    url = admin_url(obj, "revision", obj.pk, version.pk)
    page = client.get(url)
    assert page.status_code == 200, page
    return client.post(url, {**form_values(page.content.decode()), **changes})


def recover(client, model, version):
    """Open the recover page for a deleted object's `version` and save it."""
    url = admin_url(model, "recover", version.pk)
    page = client.get(url, follow=True)
    if page.redirect_chain:
        return page  # refused before the form
    return client.post(url, form_values(page.content.decode()), follow=True)


def shown_messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def saved(obj, **fields):
    """Save `obj` with `fields` as its own revision, as one admin save records it."""
    with reversion.create_revision():
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.save()
    return Version.objects.get_for_object(obj).first()


def history_of(first_status, **fields):
    """An article saved once as `first_status` (that version returned), then edited as given."""
    article = ArticleFactory(status=first_status, title="OpenAI cuts off China")
    first = saved(article)
    saved(article, **fields)
    return article, first


# --- Revert -------------------------------------------------------------------------------------


def test_an_editor_reverting_a_withdrawn_article_to_its_published_version_leaves_it_gone(
    client, editor_only
):
    # The reproduction: the revert took the page from 410 to 200.
    article, published = history_of(
        Status.PUBLISHED, status=Status.WITHDRAWN, title="OpenAI cuts off China (retracted)"
    )
    assert client.get(article.get_absolute_url()).status_code == 410
    client.force_login(editor_only)

    response = revert(client, article, published)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "OpenAI cuts off China", "the text is reverted"
    assert article.status == Status.WITHDRAWN
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 410


def test_an_editors_revert_page_shows_the_status_the_item_keeps(client, editor_only):
    article, published = history_of(Status.PUBLISHED, status=Status.WITHDRAWN)
    client.force_login(editor_only)
    page = client.get(admin_url(article, "revision", article.pk, published.pk)).content.decode()
    assert 'name="status"' not in page  # read-only, as on the change page
    assert "Withdrawn" in page


def test_a_chief_editors_revert_restores_the_published_status(client, chief_editor):
    article, published = history_of(Status.PUBLISHED, status=Status.WITHDRAWN)
    client.force_login(chief_editor)
    assert revert(client, article, published).status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_an_editor_reverting_a_published_item_to_its_draft_keeps_it_published(client, editor_only):
    entity = EntityFactory(status=Status.DRAFT, name="Zhipu")
    draft = saved(entity)
    saved(entity, status=Status.PUBLISHED, name="Zhipu AI")
    client.force_login(editor_only)
    assert revert(client, entity, draft).status_code == 302
    entity.refresh_from_db()
    assert (entity.name, entity.status) == ("Zhipu", Status.PUBLISHED)


def test_an_editor_reverting_a_draft_to_its_published_version_keeps_it_a_draft(client, editor_only):
    entity = EntityFactory(status=Status.PUBLISHED, name="Zhipu AI")
    published = saved(entity)
    saved(entity, status=Status.DRAFT, name="Zhipu")
    client.force_login(editor_only)
    assert revert(client, entity, published).status_code == 302
    entity.refresh_from_db()
    assert (entity.name, entity.status) == ("Zhipu AI", Status.DRAFT)


def test_an_editor_cannot_publish_by_posting_the_status_to_the_revert_form(client, editor_only):
    entity = EntityFactory(status=Status.PUBLISHED, name="Zhipu AI")
    published = saved(entity)
    saved(entity, status=Status.REVIEW)
    client.force_login(editor_only)
    response = revert(client, entity, published, status=Status.PUBLISHED)
    assert response.status_code == 200 and "not one of the available choices" in str(
        response.content
    )
    entity.refresh_from_db()
    assert entity.status == Status.REVIEW


def test_an_editors_revert_between_draft_and_review_takes_the_versions_status(client, editor_only):
    entity = EntityFactory(status=Status.REVIEW, name="Zhipu AI")
    review = saved(entity)
    saved(entity, status=Status.DRAFT)
    client.force_login(editor_only)
    assert revert(client, entity, review).status_code == 302
    entity.refresh_from_db()
    assert entity.status == Status.REVIEW


def test_a_version_of_another_kind_cannot_be_restored_through_this_admin(client, chief_editor):
    # The URLs name a version by its id; a version of some other model (here an
    # article's, whose id an entity shares) must not be restored through them.
    article, published = history_of(Status.PUBLISHED, status=Status.WITHDRAWN)
    entity = EntityFactory(pk=article.pk, status=Status.DRAFT)
    client.force_login(chief_editor)
    entity_form = form_values(client.get(admin_url(entity, "change", entity.pk)).content.decode())
    assert client.get(admin_url(Entity, "compare", entity.pk, published.pk)).status_code == 404
    for url in (
        admin_url(Entity, "revision", entity.pk, published.pk),
        admin_url(Entity, "recover", published.pk),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, entity_form).status_code == 404
    article.refresh_from_db()
    assert article.status == Status.WITHDRAWN


def test_a_version_that_cannot_be_read_gives_a_message_not_an_error(client, editor_only):
    article, published = history_of(Status.PUBLISHED, status=Status.WITHDRAWN)
    Version.objects.filter(pk=published.pk).update(serialized_data="[{not json")
    client.force_login(editor_only)
    for url in (
        admin_url(article, "revision", article.pk, published.pk),
        admin_url(Article, "recover", published.pk),
        admin_url(article, "compare", article.pk, published.pk),
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200
        assert "Could not load" in shown_messages(response)
    article.refresh_from_db()
    assert article.status == Status.WITHDRAWN


# --- Recover (undelete) -------------------------------------------------------------------------


def deleted_version(obj, model):
    with reversion.create_revision():
        obj.save()
    pk = obj.pk
    obj.delete()
    return Version.objects.get_deleted(model).get(object_id=str(pk))


def test_an_editor_cannot_recover_a_published_item(client, editor_only):
    entity = EntityFactory(status=Status.PUBLISHED, name="Stealth Lab")
    version = deleted_version(entity, Entity)
    client.force_login(editor_only)
    response = recover(client, Entity, version)
    assert "Only a chief editor can recover" in shown_messages(response)
    assert not Entity.objects.filter(name="Stealth Lab").exists()
    # Nor by posting the recover form directly.
    client.post(admin_url(Entity, "recover", version.pk), {"name": "Stealth Lab"})
    assert not Entity.objects.filter(name="Stealth Lab").exists()


def test_an_editor_cannot_recover_a_withdrawn_item_through_its_revision_url(client, editor_only):
    # The revision URL of a deleted object recovers it too.
    article = ArticleFactory(status=Status.WITHDRAWN)
    version = deleted_version(article, Article)
    client.force_login(editor_only)
    url = admin_url(Article, "revision", version.object_id, version.pk)
    response = client.get(url, follow=True)
    assert "Only a chief editor can recover" in shown_messages(response)
    client.post(url, {"title": article.title})
    assert not Article.objects.filter(pk=version.object_id).exists()


def test_an_editor_recovers_a_draft(client, editor_only):
    with reversion.create_revision():
        entity = EntityFactory(status=Status.DRAFT, name="Stealth Lab")
        AliasFactory(entity=entity, name="隐形实验室")
    version = Version.objects.get_for_object(entity).get()
    entity.delete()
    client.force_login(editor_only)
    recover(client, Entity, version)
    restored = Entity.objects.get(name="Stealth Lab")
    assert restored.status == Status.DRAFT
    assert [a.name for a in restored.aliases.all()] == ["隐形实验室"]


def test_a_chief_editor_recovers_a_published_item_as_published(client, chief_editor):
    entity = EntityFactory(status=Status.PUBLISHED, name="Stealth Lab")
    version = deleted_version(entity, Entity)
    client.force_login(chief_editor)
    recover(client, Entity, version)
    restored = Entity.objects.get(name="Stealth Lab")
    assert restored.status == Status.PUBLISHED
    client.logout()
    assert client.get(restored.get_absolute_url()).status_code == 200


# --- Delete -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.WITHDRAWN])
def test_an_editor_cannot_delete_a_published_or_withdrawn_item(client, editor_only, status):
    article = ArticleFactory(status=status)
    client.force_login(editor_only)
    url = admin_url(article, "delete", article.pk)
    change_page = client.get(admin_url(article, "change", article.pk)).content.decode()
    assert url not in change_page, "no Delete link"
    response = client.post(url, {"post": "yes"}, follow=True)
    assert "Only a chief editor can delete" in shown_messages(response)
    assert Article.objects.filter(pk=article.pk).exists()


def test_an_editor_deletes_a_draft(client, editor_only):
    article = ArticleFactory(status=Status.DRAFT)
    client.force_login(editor_only)
    assert client.post(admin_url(article, "delete", article.pk), {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_a_chief_editor_deletes_a_published_item(client, chief_editor):
    article = ArticleFactory(status=Status.PUBLISHED)
    client.force_login(chief_editor)
    assert client.post(admin_url(article, "delete", article.pk), {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_an_editors_bulk_delete_refuses_a_selection_with_a_published_item(client, editor_only):
    draft, published = EntityFactory(status=Status.DRAFT), EntityFactory(status=Status.PUBLISHED)
    client.force_login(editor_only)
    selection = {"action": "delete_selected", "_selected_action": [draft.pk, published.pk]}
    response = client.post(admin_url(Entity, "changelist"), selection, follow=True)
    assert "Only a chief editor can delete" in shown_messages(response)
    client.post(admin_url(Entity, "changelist"), {**selection, "post": "yes"})
    assert Entity.objects.filter(pk__in=[draft.pk, published.pk]).count() == 2


def test_an_editors_bulk_delete_of_drafts_goes_through(client, editor_only):
    drafts = EntityFactory.create_batch(2, status=Status.REVIEW)
    client.force_login(editor_only)
    selection = {"action": "delete_selected", "_selected_action": [e.pk for e in drafts]}
    client.post(admin_url(Entity, "changelist"), {**selection, "post": "yes"})
    assert not Entity.objects.exists()


def test_a_chief_editors_bulk_delete_takes_published_items(client, chief_editor):
    published = EntityFactory.create_batch(2, status=Status.PUBLISHED)
    client.force_login(chief_editor)
    selection = {"action": "delete_selected", "_selected_action": [e.pk for e in published]}
    client.post(admin_url(Entity, "changelist"), {**selection, "post": "yes"})
    assert not Entity.objects.exists()


# --- Import -------------------------------------------------------------------------------------


def test_an_editors_import_is_a_draft_whatever_the_form_says(client, editor_only):
    from tests.articles.test_admin_import import CAPTURE, preview, save

    client.force_login(editor_only)
    previewed = preview(client, text=CAPTURE, status="published")
    save(client, previewed, new_source="The Harbour Ledger", status="published")
    assert Article.objects.get().status == Status.DRAFT
