"""The base's one table: the slugs things used to have."""

from django.db import models


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
