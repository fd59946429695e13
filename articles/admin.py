from django.contrib import admin

from aiwatch.admin import PublishingAdminMixin
from articles.models import Article, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "homepage"]
    search_fields = ["name", "homepage"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(PublishingAdminMixin, admin.ModelAdmin):
    list_display = ["title", "source", "published_on", "language", "status", "updated_at"]
    list_filter = ["status", "source", "language", ("published_on", admin.DateFieldListFilter)]
    list_select_related = ["source"]
    search_fields = ["title", "body", "original_url", "author"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["source"]
    readonly_fields = ["raw", "content_hash", "created_at", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "source", "original_url", "author"]}),
        ("Dates and language", {"fields": ["published_on", "language"]}),
        ("Text", {"fields": ["summary", "body"]}),
        (
            "The capture as imported",
            {
                "classes": ["collapse"],
                "fields": ["raw", "content_hash", "created_at", "updated_at"],
            },
        ),
    ]
