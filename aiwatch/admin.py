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
        count = queryset.exclude(status=Status.PUBLISHED).update(status=Status.PUBLISHED)
        self.message_user(request, f"{count} item(s) published.")

    @admin.action(description="Return the selected items to draft")
    def unpublish(self, request, queryset):
        count = queryset.exclude(status=Status.DRAFT).update(status=Status.DRAFT)
        self.message_user(request, f"{count} item(s) returned to draft.")
