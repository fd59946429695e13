from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from aiwatch.core.admin import ContentAdmin, PublishingAdminMixin
from aiwatch.core.publishing import Status
from articles.forms import ImportForm, encode_capture
from articles.intake import duplicates_of
from articles.models import Article, Source
from articles.services import ImportOutcome, import_capture, source_named


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    list_display = ["name", "homepage"]
    search_fields = ["name", "homepage"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(PublishingAdminMixin, ContentAdmin):
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

    # --- "Import article": a capture pasted or uploaded, previewed, then saved as a draft.
    # On ArticleAdmin, so that entities.admin's ArticleWithGraphAdmin inherits the page.

    change_list_template = "admin/articles/article/change_list.html"
    import_template = "admin/articles/article/import.html"

    def get_urls(self):
        import_url = path(
            "import/",
            self.admin_site.admin_view(self.import_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_import",
        )
        # First: the inherited "<path:object_id>/" would take "import" for a primary key.
        return [import_url, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        context = {
            # The "Import article" button goes on whatever change list the base admin
            # renders (django-reversion's adds "Recover deleted articles").
            "change_list_parent": super().change_list_template or "admin/change_list.html",
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def import_view(self, request):
        """POST "preview" shows what cleaning makes of a capture; POST "save" imports it."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
        refused = None
        if form.is_valid() and "save" in request.POST:
            outcome = self._import_capture(request, form)
            if outcome and outcome.created:
                return self._imported(request, outcome)
            refused = outcome  # a duplicate; None when the form now says what went wrong
        return self._import_page(request, form, refused)

    def _import_capture(self, request, form) -> ImportOutcome | None:
        data = form.cleaned_data
        try:
            with transaction.atomic():
                source = data["source"]
                if data["new_source"]:
                    source = source_named(data["new_source"])
                outcome = import_capture(
                    raw=data["raw"],
                    label="the admin's import page",
                    status=Status.DRAFT,
                    source=source,
                    original_url=data["original_url"],
                )
                if not outcome.created:
                    transaction.set_rollback(True)  # and no new outlet left unused
        except ValueError as error:
            form.add_error(None, f"The article was not saved: {error}.")
            return None
        return outcome

    def _imported(self, request, outcome: ImportOutcome):
        article = outcome.article
        self.log_addition(request, article, "Imported from a capture on the import page.")
        dropped = len(outcome.dropped)
        self.message_user(
            request,
            format_html(
                "The article “{}” was imported as a draft; {} line{} of the capture "
                "{} left out. Check the title, date and outlet before publishing.",
                article.title,
                dropped,
                "" if dropped == 1 else "s",
                "was" if dropped == 1 else "were",
            ),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._change_url(article))

    def _import_page(self, request, form, refused: ImportOutcome | None):
        raw = form.cleaned_data.get("raw") if form.is_bound else None
        preview = None
        if raw is not None:
            cleaned = form.cleaned_data["cleaned"]
            duplicates = duplicates_of(raw, form.cleaned_data.get("original_url", ""))
            preview = {
                "title": cleaned.title,
                "published_on": cleaned.published_on,
                "language": cleaned.language,
                "paragraphs": [p for p in cleaned.body.split("\n\n") if p.strip()],
                "dropped": cleaned.dropped,
                "raw": raw,
                "line_count": len(raw.split("\n")),
                "encoded": encode_capture(raw),
                "duplicates": [
                    {"article": article, "reason": reason, "url": self._change_url(article)}
                    for article, reason in duplicates
                ],
                # Previewed again, not saved, while the form has errors or the capture is in.
                "can_save": not form.errors and not duplicates,
            }
        refused_context = None
        if refused:
            refused_context = {
                "reason": refused.reason,
                "title": refused.article.title,
                "url": self._change_url(refused.article),
            }
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import article",
            "form": form,
            "capture_fields": [form["text"], form["upload"]],
            "origin_fields": [form["original_url"], form["source"], form["new_source"]],
            "preview": preview,
            "refused": refused_context,
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, self.import_template, context)

    def _change_url(self, article: Article) -> str:
        opts = self.opts
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[article.pk]
        )
