"""The readers' page cache: a public page kept whole, served again without a query.

What is kept: a GET or HEAD from a reader without a session (no session or
messages cookie), outside AIWATCH_PAGE_CACHE_SKIP (the admin, the health
checks), answered 200, 301, 404 or 410, setting no cookie, varying on nothing
but cookies, and with no Cache-Control of its own (a preview says "private").
Its key is the scheme, the host, the path and the parameters sorted by name
(a search, its filters, a page number), under the content version.

Invalidation is one content version for the whole site, kept in the cache
itself. Every save, delete and many-to-many change of a model of the apps in
AIWATCH_PAGE_CACHE_APPS replaces it, whatever made it: the admin's edits and
publishing actions, merges, imports, the seed, reverts from the history. Pages
kept under the old version are never read again. One version rather than keys
per object, because a page shows many objects (the home page, a claim's
claimant, any search) and nothing stale survives a change of the version; an
edit costs each page one render, and edits are rare next to reads.

The version is replaced on commit, and not before: a reader rendering before
the commit sees the old rows and would keep them under the new version, and a
rolled-back edit changes nothing. A reader who reads the old version just
after the commit keeps the new rows under it, which nobody reads again. The
version is random, not a counter: when it is lost (evicted, Redis restarted)
or two processes replace it at once, it can never come back to a value that
pages were kept under. A write that sends no signal (bulk_create, update())
calls content_changed() itself, as the search index does.

With read replicas (aiwatch.core.routers), a version made after an edit carries
the primary's WAL position at that moment, and a page to be kept under it is
read only from a replica that had replayed that far at its last health check
(else from the primary): a replica a moment behind would otherwise keep the
page from before the edit under the version meant to replace it.

A failing cache (Redis down, a full disk) is skipped: pages are rendered as
without it, the failure is logged once, and the cache is tried again after
RETRY_SECONDS. When it answers again the version is replaced, since edits made
meanwhile could not replace it.

Headers: a page that may be kept says so to a CDN in front, `public, max-age=0,
s-maxage=…, stale-while-revalidate=…, stale-if-error=…` (browsers revalidate
with the ETag every time); everything else, from the admin to a signed-in
editor's view of a public page, is `private, no-store` unless the view said
otherwise. After each commit that changed something, AIWATCH_PURGE_HOOK is
called with the absolute URLs of the pages it changed, for a CDN to purge.

Imports no app: the apps' models are found through the app registry.
"""

import functools
import hashlib
import logging
import pickle
import threading
import time
import uuid
import zlib
from pathlib import Path
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

from aiwatch.core.models import OldSlug
from aiwatch.core.replicas import primary_position
from aiwatch.core.routers import replica_reads_include
from aiwatch.core.views import PublishedMixin

logger = logging.getLogger("aiwatch")

CACHE = "default"
VERSION_KEY = "page-cache:version"
# How long a failing cache is left alone before it is tried again, in seconds.
RETRY_SECONDS = 5.0
CACHEABLE_STATUSES = frozenset({200, 301, 404, 410})
# django.contrib.messages keeps unread messages in this cookie: the next page shows them.
MESSAGES_COOKIE = "messages"
# The cache fails with these: Redis unreachable or timing out; the file cache's disk full,
# unwritable or holding a damaged file.
CACHE_ERRORS = (RedisError, OSError, EOFError, pickle.UnpicklingError, zlib.error)


# --- The cache, skipped while it fails ------------------------------------------------------


class _Health:
    # While time.monotonic() is below this, the cache is not tried.
    down_until = 0.0
    # The cache failed since it last answered: replace the version when it answers again.
    failed = False


_health = _Health()


def _attempt(operation: str, *args):
    """caches[CACHE].<operation>(*args): (True, its result), or (False, None) if the cache fails."""
    now = time.monotonic()
    if now < _health.down_until:
        return False, None
    cache = caches[CACHE]
    try:
        if _health.failed:
            # It answers again: edits made meanwhile could not replace the version.
            cache.set(VERSION_KEY, _new_version(), None)
            _health.failed, _health.down_until = False, 0.0
            logger.warning("The cache answers again; the pages kept before are dropped.")
        return True, getattr(cache, operation)(*args)
    except CACHE_ERRORS as error:
        if not _health.failed:
            logger.warning(
                "The cache is failing (%s: %s); pages are rendered without it, and it is "
                "tried again every %s s.",
                type(error).__name__,
                error,
                RETRY_SECONDS,
            )
        _health.failed = True
        _health.down_until = now + RETRY_SECONDS
        return False, None


def _new_version() -> str:
    """Random; with read replicas, followed by the primary's WAL position (a hidden query)."""
    position = primary_position()
    return uuid.uuid4().hex + ("" if position is None else f"@{position:x}")


