from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.functions import Length
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from aiwatch.core import desk
from aiwatch.core.admin import CheckedAutocompleteMixin, ContentAdmin, PublishingAdminMixin
from aiwatch.core.publishing import Status
from articles.forms import ImportForm, encode_capture
from articles.models import Article, Original, Republication, Source
from articles.services import ImportOutcome, duplicates_of, import_capture, source_named
from articles.views import original_response


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    list_display = ["name", "homepage"]
    search_fields = ["name", "homepage"]
    prepopulated_fields = {"slug": ["name"]}


class RepublicationInline(CheckedAutocompleteMixin, admin.TabularInline):
    """The articles this one republishes: an editor confirms or rejects each suggested link."""

    model = Republication
    fk_name = "copy"
    extra = 0
    fields = ["original", "similarity", "status"]
    readonly_fields = ["similarity"]
    autocomplete_fields = ["original"]
    verbose_name = "republication of"
    verbose_name_plural = "Republishes (found by text similarity on import)"


class RepublishedAsInline(RepublicationInline):
    fk_name = "original"
    fields = ["copy", "similarity", "status"]
    autocomplete_fields = ["copy"]
    verbose_name = "republished as"
    verbose_name_plural = "Republished by"


@admin.register(Republication)
class RepublicationAdmin(ContentAdmin):
    """Every suggested link in one list, for an editor working through a week's imports."""

    list_display = ["copy", "original", "similarity", "status", "created_at"]
    list_filter = ["status"]
    list_editable = ["status"]
    list_select_related = ["copy", "original"]
    search_fields = ["copy__title", "original__title"]
    autocomplete_fields = ["copy", "original"]
    readonly_fields = ["similarity", "created_at"]


@admin.register(Original)
class OriginalAdmin(admin.ModelAdmin):
    """The imported files, to look up and download; the database refuses any change to them."""

    list_display = ["article", "filename", "media_type", "size"]
    list_select_related = ["article"]
    search_fields = ["article__title", "filename"]
    fields = ["article", "filename", "media_type", "sha256", "download", "archive_headers"]
    readonly_fields = fields

    def get_queryset(self, request):
        # The size from the database, not the megabytes of content.
        return super().get_queryset(request).defer("content").annotate(size=Length("content"))

    @admin.display(description="Size", ordering="size")
    def size(self, original):
        return f"{original.size:,} bytes"

    @admin.display(description="File")
    def download(self, original):
        url = reverse("admin:articles_article_original", args=[original.article_id])
        return format_html('<a href="{}">Download {}</a>', url, original.download_name)

    def has_add_permission(self, request):
        return False  # made by an import, never by hand

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # evidence: it goes only with its article


