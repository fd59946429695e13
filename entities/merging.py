"""Merging duplicate entities, as the admin's merge action does it.

A merge rewrites links across several models and deletes a row, so it is one
service function: one transaction, one revision to undo it by, the
duplicate's URLs kept answering, and the seed told where the duplicate went.
"""

import reversion
from django.db import transaction

from aiwatch.core.history import recorded
from aiwatch.core.models import OldSlug, SeededKey
from entities.models import Alias, Claim, ClaimEntity, Entity, Mention, Participation


def merge_entities(*, survivor: Entity, duplicate: Entity, user=None) -> Entity:
    """Fold `duplicate` into `survivor`: links, claims and aliases move; the duplicate goes.

    Its name becomes an alias of the survivor and its URL answers a 301 to the
    survivor's; if the seed made it, later seeds leave it merged and send
    the graph file's links to it to the survivor. The state before the merge
    is saved as its own revision in the history, so reverting to it undoes
    the merge.
    """
    if survivor.pk == duplicate.pk:
        raise ValueError("An entity cannot be merged into itself.")
    with transaction.atomic():
        with reversion.create_revision():
            reversion.set_comment(f"Before merging “{duplicate}” into “{survivor}”")
            if user is not None:
                reversion.set_user(user)
            for obj in [survivor, duplicate, *Claim.objects.filter(claimant=duplicate)]:
                reversion.add_to_revision(obj)
        with recorded(f"Merged “{duplicate}” into “{survivor}”", user=user):
            _move_links(survivor, duplicate)
            Alias.objects.get_or_create(entity=survivor, name=duplicate.name, language="en")
            old_slug, old_pk = duplicate.slug, duplicate.pk
            SeededKey.objects.record_merge(duplicate, into=survivor)
            duplicate.delete()
            label = Entity._meta.label_lower
            # The duplicate's URLs, current and past, now lead to the survivor.
            OldSlug.objects.filter(model=label, object_id=old_pk).update(object_id=survivor.pk)
            OldSlug.objects.update_or_create(
                model=label, slug=old_slug, defaults={"object_id": survivor.pk}
            )
            survivor.save()
    return survivor


def _move_links(survivor: Entity, duplicate: Entity) -> None:
    """Repoint every link of `duplicate` at `survivor`, dropping the ones it already has."""
    for model, unique_with in [
        (Mention, ("article",)),
        (Participation, ("event", "role")),
        (ClaimEntity, ("claim",)),
        (Alias, ("name", "language")),
    ]:
        for link in model.objects.filter(entity=duplicate):
            same = {k: getattr(link, k) for k in unique_with}
            if model.objects.filter(entity=survivor, **same).exists():
                link.delete()
            else:
                link.entity = survivor
                link.save()
    for claim in Claim.objects.filter(claimant=duplicate):
        claim.claimant = survivor
        claim.save()
