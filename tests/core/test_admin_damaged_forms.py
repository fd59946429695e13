"""A change form posted back damaged is shown again with its errors, never a 500.

The hostile-input suite (test_admin_hostile_input.py) found these two; they are
pinned here so the quick run catches them too.
"""

import pytest
from django.urls import reverse

from tests.admin_forms import form_values
from tests.factories import ClaimFactory, EntityFactory

pytestmark = pytest.mark.django_db


def test_an_autocomplete_posted_with_no_key_is_shown_again_with_its_error(admin_client):
    claim = ClaimFactory()
    url = reverse("admin:entities_claim_change", args=[claim.pk])
    values = form_values(admin_client.get(url).content, "claim_form")
    values["claimant"] = ["ab"]

    response = admin_client.post(url, values)

    assert response.status_code == 200
    assert "claimant" in response.context["adminform"].form.errors


@pytest.mark.parametrize("state", ["5", "[1, 2]", '{"name": 7}', "not json"])
def test_a_damaged_edit_state_still_refuses_a_stale_save_with_a_message(admin_client, state):
    entity = EntityFactory(name="SenseTime")
    url = reverse("admin:entities_entity_change", args=[entity.pk])
    values = form_values(admin_client.get(url).content, "entity_form")
    entity.name = "SenseTime Group"
    entity.save()  # someone else saves first
    values["seen_state"] = [state]
    values["name"] = ["SenseTime Ltd"]

    response = admin_client.post(url, values)

    assert response.status_code == 200
    assert "Someone else saved this" in response.content.decode()
    entity.refresh_from_db()
    assert entity.name == "SenseTime Group"
