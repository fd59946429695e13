"""Reverting or recovering one object restores it and its own links, never its revision's others.

The seed, an import or a merge records many objects in one revision; going
back to one of them must not bring back the rest of that revision over what
other editors did since.
"""

import pytest
import reversion
from django.core.management import call_command
from reversion.models import Version

from aiwatch.core.publishing import Status
from articles.models import Article
from entities.models import Alias, Claim, Entity, Mention, Participation
from tests.core.test_permissions_every_path import admin_url, form_values, recover, revert
from tests.factories import AliasFactory, ArticleFactory, ClaimFactory, EntityFactory

pytestmark = pytest.mark.django_db

ENTITY_LINKS = (Alias, Mention, Participation)  # EntityContent.follow


def snapshot() -> dict[tuple[str, object], dict]:
    """Every row of every model the history records, by (model, pk)."""
    return {
        (model._meta.label, row["pk"]): row
        for model in reversion.get_registered_models()
        for row in model._default_manager.values("pk", *(f.attname for f in model._meta.fields))
    }


def without(rows: dict, entity: Entity) -> dict:
    """`rows` less the entity and the links that belong to it."""
    own = {(Entity._meta.label, entity.pk)}
    for model in ENTITY_LINKS:
        own |= {
            (model._meta.label, pk)
            for pk in model.objects.filter(entity=entity).values_list("pk", flat=True)
        }
    return {key: row for key, row in rows.items() if key not in own}


def edit(client, obj, **changes):
    """Save the admin's change form of `obj` with `changes`, as its page renders it."""
    url = admin_url(obj, "change", obj.pk)
    response = client.post(url, {**form_values(client.get(url).content.decode()), **changes})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_reverting_a_seeded_entity_leaves_every_other_row_as_editors_left_it(
    client, editor_only, chief_editor
):
    # The reproduction: the seed is one revision of ~300 rows, and an
    # Editor's revert of SenseTime brought back a withdrawn claim and undid a
    # chief editor's title correction.
    call_command("seed", verbosity=0)
    sensetime = Entity.objects.get(slug="sensetime")
    seeded = Version.objects.get_for_object(sensetime).get()
    assert seeded.revision.version_set.count() > 100
    claim = Claim.objects.get(slug="sensetime-shares-soared-in-april")
    article = Article.objects.filter(mentions__entity=sensetime).first()

    client.force_login(chief_editor)
    client.post(
        admin_url(Claim, "changelist"), {"action": "withdraw", "_selected_action": [claim.pk]}
    )
    edit(client, article, title="SenseTime’s shares surge (corrected)")
    client.force_login(editor_only)
    edit(client, sensetime, description="Vandalised.")
    claim.refresh_from_db()
    article.refresh_from_db()
    assert claim.status == Status.WITHDRAWN
    assert article.title == "SenseTime’s shares surge (corrected)"
    before = without(snapshot(), sensetime)

    assert revert(client, sensetime, seeded).status_code == 302

    sensetime.refresh_from_db()
    assert sensetime.description == seeded.field_dict["description"] != "Vandalised."
    assert sensetime.aliases.exists() and sensetime.mentions.exists()
    after = without(snapshot(), sensetime)
    changed = sorted(
        key for key in before.keys() | after.keys() if before.get(key) != after.get(key)
    )
    assert changed == [], "rows outside SenseTime and its links changed"


def one_revision(*objects):
    with reversion.create_revision():
        for obj in objects:
            obj.save()


def test_reverting_one_entity_of_a_revision_keeps_the_others_edits(client, editor_only):
    zhipu, baidu = EntityFactory(name="Zhipu"), EntityFactory(name="Baidu")
    AliasFactory(entity=zhipu, name="智谱")
    claim = ClaimFactory(claimant=baidu, status=Status.PUBLISHED)
    one_revision(zhipu, baidu, claim)
    first = Version.objects.get_for_object(zhipu).get()
    with reversion.create_revision():
        Entity.objects.filter(pk=baidu.pk).update(name="Baidu, Inc.")
        claim.status = Status.WITHDRAWN
        claim.save()
        zhipu.name = "Zhipu (vandalised)"
        zhipu.save()
        zhipu.aliases.all().delete()
        AliasFactory(entity=zhipu, name="spam")

    client.force_login(editor_only)
    assert revert(client, zhipu, first).status_code == 302

    zhipu.refresh_from_db()
    assert zhipu.name == "Zhipu"
    assert [a.name for a in zhipu.aliases.all()] == ["智谱"], "its own links, as they were"
    assert Entity.objects.get(pk=baidu.pk).name == "Baidu, Inc."
    assert Claim.objects.get(pk=claim.pk).status == Status.WITHDRAWN


def test_recovering_one_entity_of_a_revision_keeps_the_others_edits(client, editor_only):
    gone, other = EntityFactory(name="Stealth Lab", status=Status.DRAFT), EntityFactory()
    AliasFactory(entity=gone, name="隐形实验室")
    article = ArticleFactory(title="Before")
    one_revision(gone, other, article)
    version = Version.objects.get_for_object(gone).get()
    Entity.objects.filter(pk=other.pk).update(name="Renamed since")
    Article.objects.filter(pk=article.pk).update(title="Corrected since")
    gone.delete()

    client.force_login(editor_only)
    recover(client, Entity, version)

    restored = Entity.objects.get(name="Stealth Lab")
    assert [a.name for a in restored.aliases.all()] == ["隐形实验室"]
    assert Entity.objects.get(pk=other.pk).name == "Renamed since"
    assert Article.objects.get(pk=article.pk).title == "Corrected since"


def test_the_revert_preview_changes_nothing(client, editor_only):
    zhipu, baidu = EntityFactory(name="Zhipu"), EntityFactory(name="Baidu")
    one_revision(zhipu, baidu)
    first = Version.objects.get_for_object(zhipu).get()
    one_revision(zhipu)
    Entity.objects.filter(pk=zhipu.pk).update(name="Zhipu AI")
    client.force_login(editor_only)
    page = client.get(admin_url(zhipu, "revision", zhipu.pk, first.pk)).content.decode()
    assert 'value="Zhipu"' in page
    assert Entity.objects.get(pk=zhipu.pk).name == "Zhipu AI"
