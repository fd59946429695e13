"""The curation admin for the graph.

Article's admin lives in the articles app, which must not know about the
graph; the article page's entity and event inlines are added here by
re-registering it with a subclass.
"""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from aiwatch.core import desk
from aiwatch.core.admin import ContentAdmin, LinkInline, PublishingAdminMixin
from aiwatch.core.publishing import Status
from articles.admin import ArticleAdmin
from articles.models import Article
from entities import lineage
from entities.merging import MergeRefused, merge_entities, undo_merge
from entities.models import (
    Alias,
    Claim,
    ClaimAppearance,
    ClaimEntity,
    ClaimEvent,
    ClaimRelation,
    Entity,
    Event,
    EventSource,
    Mention,
    MentionStatus,
    Participation,
)


class EditedInline:
    """An admin for links edited inside their parent: out of the sidebar and the home page.

    The change list and history stay, for the links that reach them (a recovery,
    the history of a deleted link); the inlines' autocompletes need only the
    admins of what they point at.
    """

    def has_module_permission(self, request):
        return False


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1


class MentionInline(LinkInline):
    model = Mention
    extra = 0
    autocomplete_fields = ["article", "entity"]


class ParticipationInline(LinkInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["entity", "event"]


class EventSourceInline(LinkInline):
    model = EventSource
    extra = 0
    autocomplete_fields = ["article", "event"]


class ClaimEntityInline(LinkInline):
    model = ClaimEntity
    extra = 0
    autocomplete_fields = ["entity"]


class ClaimEventInline(LinkInline):
    model = ClaimEvent
    extra = 0
    autocomplete_fields = ["event"]


class ClaimRelationInline(LinkInline):
    model = ClaimRelation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]
    verbose_name = "relation to another claim"
    verbose_name_plural = "relations to other claims"


class ClaimAppearanceInline(LinkInline):
    model = ClaimAppearance
    extra = 0
    autocomplete_fields = ["article"]
    fields = ["article", "quote", "language", "note"]
    verbose_name = "appearance in another article"
    verbose_name_plural = "appearances in other articles (the claim's lineage)"


@admin.register(Entity)
class EntityAdmin(PublishingAdminMixin, ContentAdmin):
    actions = [*PublishingAdminMixin.actions, "merge"]

    @admin.action(description="Merge two selected entities into one", permissions=["change"])
    def merge(self, request, queryset):
        """Asks which of the two survives, then folds the other into it."""
        entities = list(queryset.order_by("pk")[:3])
        if len(entities) != 2:
            self.message_user(request, "Select exactly two entities to merge.", messages.ERROR)
            return None
        public = [e for e in entities if self._public(e)]
        if public and not self.has_publish_permission(request):
            names = " and ".join(f"“{e}” is {e.get_status_display().lower()}" for e in public)
            self.message_user(
                request,
                f"Only a chief editor can merge a published or withdrawn entity: {names}. "
                "Nothing was merged.",
                messages.ERROR,
            )
            return None
        if "survivor" in request.POST:
            survivor = next((e for e in entities if str(e.pk) == request.POST["survivor"]), None)
            if survivor is None:
                self.message_user(request, "Choose which entity to keep.", messages.ERROR)
                return None
            duplicate = next(e for e in entities if e.pk != survivor.pk)
            try:
                merge_entities(survivor=survivor, duplicate=duplicate, user=request.user)
            except MergeRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)
                return None
            self.message_user(
                request,
                f"Merged “{duplicate}” into “{survivor}”. To undo, recover “{duplicate}” "
                "from the deleted entities in its history.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "entities": entities,
            "title": "Merge two entities",
        }
        return TemplateResponse(request, "admin/entities/entity/merge.html", context)

    def restored(self, request, version, current):
        super().restored(request, version, current)
        if current is None:
            undo_merge(version=version)

    list_display = ["name", "kind", "status", "wikidata_id", "updated_at"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "slug", "aliases__name", "wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AliasInline, MentionInline, ParticipationInline]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Alias)
class AliasAdmin(ContentAdmin):
    list_display = ["name", "language", "entity"]
    list_filter = ["language"]
    list_select_related = ["entity"]
    search_fields = ["name", "entity__name"]
    autocomplete_fields = ["entity"]


@admin.register(Event)
class EventAdmin(PublishingAdminMixin, ContentAdmin):
    list_display = ["title", "date", "date_precision", "end_date", "status"]
    list_filter = ["status", "date_precision", ("date", admin.DateFieldListFilter)]
    search_fields = ["title", "slug", "description"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ParticipationInline, EventSourceInline]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Claim)
