"""What the history (django-reversion) records, and how writes outside a request join it.

Each content model is registered (by aiwatch.core.registry) with the links
that belong to it, so a version of an entity carries its aliases, mentions
and roles in events, and recovering a deleted entity brings those back too.
Requests are recorded by RevisionMiddleware; management commands and
services wrap their writes in `recorded(...)`.
"""

from contextlib import contextmanager

import reversion
from django.db.models.signals import pre_delete


def register_model(model, *, follow: tuple[str, ...] = ()) -> None:
    """Record every write of `model`; a version carries the `follow` links with it."""
    # The admin's VersionAdmin registers its models first, following its inlines;
    # the kind's declaration is the one that holds.
    if reversion.is_registered(model):
        reversion.unregister(model)
    reversion.register(model, follow=follow)
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
