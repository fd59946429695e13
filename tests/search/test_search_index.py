"""The index follows every write: admin, services, commands; drafts never enter it."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from aiwatch.search.models import SearchEntry
from entities.models import Mention, Participation
from tests.factories import (
    AliasFactory,
    ArticleFactory,
    ClaimFactory,
    EntityFactory,
    EventFactory,
)

pytestmark = pytest.mark.django_db


def titles(client, q):
    data = client.get(reverse("search"), {"q": q, "format": "json"}).json()
    return [r["title"] for r in data["results"]]


def test_a_new_object_is_searchable_once_committed(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        EntityFactory(name="Moonshot AI")
    assert callbacks, "saving must schedule an index refresh on commit"
    assert titles(client, "moonshot") == ["Moonshot AI"]


def test_nothing_is_indexed_before_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        EntityFactory(name="Moonshot AI")
    assert not SearchEntry.objects.exists()


def test_drafts_are_never_indexed_and_unpublishing_removes_the_entry(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entity = EntityFactory(name="Stealth Lab", status="draft")
    assert titles(client, "stealth") == []
    with django_capture_on_commit_callbacks(execute=True):
        entity.status = "published"
        entity.save()
    assert titles(client, "stealth") == ["Stealth Lab"]
    with django_capture_on_commit_callbacks(execute=True):
        entity.status = "draft"
        entity.save()
    assert titles(client, "stealth") == []


def test_an_alias_added_later_finds_its_entity(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entity = EntityFactory(name="SenseTime")
    assert titles(client, "商汤") == []
    with django_capture_on_commit_callbacks(execute=True):
        AliasFactory(entity=entity, name="商汤科技")
    assert titles(client, "商汤") == ["SenseTime"]


def test_renaming_an_entity_updates_the_claims_it_made(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claimant = EntityFactory(name="Tekedia")
        ClaimFactory(claimant=claimant, statement="Developers face significant challenges")
    with django_capture_on_commit_callbacks(execute=True):
        claimant.name = "Tekedia Insights"
        claimant.save()
    entry = SearchEntry.objects.get(kind="claim")
    assert entry.keywords == "Tekedia Insights"


def test_links_update_the_facets(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(title="Zhipu courts OpenAI developers")
        zhipu = EntityFactory(name="Zhipu AI")
        event = EventFactory(title="Zhipu launches a migration plan")
    with django_capture_on_commit_callbacks(execute=True):
        Mention.objects.create(article=article, entity=zhipu)
        Participation.objects.create(event=event, entity=zhipu, role="launched")
    data = client.get(reverse("search"), {"q": "zhipu", "entity": zhipu.slug, "format": "json"})
    kinds = sorted(r["kind"] for r in data.json()["results"])
    assert kinds == ["article", "entity", "event"]


def test_deleting_removes_the_entry(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entity = EntityFactory(name="Shortlived Startup")
    with django_capture_on_commit_callbacks(execute=True):
        entity.delete()
    assert not SearchEntry.objects.filter(kind="entity").exists()


def test_the_admin_publish_action_reaches_the_index(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entity = EntityFactory(name="Baichuan", status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            reverse("admin:entities_entity_changelist"),
            {"action": "publish", "_selected_action": [entity.pk]},
        )
    assert SearchEntry.objects.filter(kind="entity", object_id=entity.pk).exists()


def test_reindex_rebuilds_everything(client):
    # Rows created with queryset.update() or raw SQL bypass the signals; reindex catches up.
    EntityFactory(name="Minimax")
    ArticleFactory(title="Minimax raises funds")
    SearchEntry.objects.all().delete()
    call_command("reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(titles(client, "minimax")) == ["Minimax", "Minimax raises funds"]


def test_seeding_fills_the_index(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed", verbosity=0)
    assert "SenseTime" in titles(client, "sensetime")
    assert SearchEntry.objects.filter(kind="claim").count() >= 15
