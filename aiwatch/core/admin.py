"""What every content admin shares: history with diffs, roles, and no lost updates.

- History: django-reversion records each save (RevisionMiddleware wraps every
  admin request); editors can compare a version with the current one, revert
  to it, or recover a deleted item with the links that belong to it.
- Roles: an Editor edits; only a Chief editor (the publish_* permission)
  publishes and withdraws, by bulk action or by the status field.
- No lost updates: each form carries the version it was opened at. If someone
  else saved in between, the save is refused with what they changed.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion.admin import VersionAdmin
from reversion.models import Version

from aiwatch.core.publishing import Status

admin.site.site_header = "aiwatch editors"
admin.site.site_title = "aiwatch admin"
admin.site.index_title = "Curate the story"

EDITABLE_WITHOUT_PUBLISH = {Status.DRAFT, Status.REVIEW}


def _plain(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(getattr(v, "pk", v)) for v in value)
    return "" if value is None else str(getattr(value, "pk", value))


class OptimisticLockForm(forms.ModelForm):
    """Refuses a save when the row changed since this form was opened, and says how."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self._versioned():
            self.fields["seen_version"].initial = self.instance.version
            self.fields["seen_state"].initial = json.dumps(self._state(self.instance))

    def _versioned(self) -> bool:
        # Outlets, aliases and links have no version: they are edited inside their parent.
        return self.instance.pk is not None and hasattr(self.instance, "version")

    def _state(self, instance) -> dict[str, str]:
        fields = [f for f in self._meta.fields or [] if f not in ("seen_version", "seen_state")]
        data = model_to_dict(instance, fields=fields or None)
        return {name: _plain(value) for name, value in data.items()}

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if not self._versioned() or seen is None:
            return cleaned
        model = type(self.instance)
        # Lock the row until this save commits, so two saves cannot both pass the check.
        current = model._default_manager.select_for_update().get(pk=self.instance.pk)
        if current.version == seen:
            return cleaned
        try:
            before = json.loads(cleaned.get("seen_state") or "{}")
        except ValueError:
            before = {}
        now = self._state(current)
        changes = [
            f"{model._meta.get_field(name).verbose_name}: “{before.get(name, '')[:80]}” → "
            f"“{value[:80]}”"
            for name, value in now.items()
            if before.get(name) != value and name in before
        ]
        raise ValidationError(
            "Someone else saved this %(what)s while you were editing it, so your changes "
            "were not saved and nothing was overwritten. What they changed: %(changes)s. "
            "Copy your edits, reload the page, and apply them again.",
            params={
                "what": model._meta.verbose_name,
                "changes": "; ".join(changes) or "links or fields not on this form",
            },
            code="conflict",
        )


class SelectionCheckingAdmin(admin.ModelAdmin):
    """A bulk action on a selection that is not a list of IDs is refused with a message.

    Django filters by the posted IDs as they are, and a value that is not one
    (a tampered or damaged form) would end the action in a 500.
    """

    def response_action(self, request, queryset, *args, **kwargs):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        try:
            for value in selected:
                self.model._meta.pk.to_python(value)
        except ValidationError:
            self.message_user(
                request,
                "The selection could not be read, so nothing was done. Select the items again.",
                messages.ERROR,
            )
            return None
        return super().response_action(request, queryset, *args, **kwargs)


