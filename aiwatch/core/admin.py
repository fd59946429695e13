"""What every content admin shares: history with diffs, roles, and no lost updates.

- History: django-reversion records each save (RevisionMiddleware wraps every
  admin request); editors can compare a version with the current one, revert
  to it, or recover a deleted item with the links that belong to it. Either
  restores that one item, never the rest of the revision it was saved in.
- Roles: an Editor edits; only a Chief editor (the publish_* permission)
  changes what readers see as published or withdrawn, on every path: the
  status field, bulk actions, revert, recover and delete.
- No lost updates: each form carries the version it was opened at. If someone
  else saved in between, the save is refused with what they changed.
"""

import json
from contextlib import nullcontext

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_lazy
from reversion import set_comment
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version
from reversion.utils import mute_signals

from aiwatch.core import desk, history
from aiwatch.core.login_throttling import attempts_in_force
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
        # A damaged or tampered hidden field only loses the list of what changed.
        if not isinstance(before, dict):
            before = {}
        before = {str(name): str(value) for name, value in before.items()}
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


def _keys_only(widget, values) -> list:
    """The posted values that can be keys of the widget's model; the rest are left out."""
    key = widget.field.remote_field.get_related_field()
    kept = []
    for value in values:
        try:
            key.to_python(value)
        except ValidationError:
            continue
        kept.append(value)
    return kept


class CheckedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete, safe to show again after a refused save.

    Django looks the posted value up as a key to label the selected option, so
    a value that cannot be one ("ab", a damaged form) ended the page in a 500
    instead of showing the form's error.
    """

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _keys_only(self, value), attr)


class CheckedAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    """The same, for a many-to-many autocomplete."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _keys_only(self, value), attr)


_CHECKED = {
    AutocompleteSelect: CheckedAutocompleteSelect,
    AutocompleteSelectMultiple: CheckedAutocompleteSelectMultiple,
}


