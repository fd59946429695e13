"""Editors edit; chief editors also publish and withdraw; readers never see the admin."""

import pytest
from django.urls import reverse

from entities.models import Entity
from tests.factories import EntityFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:entities_entity_changelist")


def change_data(entity, **overrides):
    data = {
        "name": entity.name,
        "slug": entity.slug,
        "kind": entity.kind,
        "status": entity.status,
        "description": "",
        "website": "",
        "wikidata_id": "",
        "seen_version": entity.version,
        "seen_state": "",
        **{
            f"{p}-{k}": 0
            for p in ("aliases", "mentions", "participations")
            for k in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    data.update(overrides)
    return data


def test_an_editor_edits_but_cannot_publish(client, editor_only):
    client.force_login(editor_only)
    entity = EntityFactory(name="Moonshot", status="draft")
    url = reverse("admin:entities_entity_change", args=[entity.pk])
    response = client.post(url, change_data(entity, name="Moonshot AI", status="review"))
    assert response.status_code == 302
    entity.refresh_from_db()
    assert (entity.name, entity.status) == ("Moonshot AI", "review")
    refused = client.post(url, change_data(entity, status="published"))
    assert (
        refused.status_code == 200
        and "not one of the available choices" in refused.content.decode()
    )
    entity.refresh_from_db()
    assert entity.status == "review"


def test_an_editor_has_no_publish_actions(client, editor_only):
    client.force_login(editor_only)
    entity = EntityFactory(status="review")
    page = client.get(CHANGELIST).content.decode()
    assert 'value="publish"' not in page and 'value="withdraw"' not in page
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [entity.pk]})
    entity.refresh_from_db()
    assert entity.status == "review"


def test_an_editor_cannot_change_a_published_items_status(client, editor_only):
    client.force_login(editor_only)
    entity = EntityFactory(status="published")
    page = client.get(reverse("admin:entities_entity_change", args=[entity.pk])).content.decode()
    assert 'name="status"' not in page  # read-only for them


def test_an_editor_cannot_manage_users(client, editor_only):
    client.force_login(editor_only)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_a_chief_editor_publishes_and_withdraws(client, chief_editor):
    client.force_login(chief_editor)
    entity = EntityFactory(status="review")
    client.post(CHANGELIST, {"action": "publish", "_selected_action": [entity.pk]})
    assert Entity.objects.get(pk=entity.pk).status == "published"
    client.post(CHANGELIST, {"action": "withdraw", "_selected_action": [entity.pk]})
    assert Entity.objects.get(pk=entity.pk).status == "withdrawn"
    assert client.get(entity.get_absolute_url()).status_code == 410


def test_readers_never_see_the_admin(client):
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_view_on_site_previews_an_unpublished_item(client, editor_only):
    client.force_login(editor_only)
    entity = EntityFactory(status="review")
    page = client.get(reverse("admin:entities_entity_change", args=[entity.pk])).content.decode()
    assert f'href="{entity.get_absolute_url()}?preview=1"' in page
