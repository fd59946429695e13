"""The base's tables: the slugs things used to have, and the rows the seed has made."""

from django.db import models
from django.db.models import Q


class OldSlug(models.Model):
    """A slug something used to have, so that links shared before a rename keep working.

    Written by aiwatch.core.slugs when a slug changes; read by the detail views, which
    answer an old slug with a 301 to the current page. Rows are never deleted
    unless the same object takes the slug back.
    """

    model = models.CharField(max_length=64, help_text="app_label.model_name")
    slug = models.SlugField(max_length=80)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "slug"], name="old_slug_unique_per_model"),
        ]

    def __str__(self):
        return f"{self.model}:{self.slug} → {self.object_id}"

    def get_absolute_url(self):
        from django.apps import apps

        return apps.get_model(self.model)._default_manager.get(pk=self.object_id).get_absolute_url()


class SeededKeyQuerySet(models.QuerySet):
    def record_merge(self, duplicate, *, into) -> None:
        """`duplicate` is being folded into `into`: its key, and any merged into it, now lead there.

        Called before the duplicate is deleted. Hides one query, three for a seeded row.
        """
        label = duplicate._meta.label_lower
        mine = Q(object_id=duplicate.pk) | Q(merged_into=duplicate.pk)
        if duplicate.seed_key:
            mine |= Q(key=duplicate.seed_key)
            self.get_or_create(
                model=label, key=duplicate.seed_key, defaults={"object_id": duplicate.pk}
            )
        self.filter(mine, model=label).update(merged_into=into.pk)


class SeededKey(models.Model):
    """A key the seed gave a row, kept for good: what the seed made once, it never makes again.

    The seed finds its rows by their `seed_key`; this record is how it knows
    that a key it cannot find was seeded and then deleted or merged away by an
    editor, rather than new in the graph file. Written by aiwatch.core.seeding
    and, for merges, by the merge service; like OldSlug, it names rows by id,
    since the base imports no app.
    """

    model = models.CharField(max_length=64, help_text="app_label.model_name")
    key = models.CharField(max_length=80)
    object_id = models.BigIntegerField(
        null=True, blank=True, help_text="The row the seed made, or found and took for the key."
    )
    merged_into = models.BigIntegerField(
        null=True, blank=True, help_text="The row an editor merged it into, if merged."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SeededKeyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="seeded_key_unique_per_model"),
        ]

    def __str__(self):
        return f"{self.model}:{self.key}"

    def get_absolute_url(self):
        """The page of the row the key now leads to; "" when it is gone."""
        from django.apps import apps

        model = apps.get_model(self.model)
        row = model._default_manager.filter(pk=self.merged_into or self.object_id).first()
        return row.get_absolute_url() if row else ""