@admin.register(Article)
class ArticleAdmin(PublishingAdminMixin, ContentAdmin):
    list_display = ["title", "source", "published_on", "role", "language", "status", "updated_at"]
    list_filter = [
        "status",
        "role",
        "source",
        "language",
        ("published_on", admin.DateFieldListFilter),
    ]
    list_select_related = ["source"]
    search_fields = ["title", "body", "original_url", "author"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["source"]
    readonly_fields = [
        "raw",
        "content_hash",
        "encoding",
        "provenance_list",
        "captured_at",
        "original_link",
        "created_at",
        "updated_at",
    ]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RepublicationInline, RepublishedAsInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "role", "source", "original_url", "author"]}),
        ("Dates and language", {"fields": ["published_on", "modified_on", "language"]}),
        ("Text", {"fields": ["summary", "body"]}),
        (
            "The capture as imported",
            {
                "classes": ["collapse"],
                "fields": [
                    "original_link",
                    "provenance_list",
                    "encoding",
                    "captured_at",
                    "raw",
                    "content_hash",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]

    @admin.display(description="Found by the importer")
    def provenance_list(self, article):
        if not article.provenance:
            return "—"
        return format_html_join(
            "",
            "<div>{}: {}</div>",
            ((name.replace("_", " "), source) for name, source in article.provenance.items()),
        )

    @admin.display(description="Original file")
    def original_link(self, article):
        original = Original.objects.filter(article=article).only("filename", "media_type").first()
        if original is None:
            return "— (typed in, or imported before originals were kept)"
        url = reverse("admin:articles_article_original", args=[article.pk])
        return format_html('<a href="{}">Download {}</a>', url, original.filename or "the original")

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
        original_url = path(
            "<int:pk>/original/",
            self.admin_site.admin_view(self.original_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_original",
        )
        # First: the inherited "<path:object_id>/" would take "import" for a primary key.
        return [import_url, original_url, *super().get_urls()]

    def original_view(self, request, pk):
        """The original file of an article, drafts included, for an editor who may view it."""
        may_view = self.has_view_permission(request) or request.user.has_perm(
            "articles.view_original"
        )
        if not may_view:
            raise PermissionDenied
        original = Original.objects.filter(article_id=pk).select_related("article").first()
        if original is None:
            raise Http404("This article has no original file.")
        return original_response(original)

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
        """Import every article of the capture (a web archive may hold several).

        Pages already in are skipped, as import_articles skips them; when every
        page is, nothing is saved and the first duplicate is returned.
        """
        data = form.cleaned_data
        try:
            with transaction.atomic():
                source = data["source"]
                if data["new_source"]:
                    source = source_named(data["new_source"])
                outcomes = [
                    import_capture(
                        extracted=extracted,
                        label="the admin's import page",
                        status=Status.DRAFT,
                        source=source,
                        # A typed URL is the one page's; an archive's pages have their own.
                        original_url=data["original_url"] if len(data["extracted"]) == 1 else "",
                    )
                    for extracted in data["extracted"]
                ]
                created = [outcome for outcome in outcomes if outcome.created]
                skipped = [outcome for outcome in outcomes if not outcome.created]
                if not created:
                    transaction.set_rollback(True)  # and no new outlet left unused
                    return skipped[0]
                for outcome in created[1:]:
                    self.log_addition(request, outcome.article, "Imported from a web archive.")
        except ValueError as error:
            form.add_error(None, f"The article was not saved: {error}.")
            return None
        for outcome in skipped:
            self.message_user(
                request,
                f"A page of the archive was skipped: {outcome.reason}.",
                messages.WARNING,
            )
        created[0].others = created[1:]
        return created[0]

    def _imported(self, request, outcome: ImportOutcome):
        article = outcome.article
        self.log_addition(request, article, "Imported from a capture on the import page.")
        dropped = len(outcome.dropped)
        self.message_user(
            request,
            format_html(
                "The article “{}” was imported as a draft; {} {}{} of the capture "
                "{} left out. Check the title, date and outlet before publishing.",
                article.title,
                dropped,
                "block" if outcome.extracted.kind == "html" else "line",
                "" if dropped == 1 else "s",
                "was" if dropped == 1 else "were",
            ),
            messages.SUCCESS,
        )
        others = outcome.others
        if others:
            self.message_user(
                request,
                f"The web archive held {len(others)} more page(s), also imported as drafts: "
                + ", ".join(other.article.title for other in others),
                messages.SUCCESS,
            )
        for link in outcome.republications:
            self.message_user(
                request,
                f"It looks like a republication ({link}); confirm or reject the link below.",
                messages.WARNING,
            )
        return HttpResponseRedirect(self._change_url(article))

    def _import_page(self, request, form, refused: ImportOutcome | None):
        found = form.cleaned_data.get("extracted") if form.is_bound else None
        preview = None
        if found:
            extracted = found[0]
            raw = extracted.raw
            duplicates_by_page = [
                duplicates_of(
                    item.raw,
                    form.cleaned_data.get("original_url", "") or str(item.url.value or ""),
                    original=item.original,
                )
                for item in found
            ]
            duplicates = [duplicate for page in duplicates_by_page for duplicate in page]
            preview = {
                "title": extracted.title.value,
                "published_on": extracted.published_on.value or None,
                "language": extracted.language.value,
                "provenance": extracted.provenance(),
                "author": extracted.author.value,
                "site_name": extracted.site_name.value,
                "encoding": extracted.encoding.value,
                "warnings": extracted.warnings,
                "others": [item.title.value for item in found[1:]],
                "paragraphs": [p for p in extracted.body.split("\n\n") if p.strip()],
                "dropped": extracted.dropped,
                "raw": raw,
                "line_count": len(raw.split("\n")),
                "kind": extracted.kind,
                "encoded": encode_capture(form.cleaned_data["data"]),
                "name": form.cleaned_data["name"],
                "duplicates": [
                    {"article": article, "reason": reason, "url": self._change_url(article)}
                    for article, reason in duplicates
                ],
                # Previewed again, not saved, while the form has errors or every page is in.
                "can_save": not form.errors and not all(duplicates_by_page),
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


desk.register(
    label="Articles in review",
    model=Article,
    rows=Article.objects.in_review,
    filters={"status__exact": Status.REVIEW},
    section=desk.REVIEW,
)
desk.register(
    label="Suggested republication links to confirm or reject",
    model=Republication,
    rows=Republication.objects.suggested,
    filters={"status__exact": Republication.Status.SUGGESTED},
    section=desk.DECIDE,
)
