"""`manage.py seed` (what `make run` runs) after editors have renamed, merged and deleted rows.

Every seeded row carries the graph file's name for it, its seed key; the seed
finds its rows by that key, whatever their slug has become, and remembers the
keys it gave out, so a row an editor merged away or deleted stays gone.
"""

import importlib
import io
import tomllib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from aiwatch.core.models import OldSlug
from articles.models import Article, Republication, Source
from entities.merging import merge_entities
from entities.models import (
    Alias,
    Claim,
    ClaimEntity,
    ClaimEvent,
    ClaimRelation,
    Entity,
    Event,
    EventSource,
    Mention,
    Participation,
)

# Each test starts from one seed, made once for the module and rolled back after it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_once")]

GRAPH = Path(settings.BASE_DIR) / "seeds" / "graph.toml"
SEEDED = {
    Source: "sources",
    Article: "articles",
    Entity: "entities",
    Event: "events",
    Claim: "claims",
}
ALL_MODELS = (
    *SEEDED,
    Alias,
    Mention,
    Participation,
    EventSource,
    ClaimEntity,
    ClaimEvent,
    ClaimRelation,
)


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The real seed, run once for the module; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed", verbosity=0)
        yield
        transaction.set_rollback(True)


def seed() -> str:
    out = io.StringIO()
    call_command("seed", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def graph_file() -> dict:
    with open(GRAPH, "rb") as handle:
        return tomllib.load(handle)


def change_form_data(client, url: str) -> dict:
    """What the admin's change form would post back unchanged, inlines included."""
    context = client.get(url).context
    forms = [context["adminform"].form]
    data = {}
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value not in (None, False):
                data[form.add_prefix(name)] = value
    return data


def rename_in_admin(client, entity: Entity, slug: str) -> None:
    url = reverse("admin:entities_entity_change", args=[entity.pk])
    data = change_form_data(client, url)
    data["slug"] = slug
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def merge_in_admin(client, survivor: Entity, duplicate: Entity) -> None:
    url = reverse("admin:entities_entity_changelist")
    response = client.post(
        url,
        {
            "action": "merge",
            "_selected_action": [survivor.pk, duplicate.pk],
            "survivor": survivor.pk,
        },
    )
    assert response.status_code == 302


def delete_in_admin(client, obj) -> None:
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not type(obj).objects.filter(pk=obj.pk).exists()


def test_renamed_merged_and_deleted_entities_stay_as_the_editor_left_them(editor_client):
    sensetime = Entity.objects.get(slug="sensetime")
    rename_in_admin(editor_client, sensetime, "sensetime-group")
    baidu, zhipu = Entity.objects.get(slug="baidu"), Entity.objects.get(slug="zhipu-ai")
    merge_in_admin(editor_client, baidu, zhipu)
    shanghai = Entity.objects.get(slug="shanghai")
    # The mentions protect the entity; an editor removes them first.
    for mention in shanghai.mentions.all():
        mention.delete()
    delete_in_admin(editor_client, shanghai)
    before = row_counts()

    out = seed()

    assert row_counts() == before, "the seed recreated what editors had changed"
    assert Entity.objects.get(pk=sensetime.pk).slug == "sensetime-group"
    assert not Entity.objects.filter(slug="sensetime").exists()
    assert Entity.objects.filter(name="SenseTime").count() == 1
    assert not Entity.objects.filter(name__in=["Zhipu AI", "Shanghai"]).exists()
    assert not Entity.objects.filter(slug__in=["zhipu-ai", "shanghai"]).exists()
    assert "Left as the editor left it:" in out
    assert "entity 'sensetime': renamed to 'sensetime-group'" in out
    assert "entity 'zhipu-ai': merged into Baidu ('baidu')" in out
    assert "entity 'shanghai': deleted" in out


def _rename(model, slug: str) -> str:
    obj = model.objects.get(slug=slug)
    obj.slug = f"{slug[:60]}-renamed"
    obj.save()
    return obj.slug


@pytest.mark.parametrize(
    "model, slug",
    [
        (Source, "tekedia"),
        (Article, "openai-blocks-chinese-users"),
        (Entity, "openai"),
        (Event, "openai-block-takes-effect"),
        (Claim, "vpns-will-not-get-around-block"),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_a_renamed_row_of_any_kind_is_found_by_its_key(model, slug):
    renamed = _rename(model, slug)
    before = row_counts()

    out = seed()

    assert row_counts() == before
    assert model.objects.filter(slug=renamed).exists()
    assert not model.objects.filter(slug=slug).exists()
    assert f"'{slug}': renamed to '{renamed}'" in out


def test_a_deleted_event_and_claim_are_not_recreated_nor_their_links():
    event = Event.objects.get(slug="openai-block-takes-effect")
    claim = Claim.objects.get(slug="vpns-will-not-get-around-block")
    for link in [
        *event.participations.all(),
        *event.event_sources.all(),
        *event.claim_links.all(),
        *claim.entity_links.all(),
        *claim.event_links.all(),
        *claim.relations_out.all(),
        *claim.relations_in.all(),
    ]:
        link.delete()
    event.delete()
    claim.delete()
    before = row_counts()

    out = seed()

    assert row_counts() == before
    assert not Event.objects.filter(slug="openai-block-takes-effect").exists()
    assert not Claim.objects.filter(slug="vpns-will-not-get-around-block").exists()
    assert "event 'openai-block-takes-effect': deleted" in out
    assert "claim 'vpns-will-not-get-around-block': deleted" in out


def test_a_deleted_article_is_not_imported_again_and_links_to_it_are_skipped():
    article = Article.objects.get(slug="openai-china-block-local-ai-boom")
    claims = list(article.claims.all())
    ClaimRelation.objects.filter(source__in=claims).delete()
    ClaimRelation.objects.filter(target__in=claims).delete()
    ClaimEntity.objects.filter(claim__in=claims).delete()
    ClaimEvent.objects.filter(claim__in=claims).delete()
    for claim in claims:
        claim.delete()
    article.mentions.all().delete()
    article.event_sources.all().delete()
    Republication.objects.filter(copy=article).delete()
    Republication.objects.filter(original=article).delete()
    article.delete()
    before = row_counts()

    out = seed()

    assert row_counts() == before
    assert "article 'openai-china-block-local-ai-boom': deleted" in out
    # Its claims, the mentions of it and the event sources citing it are all left out.
    assert "claim 'vpns-will-not-get-around-block': deleted" in out
    assert "skipped" in out


def graph_with(tmp_path, extra: str) -> str:
    """A copy of the seed graph with `extra` entries at its end; the captures are shared."""
    graph = tmp_path / "graph.toml"
    graph.write_text(GRAPH.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    (tmp_path / "articles").symlink_to(GRAPH.parent / "articles")
    return str(graph)


NEW_CLAIM = """
[[claims]]
slug = "a-claim-added-later"
statement = "Nobody can get around the block."
claimant = "{claimant}"
article = "openai-china-block-local-ai-boom"
quote = "Even VPNs won’t help you get around this one."
kind = "opinion"
about_entities = ["{about}", "openai"]
"""


def test_new_entries_linking_to_a_merged_entity_link_to_the_survivor(tmp_path):
    china, hong_kong = Entity.objects.get(slug="china"), Entity.objects.get(slug="hong-kong")
    merge_entities(survivor=china, duplicate=hong_kong)
    graph = graph_with(tmp_path, NEW_CLAIM.format(claimant="hong-kong", about="hong-kong"))

    out = io.StringIO()
    call_command("seed", "--graph", graph, stdout=out)

    assert not Entity.objects.filter(slug="hong-kong").exists()
    assert not Entity.objects.filter(name="Hong Kong").exists()
    assert "entity 'hong-kong': merged into China ('china')" in out.getvalue()
    added = Claim.objects.get(seed_key="a-claim-added-later")
    assert added.claimant == china
    assert set(added.about_entities.values_list("slug", flat=True)) == {"china", "openai"}


def test_new_entries_linking_to_a_deleted_entity_are_left_out(tmp_path):
    shanghai = Entity.objects.get(slug="shanghai")
    shanghai.mentions.all().delete()
    shanghai.delete()
    graph = graph_with(
        tmp_path,
        NEW_CLAIM.format(claimant="shanghai", about="openai")
        + NEW_CLAIM.format(claimant="openai", about="shanghai").replace(
            "a-claim-added-later", "another-claim-added-later"
        ),
    )

    out = io.StringIO()
    call_command("seed", "--graph", graph, stdout=out)

    # Its claimant gone, the first claim cannot be made; the second loses only its link.
    assert not Claim.objects.filter(seed_key="a-claim-added-later").exists()
    assert "claim 'a-claim-added-later': not created: its claimant 'shanghai' was deleted" in (
        out.getvalue()
    )
    other = Claim.objects.get(seed_key="another-claim-added-later")
    assert list(other.about_entities.values_list("slug", flat=True)) == ["openai"]
    assert not Entity.objects.filter(slug="shanghai").exists()


def test_a_key_merged_twice_follows_the_last_survivor():
    from aiwatch.core.models import SeededKey

    beijing, shanghai, china = (
        Entity.objects.get(slug=s) for s in ("beijing", "shanghai", "china")
    )
    merge_entities(survivor=shanghai, duplicate=beijing)
    merge_entities(survivor=china, duplicate=shanghai)

    out = seed()

    assert SeededKey.objects.get(model="entities.entity", key="beijing").merged_into == china.pk
    assert "entity 'beijing': merged into China ('china')" in out
    assert "entity 'shanghai': merged into China ('china')" in out
    assert not Entity.objects.filter(slug__in=["beijing", "shanghai"]).exists()


def test_a_fresh_database_gets_the_full_story_each_row_with_its_key():

    graph = graph_file()
    for model, section in SEEDED.items():
        keys = {entry["slug"] for entry in graph[section]}
        assert set(model.objects.values_list("seed_key", flat=True)) == keys, model
        # Until an editor renames them, the slugs are the keys.
        assert set(model.objects.values_list("slug", flat=True)) == keys, model


def test_a_second_plain_seed_creates_nothing_and_leaves_nothing_out():
    before = row_counts()

    out = seed()

    assert row_counts() == before
    assert "Left as the editor left it" not in out
    assert out.rstrip().endswith("Done: nothing to create; everything already existed.")


def test_a_merge_undone_from_the_history_gives_the_row_back_to_the_seed():
    from reversion.models import Version

    baidu, zhipu = Entity.objects.get(slug="baidu"), Entity.objects.get(slug="zhipu-ai")
    zhipu_pk = zhipu.pk
    merge_entities(survivor=baidu, duplicate=zhipu)
    before_merging = Version.objects.get_deleted(Entity).first().revision
    assert before_merging.get_comment().startswith("Before merging")
    before_merging.revert(delete=True)
    assert Entity.objects.filter(pk=zhipu_pk, seed_key="zhipu-ai").exists()
    entities = Entity.objects.count()

    out = seed()

    assert Entity.objects.count() == entities
    assert "'zhipu-ai'" not in out, "it is neither merged nor renamed any more"


def test_a_row_whose_key_a_revert_took_away_is_still_known():
    sensetime = Entity.objects.get(slug="sensetime")
    # A version recorded before rows had keys, reverted to, saves the row without one.
    Entity.objects.filter(pk=sensetime.pk).update(seed_key=None, slug="sensetime-group")
    before = row_counts()

    seed()

    assert row_counts() == before
    sensetime.refresh_from_db()
    assert (sensetime.slug, sensetime.seed_key) == ("sensetime-group", "sensetime")


def test_a_new_entry_whose_slug_a_renamed_row_took_gets_a_free_slug(tmp_path):
    Entity.objects.filter(slug="china").update(slug="prc")
    graph = graph_with(tmp_path, '[[entities]]\nslug = "prc"\nname = "PRC"\nkind = "place"\n')

    call_command("seed", "--graph", graph, stdout=io.StringIO())

    assert Entity.objects.get(seed_key="china").slug == "prc"
    assert Entity.objects.get(seed_key="prc").slug == "prc-2"


def _backfill_migration(app: str):
    folder = Path(apps.get_app_config(app).path) / "migrations"
    (path,) = folder.glob("*_seed_keys.py")
    return importlib.import_module(f"{app}.migrations.{path.stem}")


def test_the_migration_gives_existing_rows_their_keys_and_remembers_merges():
    from aiwatch.core.models import SeededKey

    # A database seeded before rows had keys, where an editor renamed SenseTime
    # and merged Zhipu AI into Baidu.
    for model in SEEDED:
        model.objects.update(seed_key=None)
    SeededKey.objects.all().delete()
    sensetime = Entity.objects.get(slug="sensetime")
    sensetime.slug = "sensetime-group"
    sensetime.save()
    merge_entities(
        survivor=Entity.objects.get(slug="baidu"), duplicate=Entity.objects.get(slug="zhipu-ai")
    )
    SeededKey.objects.all().delete()
    editor_made = Entity.objects.create(slug="not-in-the-file", name="Editor's", kind="company")

    _backfill_migration("articles").backfill_seed_keys(apps, None)
    _backfill_migration("entities").backfill_seed_keys(apps, None)

    assert Entity.objects.get(pk=sensetime.pk).seed_key == "sensetime"
    assert Entity.objects.get(pk=editor_made.pk).seed_key is None
    assert Article.objects.get(slug="openai-blocks-chinese-users").seed_key == (
        "openai-blocks-chinese-users"
    )
    assert Source.objects.get(slug="tekedia").seed_key == "tekedia"
    assert SeededKey.objects.get(model="entities.entity", key="zhipu-ai").merged_into == (
        Entity.objects.get(slug="baidu").pk
    )
    before = row_counts()
    assert "merged into Baidu" in seed()
    assert row_counts() == before
    assert OldSlug.objects.filter(slug="zhipu-ai").exists()


def test_an_article_an_editor_corrected_does_not_stop_the_seed():
    article = Article.objects.get(slug="openai-china-block-local-ai-boom")
    article.body = article.body.replace("Even VPNs won’t help you", "Even VPNs will not help you")
    article.save()
    before = row_counts()

    out = seed()

    # The claim quoting the old words is the editor's now (flagged for review), not the file's.
    assert row_counts() == before
    assert Claim.objects.get(seed_key="vpns-will-not-get-around-block").needs_review
    assert out.rstrip().endswith("Done: nothing to create; everything already existed.")
