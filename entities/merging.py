"""Merging duplicate entities, as the admin's merge action does it.

A merge rewrites links across several models and deletes a row, so it is one
service function: one transaction, one revision to undo it by, the
duplicate's URLs kept answering, and the seed told where the duplicate went.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from aiwatch.core.history import recorded, snapshot
from aiwatch.core.models import OldSlug, SeededKey
from aiwatch.core.publishing import Status
from entities.models import Alias, Claim, ClaimEntity, Entity, Mention, Participation

# How the revision that keeps the state before a merge begins; recovering the
# duplicate from it also gives back what the merge moved (undo_merge).
BEFORE_MERGE = "Before merging"


class MergeRefused(ValueError):
    """A merge that would take a page away from readers."""


def merge_entities(*, survivor: Entity, duplicate: Entity, user=None) -> Entity:
    """Fold `duplicate` into `survivor`: links, claims and aliases move; the duplicate goes.

    Its name becomes an alias of the survivor and its URL answers a 301 to the
    survivor's; if the seed made it, later seeds leave it merged and send the
    graph file's links to it to the survivor. The state before the merge is
    saved as its own revision in the history, so recovering the duplicate
    undoes the merge. Raises MergeRefused when the duplicate is published and
    the survivor is not: its readers would be sent to a page they cannot see.
    """
    if survivor.pk == duplicate.pk:
        raise ValueError("An entity cannot be merged into itself.")
    with transaction.atomic():
        # The statuses as they are now, held until the merge commits.
        status = dict(
            Entity.objects.select_for_update()
            .filter(pk__in=[survivor.pk, duplicate.pk])
            .values_list("pk", "status")
        )
        published = Status.PUBLISHED
        if status.get(duplicate.pk) == published and status.get(survivor.pk) != published:
            raise MergeRefused(
                f"“{duplicate}” is published and “{survivor}” is not, so its page would "
                f"send readers to a page they cannot see. Publish “{survivor}” first, or "
                f"keep “{duplicate}”. Nothing was merged."
            )
        snapshot(
            [
                survivor,
                duplicate,
                *Claim.objects.filter(claimant=duplicate),
                *ClaimEntity.objects.filter(entity=duplicate),
            ],
            comment=f"{BEFORE_MERGE} “{duplicate}” into “{survivor}”",
            user=user,
        )
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


def undo_merge(*, version) -> int:
    """After an entity merged away is recovered from `version`, give back what the merge moved.

    Its aliases, mentions and roles come back with it (they belong to it); the
    claims it made and its "about" links belong to claims, so they are moved
    back here: only those that still point at the survivor, so that what an
    editor reassigned since stays. Does nothing for a version not saved by a
    merge. Returns how many rows moved back.
    """
    revision = version.revision
    if not revision.comment.startswith(BEFORE_MERGE):
        return 0
    versions = list(revision.version_set.all())
    returned = int(version.object_id)
    entity_type = ContentType.objects.get_for_model(Entity).pk
    survivors = {int(v.object_id) for v in versions if v.content_type_id == entity_type}
    survivors.discard(returned)
    # The rows a merge moves that are not the entity's own links: (model, field).
    moved_by_merge = {
        ContentType.objects.get_for_model(model).pk: (model, field)
        for model, field in [(Claim, "claimant"), (ClaimEntity, "entity")]
    }
    moved = 0
    for v in versions:
        model, field = moved_by_merge.get(v.content_type_id, (None, None))
        if model is None or v.field_dict[f"{field}_id"] != returned:
            continue
        for row in model.objects.filter(pk=v.object_id, **{f"{field}_id__in": survivors}):
            setattr(row, f"{field}_id", returned)
            try:
                with transaction.atomic():
                    row.save(update_fields=[field])
            except IntegrityError:
                continue  # the survivor's own link to the same claim; it stays theirs
            moved += 1
    return moved
