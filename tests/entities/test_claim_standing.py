"""A claim's standing, as Wikidata ranks statements: preferred, normal, or deprecated
(superseded or retracted), with the reason readers see beside it."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from entities.models import Claim
from tests.admin_forms import form_values
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def refused(**fields):
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(**fields)


def test_a_new_claim_stands_normal():
    claim = ClaimFactory()
    assert (claim.standing, claim.deprecation, claim.standing_reason) == ("normal", "", "")


@pytest.mark.parametrize(
    "fields",
    [
        {"standing": "preferred"},
        {"standing": "deprecated", "deprecation": "superseded"},
        {"standing": "deprecated", "standing_reason": "Withdrawn."},
        {"standing": "normal", "deprecation": "retracted", "standing_reason": "Withdrawn."},
        {"standing": "ranked", "standing_reason": "No such standing."},
    ],
    ids=["preferred-without-reason", "deprecated-without-reason", "deprecated-without-how",
         "normal-but-retracted", "unknown"],
)  # fmt: skip
def test_the_database_refuses_a_standing_without_its_reason(fields):
    refused(**fields)


def change(editor_client, claim, **fields):
    url = reverse("admin:entities_claim_change", args=[claim.pk])
    data = form_values(editor_client.get(url).content)
    data.update({name: [value] for name, value in fields.items()})
    return editor_client.post(url, data)


def test_the_admin_asks_for_the_reason_and_keeps_the_claim_as_it_was(editor_client):
    claim = ClaimFactory()
    response = change(editor_client, claim, standing="deprecated")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Say why this claim is deprecated" in page
    assert "Say whether the claim was superseded or retracted." in page
    claim.refresh_from_db()
    assert claim.standing == "normal"


def test_an_editor_deprecates_a_claim_and_readers_see_why(editor_client, client):
    claim = ClaimFactory()
    reason = "The outlet withdrew the report on 12 July."
    response = change(
        editor_client, claim, standing="deprecated", deprecation="retracted", standing_reason=reason
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    claim.refresh_from_db()
    assert (claim.standing, claim.deprecation, claim.standing_reason) == (
        "deprecated", "retracted", reason
    )  # fmt: skip

    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Standing: Deprecated (retracted)" in page
    assert reason in page
    data = client.get(claim.get_absolute_url(), {"format": "json"}).json()
    assert (data["standing"], data["deprecation"], data["standing_reason"]) == (
        "deprecated", "retracted", reason
    )  # fmt: skip


def test_lists_badge_a_claim_that_is_not_normal(client):
    preferred = ClaimFactory(standing="preferred", standing_reason="The company's own figure.")
    ClaimFactory(article=preferred.article)
    page = client.get(preferred.article.get_absolute_url()).content.decode()
    assert page.count('class="badge badge-preferred"') == 1
