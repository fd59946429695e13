"""The admin's sidebar and home list what an editor works on, not the links edited inside them."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import ClaimFactory, EntityFactory

pytestmark = pytest.mark.django_db

# The through-models edited only inline, in their claim, event or article.
INLINE_ONLY = [
    "entity a claim is about",
    "event a claim is about",
    "participation",
    "event source",
    "claim relation",
]


def model_names(page) -> set[str]:
    soup = BeautifulSoup(page, "html.parser")
    return {
        row.find("a").get_text(strip=True).lower()
        for row in soup.select(".app-list tr[class^=model-], #nav-sidebar tr[class^=model-]")
        if row.find("a")
    }


@pytest.mark.parametrize(
    "url",
    [reverse("admin:index"), reverse("admin:app_list", args=["entities"])],
)
def test_links_edited_inline_are_not_listed(client, editor, url):
    client.force_login(editor)
    names = model_names(client.get(url).content)
    assert {"claims", "entities", "events", "mentions"} <= names
    for name in INLINE_ONLY:
        assert name not in names and f"{name}s" not in names


def test_nor_in_the_sidebar_of_an_edit_page(client, editor):
    client.force_login(editor)
    claim = ClaimFactory()
    page = client.get(reverse("admin:entities_claim_change", args=[claim.pk])).content
    names = model_names(page)
    assert "claims" in names
    assert not {"entity a claim is abouts", "event a claim is abouts"} & names


def test_the_inline_autocomplete_still_answers(client, editor_only):
    EntityFactory(name="SenseTime")
    client.force_login(editor_only)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "entities",
            "model_name": "claimentity",
            "field_name": "entity",
            "term": "Sense",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["SenseTime"]


def test_their_lists_still_open_from_a_link(client, editor):
    """History and recovery pages link to them; hidden from the sidebar is not gone."""
    client.force_login(editor)
    assert client.get(reverse("admin:entities_claimentity_changelist")).status_code == 200
