import hashlib

from django.utils.text import slugify

MAX_SLUG_LENGTH = 80


def unique_slug(model, text: str, *, instance_pk=None, max_length: int = MAX_SLUG_LENGTH) -> str:
    """A slug for `text` that no other row of `model` uses, now or in the past.

    Hides two queries per candidate. A slug another row used to have is taken
    too: it still redirects to that row. Text with no ASCII letters (a Chinese
    name, say) slugifies to nothing, so it falls back to a short hash of the
    text, which stays stable across re-imports.
    """
    from aiwatch.core.models import OldSlug

    base = slugify(text)[:max_length].strip("-")
    if not base:
        base = "x-" + hashlib.sha1(text.encode()).hexdigest()[:10]
    others = (
        model._default_manager.exclude(pk=instance_pk) if instance_pk else model._default_manager
    )
    history = OldSlug.objects.filter(model=model._meta.label_lower)
    if instance_pk:
        history = history.exclude(object_id=instance_pk)
    slug, n = base, 2
    while others.filter(slug=slug).exists() or history.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
        n += 1
    return slug


def remember_old_slug(sender, instance, **kwargs):
    """pre_save: when a saved row's slug changes, keep the old one for redirects."""
    from aiwatch.core.models import OldSlug

    if instance.pk is None or kwargs.get("raw"):
        return
    label = sender._meta.label_lower
    previous = sender._default_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if previous and previous != instance.slug:
        OldSlug.objects.update_or_create(
            model=label, slug=previous, defaults={"object_id": instance.pk}
        )
    OldSlug.objects.filter(model=label, slug=instance.slug, object_id=instance.pk).delete()


def current_url_for_old_slug(model, slug: str) -> str | None:
    """The URL of the published row that used to have `slug`, if any. One or two queries."""
    from aiwatch.core.models import OldSlug

    old = OldSlug.objects.filter(model=model._meta.label_lower, slug=slug).first()
    if old is None:
        return None
    manager = model._default_manager
    queryset = manager.published() if hasattr(manager, "published") else manager.all()
    obj = queryset.filter(pk=old.object_id).first()
    return obj.get_absolute_url() if obj else None
