"""Every write is in the history, with its author; editors compare, revert and recover."""

import re

import pytest
import reversion
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from aiwatch.core.publishing import Status
from entities.merging import merge_entities
from entities.models import Alias, Entity, Mention
from tests.core.test_roles import change_data
from tests.factories import AliasFactory, ArticleFactory, ClaimFactory, EntityFactory

pytestmark = pytest.mark.django_db


def versions(obj):
    return Version.objects.get_for_object(obj)


def test_an_admin_edit_is_recorded_with_its_author(client, editor_only):
    client.force_login(editor_only)
    entity = EntityFactory(name="Zhipu", status="draft")
    url = reverse("admin:entities_entity_change", args=[entity.pk])
    client.post(url, change_data(entity, name="Zhipu AI"))
    latest = versions(entity).first()
    assert latest.field_dict["name"] == "Zhipu AI"
    assert latest.revision.user == editor_only


def test_bulk_actions_are_recorded(client, chief_editor):
    client.force_login(chief_editor)
    entity = EntityFactory(status="review")
    client.post(
        reverse("admin:entities_entity_changelist"),
        {"action": "publish", "_selected_action": [entity.pk]},
    )
    latest = versions(entity).first()
    assert latest.field_dict["status"] == Status.PUBLISHED
    assert latest.revision.user == chief_editor


def test_commands_and_imports_are_recorded(tmp_path):
    call_command("seed", verbosity=0)
    sensetime = Entity.objects.get(slug="sensetime")
    assert "seed" in versions(sensetime).first().revision.get_comment()
    capture = tmp_path / "capture.txt"
    capture.write_text("A headline about tokens\n\nZhipu offered free tokens to developers today.")
    call_command("import_articles", str(capture), verbosity=0)
    article = ArticleFactory._meta.model.objects.get(title="A headline about tokens")
    assert "import_articles" in versions(article).first().revision.get_comment()


def test_history_compare_and_revert_pages_work_under_the_csp(client, editor_only):
    client.force_login(editor_only)
    entity = EntityFactory(name="Zhipu", status="draft", description="first")
    url = reverse("admin:entities_entity_change", args=[entity.pk])
    client.post(url, change_data(entity, description="first"))
    entity.refresh_from_db()
    client.post(url, change_data(entity, description="second"))
    history = client.get(reverse("admin:entities_entity_history", args=[entity.pk]))
    page = history.content.decode()
    assert "Content-Security-Policy" in history
    assert "Compare with current" in page and "Revert to this version" in page
    oldest = versions(entity).last()
    compare = client.get(
        reverse("admin:entities_entity_compare", args=[entity.pk, oldest.pk])
    ).content.decode()
    assert "first" in compare and "second" in compare and "changed" in compare
    for body in (page, compare):
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body), "inline script"
        assert " style=" not in body, "inline style"
    revert_url = reverse("admin:entities_entity_revision", args=[entity.pk, oldest.pk])
    revert_page = client.get(revert_url)
    assert revert_page.status_code == 200 and "first" in revert_page.content.decode()


def test_reverting_restores_an_earlier_version(editor_only):
    entity = EntityFactory(name="Zhipu", description="first")

    with reversion.create_revision():
        entity.save()
    with reversion.create_revision():
        entity.description = "vandalised"
        entity.save()
    versions(entity).last().revision.revert()
    entity.refresh_from_db()
    assert entity.description == "first"


def test_a_deleted_entity_is_recovered_with_its_aliases(client, editor_only):
    client.force_login(editor_only)

    with reversion.create_revision():  # as the admin's add page records it
        # A draft: an Editor may not delete a published entity.
        entity = EntityFactory(name="Stealth Lab", status="draft")
        AliasFactory(entity=entity, name="隐形实验室")
    url = reverse("admin:entities_entity_delete", args=[entity.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Entity.objects.filter(name="Stealth Lab").exists()
    deleted = Version.objects.get_deleted(Entity).first()
    assert deleted is not None, "the deletion must leave a recoverable version"
    recover = reverse("admin:entities_entity_recover", args=[deleted.pk])
    assert client.get(recover).status_code == 200
    deleted.revision.revert(delete=True)
    restored = Entity.objects.get(name="Stealth Lab")
    assert list(restored.aliases.values_list("name", flat=True)) == ["隐形实验室"]


def test_merging_moves_everything_redirects_and_can_be_undone(client):
    survivor = EntityFactory(name="Zhipu AI")
    duplicate = EntityFactory(name="Zhipu")
    AliasFactory(entity=duplicate, name="智谱")
    article = ArticleFactory()
    Mention.objects.create(article=article, entity=duplicate)
    claim = ClaimFactory(claimant=duplicate)
    old_url, duplicate_pk = duplicate.get_absolute_url(), duplicate.pk

    merge_entities(survivor=survivor, duplicate=duplicate)

    assert not Entity.objects.filter(pk=duplicate_pk).exists()
    assert set(survivor.aliases.values_list("name", flat=True)) == {"智谱", "Zhipu"}
    assert Mention.objects.get(article=article).entity == survivor
    claim.refresh_from_db()
    assert claim.claimant == survivor
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == survivor.get_absolute_url()

    before = Version.objects.get_deleted(Entity).first().revision
    assert before.get_comment().startswith("Before merging")
    before.revert(delete=True)
    restored = Entity.objects.get(pk=duplicate_pk)
    assert Mention.objects.get(article=article).entity == restored
    claim.refresh_from_db()
    assert claim.claimant == restored
    assert not Alias.objects.filter(entity=survivor, name="Zhipu").exists()


def test_the_merge_action_asks_which_entity_survives(editor_client):
    a, b = EntityFactory(name="Baidu"), EntityFactory(name="Baidu Inc")
    url = reverse("admin:entities_entity_changelist")
    page = editor_client.post(url, {"action": "merge", "_selected_action": [a.pk, b.pk]})
    assert "Which entity do you keep?" in page.content.decode()
    editor_client.post(url, {"action": "merge", "_selected_action": [a.pk, b.pk], "survivor": a.pk})
    assert list(Entity.objects.values_list("name", flat=True)) == ["Baidu"]


def test_a_deletion_outside_the_admin_is_recoverable_too():
    entity = EntityFactory(name="Shell-deleted")
    AliasFactory(entity=entity, name="壳")
    entity.delete()
    Version.objects.get_deleted(Entity).first().revision.revert(delete=True)
    assert Entity.objects.get(name="Shell-deleted").aliases.get().name == "壳"
