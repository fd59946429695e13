"""What the history (django-reversion) records, and how writes outside a request join it.

Each content model is registered (by aiwatch.core.registry) with the links
that belong to it, so a version of an entity carries its aliases, mentions
and roles in events, and recovering a deleted entity brings those back too.
Requests are recorded by RevisionMiddleware; management commands and
services wrap their writes in `recorded(...)`.

A revision may hold hundreds of objects (the seed is one), so going back is
per object: `restore` puts back one object and the links that belong to it,
never the other objects saved in the same revision.
"""

from contextlib import contextmanager

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import Collector
from django.db.models.signals import pre_delete
from django.utils import timezone
from reversion.errors import RevertError
from reversion.models import Revision, Version

# The links each recorded model's versions carry: what `restore` brings back with it.
_follows: dict[type[models.Model], tuple[str, ...]] = {}


def register_model(model, *, follow: tuple[str, ...] = ()) -> None:
    """Record every write of `model`; a version carries the `follow` links with it."""
    # The admin's VersionAdmin registers its models first, following its inlines;
    # the kind's declaration is the one that holds.
    if reversion.is_registered(model):
        reversion.unregister(model)
    reversion.register(model, follow=follow)
    _follows[model] = tuple(follow)
    pre_delete.connect(
        _snapshot_before_delete, sender=model, dispatch_uid=f"history-{model._meta.label}"
    )


def _snapshot_before_delete(sender, instance, **kwargs):
    # A deletion outside a request (a shell session, a script) gets a version
    # first, so it can be recovered. Inside a request the object already has
    # versions from its earlier saves (reversion drops versions of objects
    # deleted within the same revision, so adding one here would be lost).
    if reversion.is_active():
        return
    with reversion.create_revision():
        reversion.set_comment(f"Before deleting “{instance}”")
        reversion.add_to_revision(instance)


@contextmanager
def recorded(comment: str, user=None):
    """Record the writes in the block as one revision, unless one is already open."""
    if reversion.is_active():
        reversion.set_comment(comment)
        yield
        return
    with reversion.create_revision():
        reversion.set_comment(comment)
        if user is not None:
            reversion.set_user(user)
        yield


def links_of(obj) -> list[models.Model]:
    """The rows that belong to `obj` now, through its kind's `follow`, and theirs in turn."""
    found: dict[tuple[type, object], models.Model] = {}
    pending = [obj]
    while pending:
        current = pending.pop()
        for name in _follows.get(type(current), ()):
            try:
                value = getattr(current, name)
            except ObjectDoesNotExist:
                continue
            related = value.all() if isinstance(value, models.Manager) else [value]
            for row in related:
                if row is not None and (type(row), row.pk) not in found:
                    found[type(row), row.pk] = row
                    pending.append(row)
    return list(found.values())


class _Revision:
    """The versions of one revision, fetched by model as they are asked for."""

    def __init__(self, revision: Revision, db: str):
        self.revision, self.db, self._by_model = revision, db, {}

    def of(self, model) -> list[Version]:
        if model not in self._by_model:
            content_type = ContentType.objects.db_manager(self.db).get_for_model(model)
            self._by_model[model] = list(
                self.revision.version_set.filter(content_type=content_type, db=self.db)
            )
        return self._by_model[model]


def _linked_versions(version: Version, name: str, revision: _Revision) -> list[Version]:
    """The versions in `revision` of the rows `version`'s object reached through `name` then."""
    field = version._model._meta.get_field(name)
    candidates = revision.of(field.related_model)
    values = version.field_dict
    if field.auto_created and not field.concrete:  # a reverse relation: aliases, mentions
        remote = field.field
        target = str(values.get(remote.target_field.attname, version.object_id))
        if field.many_to_many:
            return [
                c
                for c in candidates
                if target in {str(v) for v in c.field_dict.get(remote.attname) or ()}
            ]
        return [c for c in candidates if str(c.field_dict.get(remote.attname)) == target]
    if field.many_to_many:
        targets = {str(v) for v in values.get(field.attname) or ()}
    else:
        targets = {str(values.get(field.attname))}
    return [c for c in candidates if c.object_id in targets]


def own_versions(version: Version) -> list[Version]:
    """`version` and the versions of the links that belonged to its object in its revision."""
    revision = _Revision(version.revision, version.db)
    found = {(version.content_type_id, version.object_id): version}
    pending = [version]
    while pending:
        current = pending.pop()
        for name in _follows.get(current._model, ()):
            for linked in _linked_versions(current, name, revision):
                key = (linked.content_type_id, linked.object_id)
                if key not in found:
                    found[key] = linked
                    pending.append(linked)
    return list(found.values())


def restore(version: Version) -> None:
    """Put the object of `version` back as it was then, with the links that belonged to it.

    Only the object and its own links (its kind's `follow`) are restored: the
    other objects saved in the same revision keep whatever editors did to them
    since. Links the object has now that it did not have then are deleted.
    Raises RevertError when a row cannot be put back (a row it needs is gone).
    """
    model = version._model
    versions = own_versions(version)
    current = model._default_manager.using(version.db).filter(pk=version.object_id).first()
    if current is not None:
        then = {(v._model, v.object_id) for v in versions}
        stale = [row for row in links_of(current) if (type(row), str(row.pk)) not in then]
        if stale:
            collector = Collector(using=version.db)
            collector.collect(stale)
            collector.delete()
    # A link is saved after what it points at, whatever order they come in.
    pending = versions
    while pending:
        failed = []
        for item in pending:
            try:
                with transaction.atomic(using=item.db):
                    item.revert()
            except (IntegrityError, ObjectDoesNotExist):
                failed.append(item)
        if len(failed) == len(pending):
            raise RevertError(
                f"“{failed[0].object_repr}” cannot be put back as it was: something it "
                "points at no longer exists."
            )
        pending = failed


def snapshot(objects, *, comment: str, user=None) -> Revision:
    """Record `objects`, with the links that belong to them, as a revision of its own, now.

    Unlike `recorded`, it never joins a revision already open: a merge inside a
    request records the state before it here, because the request's revision
    drops every version of a row deleted before it is saved.
    """
    revision = Revision.objects.create(date_created=timezone.now(), user=user, comment=comment)
    rows: dict[tuple[type, object], models.Model] = {}
    for obj in objects:
        for row in [obj, *links_of(obj)]:
            rows.setdefault((type(row), row.pk), row)
    Version.objects.bulk_create(
        Version(
            revision=revision,
            object_id=str(row.pk),
            content_type=ContentType.objects.get_for_model(row),
            db=row._state.db or "default",
            format="json",
            serialized_data=serializers.serialize("json", [row]),
            object_repr=str(row),
        )
        for row in rows.values()
    )
    return revision
