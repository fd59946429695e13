"""The registry of content kinds: each public model, declared once for every layer.

An app describes each of its public models in its own `kinds.py`, as a
ContentKind, and registers it from its AppConfig.ready(). From that one
declaration:

- the history (django-reversion) records the model with the links that belong
  to it, and a deletion outside a request is recorded first (aiwatch.core.history);
- a renamed slug keeps answering with a redirect (aiwatch.core.slugs);
- search (aiwatch.search) keeps an entry for each published row, built from
  `indexed()` and `document()`, and refreshes it when something it names changes;
- the reader pages (aiwatch.site) list the kind in the sitemap, give each
  page a JSON twin (`as_json`) and describe it in JSON-LD (`as_jsonld`).

Rows edited inside their parents (aliases, mentions, an event's participants)
are registered with `register_link`, and `watch` tells search which entries
a change to some other model makes stale. The base imports no app: kinds are
handed to it by the apps above.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models.signals import pre_save

from aiwatch.core import history
from aiwatch.core.slugs import remember_old_slug

# Search entries named by their kind's key and the object's id: ("article", 42).
Targets = Iterable[tuple[str, int]]


@dataclass(frozen=True)
class Document:
    """What search keeps of one object: the text to match and the values to filter by."""

    title: str
    keywords: str = ""
    body: str = ""
    date: datetime.date | None = None
    date_precision: str = "day"
    outlet_id: int | None = None
    entity_ids: Sequence[int] = ()
    claim_kind: str = ""
    verification: str = ""
    standing: str = ""  # a claim's: preferred, normal or deprecated
    role: str = ""  # an article's role in the story
    republication: bool = False  # a confirmed republication of another article


class ContentKind:
    """One kind of public content. Subclasses set `model` and `key` and fill in what applies."""

    model: type[models.Model]
    # Its name in search ("kind=article") and in the sitemap.
    key: str
    # The links a version in the history carries, and a recovery brings back.
    follow: tuple[str, ...] = ()
    # How high the sitemap ranks its pages; None keeps them out of it.
    sitemap_priority: float | None = None

    def name(self, obj) -> str:
        """What a link to `obj` says."""
        return str(obj)

    def indexed(self) -> models.QuerySet | None:
        """The rows search keeps an entry for, with what `document()` reads; None: not searched."""
        return None

    def document(self, obj) -> Document:
        raise NotImplementedError

    def affects(self, obj) -> Targets:
        """Other entries that carry this object's text. Hides queries."""
        return ()

    def as_json(self, obj, absolute, *, full=False, context=None) -> dict:
        """The JSON twin of its page; `absolute` makes a path a full URL.

        Reads only what the page's queryset prefetched. `full` is the detail
        page; `context` is that page's template context.
        """
        raise NotImplementedError

    def as_jsonld(self, obj, absolute) -> dict | None:
        """schema.org JSON-LD for its detail page, or None."""
        return None

    def __repr__(self):
        return f"<{type(self).__name__} {self.key}>"


_kinds: dict[type[models.Model], ContentKind] = {}
_watchers: dict[type[models.Model], list[Callable[[models.Model], Targets]]] = {}


def register(kind: ContentKind) -> ContentKind:
    """Make `kind` known to every layer: history, slug redirects, search, the reader pages."""
    model = kind.model
    _kinds[model] = kind
    history.register_model(model, follow=kind.follow)
    pre_save.connect(remember_old_slug, sender=model, dispatch_uid=f"slug-{model._meta.label}")
    if kind.indexed() is not None:
        watch(model, lambda obj: [(kind.key, obj.pk), *kind.affects(obj)])
    else:
        watch(model, kind.affects)
    return kind


def register_link(model: type[models.Model], *, affects=None) -> None:
    """A row edited inside its parent: recorded in the history with it.

    `affects(row)` names the search entries that carry the row's text or facets.
    """
    history.register_model(model, follow=())
    if affects is not None:
        watch(model, affects)


def watch(model: type[models.Model], affects: Callable[[models.Model], Targets]) -> None:
    """When a `model` row is saved or deleted, search refreshes the entries `affects(row)` names."""
    _watchers.setdefault(model, []).append(affects)


def kinds() -> list[ContentKind]:
    """Every registered kind, in the order the apps registered them."""
    return list(_kinds.values())


def of(obj_or_model) -> ContentKind:
    """The kind of a model or of one of its rows; KeyError when it has none."""
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return _kinds[model._meta.concrete_model]


def find(obj) -> ContentKind | None:
    """The kind of `obj`, or None for anything that is not registered content."""
    model = getattr(type(obj), "_meta", None)
    return _kinds.get(model.concrete_model) if model else None


def by_key(key: str) -> ContentKind:
    return {kind.key: kind for kind in _kinds.values()}[key]


def watched() -> list[type[models.Model]]:
    """The models whose changes make search entries stale."""
    return list(_watchers)


def affected(obj) -> list[tuple[str, int]]:
    """The search entries a change to `obj` makes stale. Hides a query per linked kind."""
    return [target for affects in _watchers.get(type(obj), ()) for target in affects(obj)]


def ref(obj, absolute) -> dict:
    """A short reference to another page, for the JSON twins."""
    return {"name": of(obj).name(obj), "url": absolute(obj.get_absolute_url())}