class ContentAdmin(SelectionCheckingAdmin, VersionAdmin):
    """The base of every content admin: history with revert, recover and compare."""

    form = OptimisticLockForm
    object_history_template = "admin/aiwatch/object_history.html"

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/<int:version_id>/compare/",
            self.admin_site.admin_view(self.compare_view),
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        return [compare, *super().get_urls()]

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        opts = self.model._meta
        name = f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_compare"
        for action in getattr(response, "context_data", {}).get("action_list", []):
            version_id = action["url"].rstrip("/").rsplit("/", 1)[-1]
            action["compare_url"] = reverse(name, args=[object_id, version_id])
        return response

    def compare_view(self, request, object_id, version_id):
        """A version next to the current object, field by field, changes marked."""
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(Version, pk=version_id, object_id=str(obj.pk))
        old = version.field_dict
        rows = []
        for field in self.model._meta.concrete_fields:
            before = _plain(old.get(field.attname))
            after = _plain(getattr(obj, field.attname))
            rows.append(
                {
                    "name": field.verbose_name,
                    "before": before,
                    "after": after,
                    "changed": before != after,
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": obj,
            "version": version,
            "rows": rows,
            "title": f"Compare: {obj}",
        }
        return TemplateResponse(request, "admin/aiwatch/compare.html", context)


class PublishingAdminMixin:
    """Publishing for chief editors only: bulk actions and the status field."""

    def get_view_on_site_url(self, obj=None):
        # "View on site" previews an unpublished item on the public design.
        if obj is not None and not obj.is_published:
            return f"{obj.get_absolute_url()}?preview=1"
        return super().get_view_on_site_url(obj)

    actions = ["publish", "unpublish", "withdraw"]

    def has_publish_permission(self, request) -> bool:
        """Chief editors only: the publish_<model> permission. Hides the actions from others."""
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if (
            not self.has_publish_permission(request)
            and obj
            and obj.status not in EDITABLE_WITHOUT_PUBLISH
        ):
            readonly.append("status")
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not self.has_publish_permission(request) and "status" in form.base_fields:
            form.base_fields["status"].choices = [
                (value, label)
                for value, label in Status.choices
                if value in EDITABLE_WITHOUT_PUBLISH
            ]
        return form

    @admin.action(description="Publish the selected items", permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "published")

    @admin.action(description="Return the selected items to draft", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT, "returned to draft")

    @admin.action(
        description="Withdraw the selected items (their pages answer 410)", permissions=["publish"]
    )
    def withdraw(self, request, queryset):
        self._set_status(request, queryset, Status.WITHDRAWN, "withdrawn")

    def _set_status(self, request, queryset, status, verb) -> None:
        if not self.has_publish_permission(request):
            raise PermissionDenied
        # One save() per row rather than queryset.update(), so the history, the
        # search index and the version counter all see the change.
        changed = list(queryset.exclude(status=status))
        for obj in changed:
            obj.status = status
            obj.save(update_fields=["status", "updated_at"])
        self.message_user(request, f"{len(changed)} item(s) {verb}.", messages.SUCCESS)


class PrefetchedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose selected option comes from objects fetched once per formset.

    Django's widget looks up each row's selected object with its own query,
    which makes an inline of N links cost N queries; LinkInline fetches them
    all in one query instead and hands them to each row's widget.
    """

    prefetched: dict | None = None

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if self.prefetched is None or any(v not in self.prefetched for v in selected):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for v in selected:
            label = self.choices.field.label_from_instance(self.prefetched[v])
            options.append(self.create_option(name, v, label, set(selected), len(options)))
        return [(None, options, 0)]


class LinkInline(admin.TabularInline):
    """An inline of cross-links that costs a fixed number of queries, however many rows."""

    extra = 0

    def get_queryset(self, request):
        # Each row shows its link's __str__, which names both ends.
        joins = [f.name for f in self.model._meta.fields if f.many_to_one]
        return super().get_queryset(request).select_related(*joins)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        widget = getattr(formfield.widget, "widget", formfield.widget)
        if isinstance(widget, AutocompleteSelect):
            widget.__class__ = PrefetchedAutocompleteSelect
        return formfield

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        names = [n for n in self.autocomplete_fields if n in formset.form.base_fields]

        class Prefetching(formset):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name in names:
                    field = self.form.base_fields[name]
                    ids = {getattr(f.instance, f"{name}_id") for f in self.forms}
                    found = {str(o.pk): o for o in field.queryset.filter(pk__in=ids - {None})}
                    for form in self.forms:
                        widget = form.fields[name].widget
                        getattr(widget, "widget", widget).prefetched = found

        return Prefetching
