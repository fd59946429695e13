from django.contrib import admin

from aiwatch.publishing import Status

admin.site.site_header = "aiwatch editors"
admin.site.site_title = "aiwatch admin"
admin.site.index_title = "Curate the story"


class PublishingAdminMixin:
    """Status filter, bulk publish/unpublish and "view on site" for publishable models."""

    actions = ["publish", "unpublish"]

    @admin.action(description="Publish the selected items")
    def publish(self, request, queryset):
        count = self._set_status(queryset, Status.PUBLISHED)
        self.message_user(request, f"{count} item(s) published.")

    @admin.action(description="Return the selected items to draft")
    def unpublish(self, request, queryset):
        count = self._set_status(queryset, Status.DRAFT)
        self.message_user(request, f"{count} item(s) returned to draft.")

    @staticmethod
    def _set_status(queryset, status) -> int:
        # One save() per row rather than queryset.update(), so that the search
        # index (and anything else listening to saves) sees the change.
        changed = list(queryset.exclude(status=status))
        for obj in changed:
            obj.status = status
            obj.save(update_fields=["status", "updated_at"])
        return len(changed)
