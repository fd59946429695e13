"""Merging entities: a chief editor's act when one is public, and never a public page lost."""

import pytest
from django.urls import reverse
from reversion.models import Version

from aiwatch.core.publishing import Status
from entities.merging import MergeRefused, merge_entities
from entities.models import Entity, Mention
from tests.core.test_permissions_every_path import recover, shown_messages
from tests.factories import AliasFactory, ArticleFactory, ClaimFactory, EntityFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:entities_entity_changelist")


def merge(client, survivor, duplicate):
    data = {"action": "merge", "_selected_action": [survivor.pk, duplicate.pk]}
    client.post(CHANGELIST, data)  # the page that asks which entity survives
    return client.post(CHANGELIST, {**data, "survivor": survivor.pk}, follow=True)


def both_still_there(*entities) -> bool:
    return Entity.objects.filter(pk__in=[e.pk for e in entities]).count() == len(entities)


@pytest.mark.parametrize(
    ("survivor_status", "duplicate_status"),
    [
        (Status.PUBLISHED, Status.DRAFT),
        (Status.DRAFT, Status.PUBLISHED),
        (Status.PUBLISHED, Status.PUBLISHED),
        (Status.REVIEW, Status.WITHDRAWN),
    ],
)
def test_an_editor_cannot_merge_a_published_or_withdrawn_entity(
    client, editor_only, survivor_status, duplicate_status
):
    survivor = EntityFactory(name="Zhipu AI", status=survivor_status)
    duplicate = EntityFactory(name="Zhipu", status=duplicate_status)
    client.force_login(editor_only)
    response = merge(client, survivor, duplicate)
    assert "Only a chief editor can merge" in shown_messages(response)
    assert both_still_there(survivor, duplicate)


def test_an_editor_merges_two_drafts(client, editor_only):
    survivor = EntityFactory(name="Zhipu AI", status=Status.DRAFT)
    duplicate = EntityFactory(name="Zhipu", status=Status.REVIEW)
    client.force_login(editor_only)
    merge(client, survivor, duplicate)
    assert list(Entity.objects.values_list("name", flat=True)) == ["Zhipu AI"]


def test_a_chief_editor_merges_two_published_entities(client, chief_editor):
    survivor = EntityFactory(name="Zhipu AI", status=Status.PUBLISHED)
    duplicate = EntityFactory(name="Zhipu", status=Status.PUBLISHED)
    old_url = duplicate.get_absolute_url()
    client.force_login(chief_editor)
    merge(client, survivor, duplicate)
    assert list(Entity.objects.values_list("name", flat=True)) == ["Zhipu AI"]
    client.logout()
    assert client.get(old_url, follow=True).status_code == 200


@pytest.mark.parametrize("survivor_status", [Status.DRAFT, Status.REVIEW, Status.WITHDRAWN])
def test_no_one_merges_a_published_entity_into_one_readers_cannot_see(
    client, chief_editor, survivor_status
):
    # Its public page would redirect to a page that answers 404 (or 410).
    survivor = EntityFactory(name="Zhipu AI", status=survivor_status)
    duplicate = EntityFactory(name="Zhipu", status=Status.PUBLISHED)
    client.force_login(chief_editor)
    response = merge(client, survivor, duplicate)
    assert "Publish “Zhipu AI” first" in shown_messages(response)
    assert both_still_there(survivor, duplicate)
    with pytest.raises(MergeRefused):
        merge_entities(survivor=survivor, duplicate=duplicate)
    assert both_still_there(survivor, duplicate)
    client.logout()
    assert client.get(duplicate.get_absolute_url()).status_code == 200


def test_a_merge_is_undone_by_recovering_the_duplicate_in_the_admin(client, chief_editor):
    survivor = EntityFactory(name="Zhipu AI")
    duplicate = EntityFactory(name="Zhipu")
    AliasFactory(entity=duplicate, name="智谱")
    article = ArticleFactory()
    Mention.objects.create(article=article, entity=duplicate)
    claim = ClaimFactory(claimant=duplicate)
    client.force_login(chief_editor)
    merge(client, survivor, duplicate)
    claim.refresh_from_db()
    assert claim.claimant == survivor

    recover(client, Entity, Version.objects.get_deleted(Entity).get())

    restored = Entity.objects.get(name="Zhipu")
    assert restored.status == Status.PUBLISHED
    assert [a.name for a in restored.aliases.all()] == ["智谱"]
    assert Mention.objects.get(article=article).entity == restored
    claim.refresh_from_db()
    assert claim.claimant == restored, "the claims it made come back to it"
    assert Entity.objects.get(pk=survivor.pk).name == "Zhipu AI"


def test_undoing_a_merge_leaves_what_editors_reassigned_since(client, editor_only):
    survivor = EntityFactory(name="Zhipu AI", status=Status.DRAFT)
    duplicate = EntityFactory(name="Zhipu", status=Status.DRAFT)
    third = EntityFactory(name="Moonshot")
    kept, reassigned = ClaimFactory(claimant=duplicate), ClaimFactory(claimant=duplicate)
    about = ClaimFactory(claimant=third)
    about.entity_links.create(entity=duplicate)
    client.force_login(editor_only)
    merge(client, survivor, duplicate)
    reassigned.refresh_from_db()
    reassigned.claimant = third
    reassigned.save()

    recover(client, Entity, Version.objects.get_deleted(Entity).get())

    restored = Entity.objects.get(name="Zhipu")
    assert restored.status == Status.DRAFT
    kept.refresh_from_db()
    reassigned.refresh_from_db()
    assert (kept.claimant, reassigned.claimant) == (restored, third)
    assert list(about.about_entities.all()) == [restored]
