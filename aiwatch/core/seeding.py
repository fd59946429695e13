"""How the seed knows its rows after editors have renamed, merged or deleted them.

A row the seed makes carries `seed_key`, the graph file's name for its entry,
which never changes; its slug is the editor's to change. The seed also records
each key it gives out (aiwatch.core.models.SeededKey), so a key it can no
longer find is one an editor removed, not one to create again:

- a row with the key: the seed's row, whatever its slug, left as it is;
- no such row, but the key was given out: deleted, or merged into another row
  (the merge service records which), and left that way;
- neither: a new entry, or one whose row an editor made before the seed did
  (found by its slug, current or former, and given the key from now on).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.db.models import Q


class Seedable(models.Model):
    """A kind of row the seed makes. Spread Seedable.Meta.constraints into the model's own."""

    # NULL rather than "": a row the seed did not make has no key at all, and
    # keys are unique among the rows that have one.
    seed_key = models.CharField(  # noqa: DJ001
        max_length=80,
        null=True,
        blank=True,
        editable=False,
        help_text="The seed file's name for this row; it never changes, so the seed finds "
        "the row whatever its slug becomes. Empty for rows the seed did not make.",
    )

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["seed_key"],
                condition=Q(seed_key__isnull=False),
                name="%(app_label)s_%(class)s_seed_key_unique",
            ),
        ]


class Fate(StrEnum):
    NEW = "new"  # never seeded: create it
    EXISTING = "existing"  # the seed's row is there
    MERGED = "merged"  # an editor merged it into another row
    DELETED = "deleted"  # an editor deleted it


@dataclass(frozen=True)
class Seeded:
    """What became of the row a seed key names."""

    model: type[models.Model]
    key: str
    fate: Fate
    # The row the file's links to the key go to: the key's own row, or the one it
    # was merged into; None when there is none.
    row: models.Model | None = None

    @property
    def left_alone(self) -> str:
        """Why the seed leaves the key's entry as an editor left it; "" when there is no reason."""
        if self.fate == Fate.EXISTING and self.row.slug != self.key:
            return f"renamed to {self.row.slug!r}"
        if self.fate == Fate.MERGED:
            return f"merged into {self.row} ({self.row.slug!r}); the file's links to it go there"
        if self.fate == Fate.DELETED:
            return "deleted; not made again, and the file's links to it are skipped"
        return ""

    @property
    def label(self) -> str:
        """The entry as the seed's summary names it: entity 'sensetime'."""
        return f"{self.model._meta.verbose_name} {self.key!r}"


def find_seeded(model, key: str, *, adopt: Q | None = None) -> Seeded:
    """The fate of `key` among `model`'s rows; see the module doc.

    `adopt` finds a row that was not seeded but is the entry's (by default:
    its slug is the key, now or formerly); it is given the key. Hides two
    to six queries.
    """
    from aiwatch.core.models import OldSlug, SeededKey

    rows = model._default_manager
    label = model._meta.label_lower
    row = rows.filter(seed_key=key).first()
    record = SeededKey.objects.filter(model=label, key=key).first()
    if row is None and record is not None and record.object_id is not None:
        # Reverting to a version recorded before the row had a key takes the key
        # away; the row is still the one the seed made.
        row = rows.filter(pk=record.object_id, seed_key__isnull=True).first()
        if row is not None:
            _give_key(row, key)
    if row is not None:
        if record is None:
            SeededKey.objects.create(model=label, key=key, object_id=row.pk)
        elif (record.object_id, record.merged_into) != (row.pk, None):
            # The row is back (a merge undone from the history, say).
            SeededKey.objects.filter(pk=record.pk).update(object_id=row.pk, merged_into=None)
        return Seeded(model, key, Fate.EXISTING, row)
    if record is not None:
        survivor = rows.filter(pk=record.merged_into).first() if record.merged_into else None
        if survivor is not None:
            return Seeded(model, key, Fate.MERGED, survivor)
        return Seeded(model, key, Fate.DELETED)
    unkeyed = rows.filter(seed_key__isnull=True)
    if adopt is None:
        row = unkeyed.filter(slug=key).first()
        if row is None:
            former = OldSlug.objects.filter(model=label, slug=key)
            row = unkeyed.filter(pk__in=former.values("object_id")).first()
    else:
        row = unkeyed.filter(adopt).first()
    if row is None:
        return Seeded(model, key, Fate.NEW)
    _give_key(row, key)
    SeededKey.objects.create(model=label, key=key, object_id=row.pk)
    return Seeded(model, key, Fate.EXISTING, row)


def _give_key(row, key: str) -> None:
    # An update, not a save: the row is the editor's, and nothing they see changes.
    type(row)._default_manager.filter(pk=row.pk).update(seed_key=key)
    row.seed_key = key


def record_seeded(row) -> None:
    """Remember that the seed made `row` under its seed key. Hides two queries."""
    from aiwatch.core.models import SeededKey

    SeededKey.objects.update_or_create(
        model=row._meta.label_lower,
        key=row.seed_key,
        defaults={"object_id": row.pk, "merged_into": None},
    )


def free_slug(model, key: str) -> str:
    """The key as a new row's slug, unless another row has it now or had it; then a free one."""
    from aiwatch.core.models import OldSlug
    from aiwatch.core.slugs import unique_slug

    taken = model._default_manager.filter(slug=key).exists() or (
        OldSlug.objects.filter(model=model._meta.label_lower, slug=key).exists()
    )
    return unique_slug(model, key) if taken else key
