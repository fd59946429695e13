import hashlib

from django.utils.text import slugify

MAX_SLUG_LENGTH = 80


def unique_slug(model, text: str, *, instance_pk=None, max_length: int = MAX_SLUG_LENGTH) -> str:
    """A slug for `text` that no other row of `model` uses.

    Hides one query per collision. Text with no ASCII letters (a Chinese name,
    say) slugifies to nothing, so it falls back to a short hash of the text,
    which stays stable across re-imports.
    """
    base = slugify(text)[:max_length].strip("-")
    if not base:
        base = "x-" + hashlib.sha1(text.encode()).hexdigest()[:10]
    others = (
        model._default_manager.exclude(pk=instance_pk) if instance_pk else model._default_manager
    )
    slug, n = base, 2
    while others.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
        n += 1
    return slug