def position_of(version: str | None) -> int | None:
    """The primary's WAL position when `version` was made, if it says (see _new_version)."""
    if not version or "@" not in version:
        return None
    return int(version.rsplit("@", 1)[1], 16)


def current_version() -> str | None:
    """The content version pages are kept under now; None while the cache fails."""
    ok, version = _attempt("get", VERSION_KEY)
    if not ok:
        return None
    if version is None:
        fresh = _new_version()
        ok, added = _attempt("add", VERSION_KEY, fresh, None)
        if not ok:
            return None
        version = fresh if added else _attempt("get", VERSION_KEY)[1]
    return version


def _replace_version() -> None:
    ok, _ = _attempt("set", VERSION_KEY, _new_version(), None)
    if not ok:
        # A web worker replaces it when the cache answers again; a command that ends first
        # cannot, and pages kept before the edit live out AIWATCH_PAGE_CACHE_SECONDS.
        logger.error(
            "The cache could not be told of an edit; pages kept before it may be served "
            "for up to %s s.",
            settings.AIWATCH_PAGE_CACHE_SECONDS,
        )


# --- Edits: replace the version and purge, on commit ---------------------------------------


class _Pending(threading.local):
    """What this thread's transaction changed, until its commit is handled."""

    def __init__(self):
        self.dirty = False
        self.purge = False
        self.paths: set[str] = set()


_pending = _Pending()


def content_changed(paths=None, *, using=None) -> None:
    """Public pages changed in the current transaction: on commit, drop every kept page.

    `paths` are the pages the change shows on, for the purge hook; None asks
    for no purge. Outside a transaction, it happens at once.
    """
    _pending.dirty = True
    if paths is not None:
        _pending.purge = True
        _pending.paths.update(paths)
    transaction.on_commit(_committed, using=using)


def _committed() -> None:
    # Each change of a transaction scheduled this; the first to run does it for them all.
    if not _pending.dirty:
        return
    paths, purge = _pending.paths, _pending.purge
    _pending.dirty, _pending.purge, _pending.paths = False, False, set()
    _replace_version()
    if purge:
        _purge(paths)


def forget_pending() -> None:
    """Forget uncommitted changes and past failures: a test's, whose transaction never commits."""
    _pending.dirty, _pending.purge, _pending.paths = False, False, set()
    _health.failed, _health.down_until = False, 0.0


def no_purge(urls: list[str]) -> None:
    """The default AIWATCH_PURGE_HOOK: no CDN in front, nothing to purge."""


def _purge_hook():
    return import_string(settings.AIWATCH_PURGE_HOOK)


def _purging() -> bool:
    return _purge_hook() is not no_purge


def _purge(paths: set[str]) -> None:
    hook = _purge_hook()
    if hook is no_purge:
        return
    pages = set(paths)
    for name in settings.AIWATCH_PURGE_PAGES:
        try:
            pages.add(reverse(name))
        except NoReverseMatch:
            logger.warning("AIWATCH_PURGE_PAGES names %r, which is no page.", name)
    twins = {f"{path}?format=json" for path in pages if _has_json_twin(path)}
    origin = settings.AIWATCH_PUBLIC_URL
    urls = sorted(origin + path for path in pages | twins)
    try:
        hook(urls)
    except Exception:
        # The edit is committed: a purge that fails must not turn it into an error page.
        logger.exception(
            "The purge hook failed; a CDN may serve the old pages for up to %s s.",
            settings.AIWATCH_CACHE_S_MAXAGE,
        )


def _has_json_twin(path: str) -> bool:
    try:
        view = resolve(path).func
    except Resolver404:
        return False
    view_class = getattr(view, "view_class", None)
    return isinstance(view_class, type) and issubclass(view_class, PublishedMixin)


def _page(obj) -> str | None:
    """The path of `obj`'s own page, without its #fragment; None if it has none (now)."""
    get_url = getattr(obj, "get_absolute_url", None)
    if get_url is None:
        return None
    try:
        url = get_url()
    except (ObjectDoesNotExist, NoReverseMatch, LookupError, ValueError):
        return None
    return url.split("#")[0] or None


def pages_of(obj) -> set[str]:
    """The paths of the pages that show `obj`: its own and those of the rows it points at.

    Hides a query per link not already fetched; only run when a purge hook is set.
    """
    found = {_page(obj)}
    for field in obj._meta.concrete_fields:
        if field.many_to_one and hasattr(field.related_model, "get_absolute_url"):
            try:
                related = getattr(obj, field.name)
            except ObjectDoesNotExist:
                continue
            if related is not None:
                found.add(_page(related))
    if isinstance(obj, OldSlug):
        # The address it recorded answers a 301 now, where a CDN still keeps the page.
        try:
            former = apps.get_model(obj.model)(pk=obj.object_id, slug=obj.slug)
        except (LookupError, ValueError):
            former = None
        found.add(_page(former))
    found.discard(None)
    return found


