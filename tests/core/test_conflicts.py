"""Two editors, one entity: the second save is refused with what changed, nothing is lost."""

import html
import re

import pytest
from django.urls import reverse

from tests.core.test_roles import change_data
from tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


def opened_form(client, entity):
    """The hidden version fields exactly as the change page rendered them."""
    page = client.get(reverse("admin:entities_entity_change", args=[entity.pk])).content.decode()
    state = re.search(r'name="seen_state" value="([^"]*)"', page).group(1)
    version = re.search(r'name="seen_version" value="(\d+)"', page).group(1)
    return {"seen_state": html.unescape(state), "seen_version": version}


def test_the_second_save_is_refused_and_shows_what_changed(client, editor_only, chief_editor):
    entity = EntityFactory(name="Zhipu", description="Beijing AI company.", status="draft")
    url = reverse("admin:entities_entity_change", args=[entity.pk])
    client.force_login(editor_only)
    first_form = opened_form(client, entity)
    second_form = opened_form(client, entity)

    first = client.post(url, change_data(entity, **first_form, description="Beijing lab."))
    assert first.status_code == 302

    second = client.post(url, change_data(entity, **second_form, name="Zhipu AI"))
    assert second.status_code == 200
    page = second.content.decode()
    assert "Someone else saved this entity while you were editing it" in page
    assert "Beijing AI company." in page and "Beijing lab." in page
    entity.refresh_from_db()
    assert (entity.name, entity.description) == ("Zhipu", "Beijing lab.")


def test_a_save_from_the_current_version_goes_through(client, editor_only):
    entity = EntityFactory(name="Zhipu", status="draft")
    client.force_login(editor_only)
    url = reverse("admin:entities_entity_change", args=[entity.pk])
    assert client.post(url, change_data(entity, **opened_form(client, entity))).status_code == 302
    entity.refresh_from_db()
    assert client.post(url, change_data(entity, **opened_form(client, entity))).status_code == 302
    entity.refresh_from_db()
    assert entity.version == 3