class ClaimAdmin(PublishingAdminMixin, ContentAdmin):
    list_display = [
        "statement_text", "claimant", "article", "kind", "verification", "standing", "status"
    ]  # fmt: skip
    list_filter = ["status", "needs_review", "kind", "verification", "standing", "article__source"]
    list_select_related = ["claimant", "article"]
    search_fields = ["statement", "quote", "slug", "claimant__name"]
    autocomplete_fields = ["claimant", "article"]
    inlines = [ClaimEntityInline, ClaimEventInline, ClaimRelationInline, ClaimAppearanceInline]
    readonly_fields = ["created_at", "updated_at", "suggested_appearances"]
    fieldsets = [
        (None, {"fields": ["statement", "slug", "status", "claimant", "kind"]}),
        ("Evidence", {"fields": ["article", "quote"]}),
        (
            "Lineage",
            {
                "fields": ["suggested_appearances"],
                "description": "Other articles whose words are close to the quote. Check each "
                "one; link it below, or with its link here, if it restates the claim.",
            },
        ),
        ("Verification", {"fields": ["verification", "verification_reason"]}),
        ("Standing", {"fields": ["standing", "deprecation", "standing_reason"]}),
        ("History", {"classes": ["collapse"], "fields": ["created_at", "updated_at"]}),
    ]

    class Media:
        # Gives the statement column room (.claim-statement): no inline styles under the CSP.
        css = {"all": ["css/admin.css"]}

    @admin.display(description="Suggested appearances")
    def suggested_appearances(self, claim):
        """Articles that may restate the claim, each with a link that starts linking it.

        Reads up to lineage.CANDIDATES articles: only on the claim's own page."""
        if claim.pk is None:
            return "Save the claim first: suggestions come from its quote."
        found = lineage.suggestions(claim)
        if not found:
            return "No other article has words close to the quote."
        add = reverse("admin:entities_claimappearance_add")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({}, {}% alike): “{}”</li>',
                (
                    (
                        add
                        + "?"
                        + urlencode(
                            {"claim": claim.pk, "article": s.article.pk, "quote": s.passage}
                        ),
                        s.article.title,
                        s.article.published_on or "no date",
                        f"{s.score:.0f}",
                        Truncator(s.passage).chars(240),
                    )
                    for s in found
                ),
            ),
        )

    @admin.display(description="Statement", ordering="statement")
    def statement_text(self, claim):
        """Two lines of the statement at most; the whole of it on hover."""
        return format_html(
            '<span class="claim-statement" title="{}">{}</span>',
            claim.statement,
            Truncator(claim.statement).chars(160),
        )


@admin.register(Mention)
class MentionAdmin(ContentAdmin):
    list_display = ["entity", "article", "status", "note"]
    list_filter = ["status"]
    list_select_related = ["entity", "article"]
    search_fields = ["entity__name", "article__title", "note"]
    autocomplete_fields = ["entity", "article"]


@admin.register(Participation)
class ParticipationAdmin(EditedInline, ContentAdmin):
    list_display = ["entity", "role", "event"]
    list_select_related = ["entity", "event"]
    search_fields = ["entity__name", "event__title", "role"]
    autocomplete_fields = ["entity", "event"]


@admin.register(EventSource)
class EventSourceAdmin(EditedInline, ContentAdmin):
    list_display = ["event", "article"]
    list_select_related = ["event", "article"]
    search_fields = ["event__title", "article__title"]
    autocomplete_fields = ["event", "article"]


@admin.register(ClaimEntity)
class ClaimEntityAdmin(EditedInline, ContentAdmin):
    list_display = ["claim", "entity"]
    list_select_related = ["claim", "entity"]
    search_fields = ["claim__statement", "entity__name"]
    autocomplete_fields = ["claim", "entity"]


@admin.register(ClaimEvent)
class ClaimEventAdmin(EditedInline, ContentAdmin):
    list_display = ["claim", "event"]
    list_select_related = ["claim", "event"]
    search_fields = ["claim__statement", "event__title"]
    autocomplete_fields = ["claim", "event"]


@admin.register(ClaimRelation)
class ClaimRelationAdmin(EditedInline, ContentAdmin):
    list_display = ["source", "kind", "target"]
    list_filter = ["kind"]
    list_select_related = ["source", "target"]
    search_fields = ["source__statement", "target__statement", "note"]
    autocomplete_fields = ["source", "target"]


@admin.register(ClaimAppearance)
class ClaimAppearanceAdmin(EditedInline, ContentAdmin):
    list_display = ["claim", "article", "language"]
    list_select_related = ["claim", "article"]
    search_fields = ["claim__statement", "article__title", "quote"]
    autocomplete_fields = ["claim", "article"]
    fields = ["claim", "article", "quote", "language", "note"]


class ArticleWithGraphAdmin(ArticleAdmin):
    inlines = [MentionInline, EventSourceInline]


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithGraphAdmin)


for model, plural in [(Entity, "Entities"), (Event, "Events"), (Claim, "Claims")]:
    desk.register(
        label=f"{plural} in review",
        model=model,
        rows=model.objects.in_review,
        filters={"status__exact": Status.REVIEW},
        section=desk.REVIEW,
    )
desk.register(
    label="Claims whose quote is no longer in the article",
    model=Claim,
    rows=Claim.objects.flagged_for_review,
    filters={"needs_review__exact": "1"},
    section=desk.REVIEW,
)
desk.register(
    label="Suggested mentions to accept or reject",
    model=Mention,
    rows=Mention.objects.suggested,
    filters={"status__exact": MentionStatus.SUGGESTED},
    section=desk.DECIDE,
)