class CheckedAutocompleteMixin:
    """For a ModelAdmin or an inline: its autocompletes survive values that are no key."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            widget = getattr(formfield.widget, "widget", formfield.widget)
            widget.__class__ = _CHECKED.get(type(widget), type(widget))
        return formfield


class _ShowOnly(Exception):
    """Carries a rendered revert page out of the transaction that is rolled back."""

    def __init__(self, response):
        self.response = response


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


class ContentAdmin(CheckedAutocompleteMixin, SelectionCheckingAdmin, VersionAdmin):
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
        version = get_object_or_404(
            Version,
            pk=version_id,
            object_id=str(obj.pk),
            content_type=ContentType.objects.get_for_model(self.model),
        )
        try:
            old = version.field_dict
        except RevertError as error:  # a version this code can no longer read
            self.message_user(request, str(error), messages.ERROR)
            opts = self.model._meta
            return redirect(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                quote(obj.pk),
            )
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

    # --- Revert and recover: one object and its own links, with the same rights as a save.

    def refuse_restoring(self, request, version, current) -> str | None:
        """Why the user may not restore `version`; None when they may.

        `current` is the object as it is now, None when it was deleted.
        """
        return None

    def restored(self, request, version, current) -> None:
        """Adjust what restoring `version` put back, before its form is shown or saved."""

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        # Replaces django-reversion's, which restores the version's whole revision
        # (the seed's is hundreds of rows) and takes a version of any model.
        opts = self.model._meta
        if version.content_type_id != ContentType.objects.get_for_model(self.model).pk:
            raise Http404(f"That version is not one of a {opts.verbose_name}.")
        current = self.model._default_manager.filter(pk=version.object_id).first()
        if current is None and not self.has_add_permission(request):
            raise PermissionDenied  # the revision URL of a deleted object recovers it too
        changelist = f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist"
        try:
            refusal = self.refuse_restoring(request, version, current)
        except RevertError as error:  # a version this code can no longer read
            self.message_user(request, str(error), messages.ERROR)
            return redirect(changelist)
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            if current is None:
                return redirect(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_recoverlist"
                )
            return redirect(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                quote(current.pk),
            )
        # Showing the form must have no side effect: the restore is rolled back.
        quiet = request.method == "GET"
        signals = (pre_save, post_save, pre_delete, post_delete, m2m_changed)
        try:
            with (
                transaction.atomic(using=version.db),
                mute_signals(*signals) if quiet else nullcontext(),
            ):
                history.restore(version)
                self.restored(request, version, current)
                with self.create_revision(request):
                    response = self.changeform_view(
                        request, quote(version.object_id), request.path, extra_context
                    )
                    if request.method == "POST" and response.status_code == 302:
                        when = localize(template_localtime(version.revision.date_created))
                        set_comment(f"Reverted to the version saved on {when}")
                    elif response.status_code == 200:
                        response.template_name = template_name
                        response.render()
                        raise _ShowOnly(response)
                    else:
                        raise RevertError(f"“{version.object_repr}” cannot be opened.")
        except (RevertError, models.ProtectedError) as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect(changelist)
        except _ShowOnly as shown:
            return shown.response
        return response


class PublishingAdminMixin:
    """Publishing for chief editors only, on every path that changes what readers see.

    The status field and the bulk actions; deleting a published or withdrawn
    item; recovering one; and reverting, where an Editor's revert keeps the
    item's status (or, between draft and review, takes the version's).
    """

    def get_view_on_site_url(self, obj=None):
        # "View on site" previews an unpublished item on the public design.
        if obj is not None and not obj.is_published:
            return f"{obj.get_absolute_url()}?preview=1"
        return super().get_view_on_site_url(obj)

    actions = ["publish", "unpublish", "withdraw", "delete_selected"]

    def has_publish_permission(self, request) -> bool:
        """Chief editors only: the publish_<model> permission. Hides the actions from others."""
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    def _public(self, obj) -> bool:
        """Whether readers see `obj` as published or withdrawn (a page, or a 410)."""
        return obj.status not in EDITABLE_WITHOUT_PUBLISH

    # --- Delete: taking a published or withdrawn item away is a chief editor's act.

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._public(obj) and not self.has_publish_permission(request):
            return False
        return super().has_delete_permission(request, obj)

    def _delete_refusal(self, objs) -> str:
        names = ", ".join(f"“{obj}” ({obj.get_status_display().lower()})" for obj in objs[:5])
        more = f" and {len(objs) - 5} more" if len(objs) > 5 else ""
        return (
            f"Only a chief editor can delete a published or withdrawn "
            f"{self.model._meta.verbose_name}: {names}{more}. Nothing was deleted; "
            "return it to draft first or ask a chief editor."
        )

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if (
            obj is not None
            and self._public(obj)
            and not self.has_publish_permission(request)
            # Someone who may not delete anything here gets Django's plain refusal.
            and super().has_delete_permission(request, obj)
        ):
            self.message_user(request, self._delete_refusal([obj]), messages.ERROR)
            opts = self.model._meta
            return redirect(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", quote(obj.pk)
            )
        return super().delete_view(request, object_id, extra_context)

    @admin.action(
        description=gettext_lazy("Delete selected %(verbose_name_plural)s"),
        permissions=["delete"],
    )
    def delete_selected(self, request, queryset):
        # Django's action would refuse too (has_delete_permission above), with a
        # page that names only the model; this says which items and why.
        if not self.has_publish_permission(request):
            public = list(queryset.exclude(status__in=EDITABLE_WITHOUT_PUBLISH))
            if public:
                self.message_user(request, self._delete_refusal(public), messages.ERROR)
                return None
        return django_delete_selected(self, request, queryset)

    # --- Revert and recover: an Editor's never changes what readers see.

    def refuse_restoring(self, request, version, current):
        status = version.field_dict.get("status")
        if (
            current is None
            and status not in EDITABLE_WITHOUT_PUBLISH
            and not self.has_publish_permission(request)
        ):
            label = dict(Status.choices).get(status, status)
            return (
                f"Only a chief editor can recover “{version.object_repr}”: it was "
                f"{label.lower()} when it was deleted, so recovering it would change what "
                "readers see. Nothing was recovered; ask a chief editor."
            )
        return super().refuse_restoring(request, version, current)

    def restored(self, request, version, current):
        super().restored(request, version, current)
        if current is None or self.has_publish_permission(request):
            return
        # Between draft and review the version's status comes back; otherwise the
        # item keeps the status it has, so readers see no change an Editor made.
        version_status = version.field_dict.get("status")
        if not self._public(current) and version_status in EDITABLE_WITHOUT_PUBLISH:
            return
        if version_status != current.status:
            self.model._default_manager.filter(pk=current.pk).update(status=current.status)

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


class PrefetchedAutocompleteSelect(CheckedAutocompleteSelect):
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


class LinkInline(CheckedAutocompleteMixin, admin.TabularInline):
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


# --- Sign-in lockouts (django-axes) -------------------------------------------------
# A chief editor lifts a lockout here: the group holds axes' view and delete
# permissions on access attempts (migration lockout_permissions); an Editor does not.


class LockoutFilter(admin.SimpleListFilter):
    title = "lockout"
    parameter_name = "lockout"

    def lookups(self, request, model_admin):
        return [("in_force", "In force now")]

    def queryset(self, request, queryset):
        if self.value() == "in_force":
            return queryset.filter(pk__in=attempts_in_force())
        return queryset


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    list_filter = [LockoutFilter, *axes_admin.AccessAttemptAdmin.list_filter]
    actions = ["lift_lockouts", *axes_admin.AccessAttemptAdmin.actions]

    @admin.action(
        description="Lift the lockout of the selected sign-ins (they can sign in at once)",
        permissions=["delete"],
    )
    def lift_lockouts(self, request, queryset):
        lifted = list(queryset)
        # In the admin's log of actions, so it shows who let whom back in.
        self.log_deletions(request, lifted)
        queryset.filter(pk__in=[attempt.pk for attempt in lifted]).delete()
        who = ", ".join(
            sorted({f"{a.username or '(no username)'} from {a.ip_address}" for a in lifted})
        )
        self.message_user(request, f"Lifted {len(lifted)} lockout record(s): {who}.")


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)
if admin.site.is_registered(AccessFailureLog):
    # Empty: the failure log is off (AXES_ENABLE_ACCESS_FAILURE_LOG); access attempts say it all.
    admin.site.unregister(AccessFailureLog)

desk.register(
    label="Sign-in lockouts in force",
    model=AccessAttempt,
    rows=attempts_in_force,
    filters={"lockout": "in_force"},
    section=desk.SIGN_IN,
)


# Django's own user and group admins get the same guard on bulk-action selections.
for _model, _admin in [(User, UserAdmin), (Group, GroupAdmin)]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, type(_admin.__name__, (SelectionCheckingAdmin, _admin), {}))
