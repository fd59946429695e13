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


def deprecated_claim(**fields):
    return ClaimFactory(
        standing="deprecated",
        deprecation="superseded",
        standing_reason="A later statement replaced it.",
        **fields,
    )


def test_the_claim_list_hides_deprecated_claims_until_asked(client):
    standing, deprecated = ClaimFactory(), deprecated_claim()
    url = reverse("entities:claim-list")
    page = client.get(url).content.decode()
    assert standing.statement in page and deprecated.statement not in page
    assert "Include deprecated claims" in page
    # Another filter alone does not bring them back; the switch does.
    assert deprecated.statement not in client.get(url, {"kind": deprecated.kind}).content.decode()
    shown = client.get(url, {"deprecated": "on"}).content.decode()
    assert standing.statement in shown and deprecated.statement in shown
    listed = client.get(url, {"format": "json"}).json()
    assert deprecated.get_absolute_url() not in str(listed)


def test_pages_fold_deprecated_claims_away_below_the_others(client):
    standing = ClaimFactory()
    deprecated = deprecated_claim(article=standing.article, claimant=standing.claimant)
    for url in (standing.article.get_absolute_url(), standing.claimant.get_absolute_url()):
        page = client.get(url).content.decode()
        folded = page.split('<details class="deprecated-claims">', 1)
        assert len(folded) == 2, url
        assert standing.statement in folded[0] and standing.statement not in folded[1]
        assert deprecated.statement in folded[1] and deprecated.statement not in folded[0]
        assert "1 deprecated claim, superseded or retracted" in folded[1]
