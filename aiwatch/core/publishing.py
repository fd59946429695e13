"""What every public thing in aiwatch shares: a workflow status, a version and timestamps.

Articles, entities, events and claims start as drafts, go to review, and are
published by a chief editor; a withdrawn item is kept but its public page
answers 410. Only published rows reach the public pages: views get their rows
through `Model.objects.published()` so nothing else can leak by a forgotten
filter. `version` counts saves, for the admin's optimistic edit check.
"""

from django.db import models

from aiwatch.core.markup import render_markdown


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def drafts(self):
        return self.filter(status=Status.DRAFT)

    def in_review(self):
        """Waiting for a chief editor to publish them."""
        return self.filter(status=Status.REVIEW)

    def withdrawn(self):
        return self.filter(status=Status.WITHDRAWN)


class Publishable(models.Model):
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values),
                name="%(app_label)s_%(class)s_status_valid",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class RendersMarkdown(models.Model):
    """Keeps `<field>_html` in step with each markdown field listed in MARKDOWN_FIELDS."""

    MARKDOWN_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        for field in self.MARKDOWN_FIELDS:
            setattr(self, f"{field}_html", render_markdown(getattr(self, field)))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                *(f"{f}_html" for f in self.MARKDOWN_FIELDS if f in update_fields),
            }
        super().save(*args, **kwargs)