def _saved(sender, instance, using=None, **kwargs):
    content_changed(pages_of(instance) if _purging() else set(), using=using)


def _m2m_changed(sender, instance, action, model, pk_set, using=None, **kwargs):
    if not action.startswith("post_"):
        return
    paths = set()
    if _purging():
        paths = pages_of(instance)
        for other in model._default_manager.using(using).filter(pk__in=pk_set or ()):
            paths |= pages_of(other)
    content_changed(paths, using=using)


def connect() -> None:
    """Treat each save, delete and m2m change of the AIWATCH_PAGE_CACHE_APPS' models as an edit.

    Run from the base's AppConfig.ready(), once every app's models are loaded.
    """
    for label in settings.AIWATCH_PAGE_CACHE_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            uid = f"page-cache-{model._meta.label}"
            post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(_saved, sender=model, dispatch_uid=f"{uid}-delete")
            m2m_changed.connect(_m2m_changed, sender=model, dispatch_uid=f"{uid}-m2m")


# --- Requests ------------------------------------------------------------------------------


def _readers_request(request) -> bool:
    """A request whose answer may come from the cache: an anonymous reader's GET or HEAD."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(tuple(settings.AIWATCH_PAGE_CACHE_SKIP)):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return False  # perhaps signed in, perhaps a message to show: the page is theirs
    return "HTTP_AUTHORIZATION" not in request.META and "preview" not in request.GET


def _public_answer(request, response) -> bool:
    """Whether the answer to a reader's request is the same for every reader."""
    if response.status_code not in CACHEABLE_STATUSES or response.streaming:
        return False
    if response.cookies or response.has_header("Cache-Control"):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if vary - {"cookie", "accept-encoding"}:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


@functools.cache
def code_fingerprint() -> str:
    """A digest of the code, templates and static files pages are made with; read once.

    In the key, so that a deploy starts with no pages kept by the code before
    it, and web nodes running the same code share their pages. About 160 files.
    """
    base = Path(settings.BASE_DIR).resolve()
    # The project's own apps; not the libraries' (Django's admin alone is a thousand
    # files), even when the virtualenv sits inside the checkout.
    folders = {
        path
        for path in (Path(c.path).resolve() for c in apps.get_app_configs())
        if path.is_relative_to(base) and not {"site-packages", "dist-packages"} & set(path.parts)
    }
    folders.add(Path(__file__).resolve().parents[1])  # aiwatch/: the base, search, the site
    for engine in settings.TEMPLATES:
        folders |= {Path(d) for d in engine.get("DIRS", ())}
    folders |= {Path(d) for d in settings.STATICFILES_DIRS}
    digest = hashlib.sha1()
    files = {f for folder in folders if folder.is_dir() for f in folder.rglob("*") if f.is_file()}
    for file in sorted(f for f in files if "__pycache__" not in f.parts):
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def _key(request, version: str) -> str:
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{code_fingerprint()}:{version}:{digest}"


def public_cache_control() -> str:
    return (
        f"public, max-age=0, s-maxage={settings.AIWATCH_CACHE_S_MAXAGE}, "
        f"stale-while-revalidate={settings.AIWATCH_CACHE_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.AIWATCH_CACHE_STALE_IF_ERROR}"
    )


def _frozen(response) -> tuple:
    headers = [(k, v) for k, v in response.items() if k.lower() != "cache-control"]
    return (response.status_code, headers, response.content)


def _thawed(frozen) -> HttpResponse:
    status, headers, content = frozen
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


class PageCacheMiddleware:
    """Serve an anonymous reader's page from the cache, or render it and keep it.

    The version is read before the view runs: a page rendered from rows older
    than an edit is kept under the version the edit replaces.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _readers_request(request):
            response = self.get_response(request)
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private, no-store"
            return response
        # Off (AIWATCH_PAGE_CACHE), nothing is kept here, but a CDN is still told what it may keep.
        on = settings.AIWATCH_PAGE_CACHE
        version = current_version() if on else None
        key = _key(request, version) if version is not None else None
        if key is not None:
            ok, kept = _attempt("get", key)
            if ok and kept is not None:
                response = _thawed(kept)
                response["Cache-Control"] = public_cache_control()
                response["X-Page-Cache"] = "hit"
                return response
        # To be kept under `version`, the page must be read from rows as new as its edit.
        with replica_reads_include(position_of(version) if key is not None else None):
            response = self.get_response(request)
        if not _public_answer(request, response):
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private, no-store"
            return response
        if key is not None and len(response.content) <= settings.AIWATCH_PAGE_CACHE_MAX_BYTES:
            _attempt("set", key, _frozen(response), settings.AIWATCH_PAGE_CACHE_SECONDS)
        response["Cache-Control"] = public_cache_control()
        if on:
            response["X-Page-Cache"] = "miss"
        return response
