"""Readers' pages come from the cache, and an edit is on every public page as soon as it commits.

The cache is the suite's own (aiwatch.settings_test: in memory, emptied before
each test), so an anonymous client here sees what a reader would: a page kept
by one request and served again by the next. Edits are made as editors make
them (the admin's views with a signed-in editor, the services) and committed
with django_capture_on_commit_callbacks, since the test's transaction never is.
"""

import contextlib
import io
import logging
import os
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path, reverse

from aiwatch.core import page_cache
from aiwatch.core.publishing import Status
from aiwatch.env import env_redis_url
from entities.merging import merge_entities
from tests.admin_forms import form_values
from tests.core.test_health import unreachable_database  # noqa: F401 (a fixture)
from tests.core.test_permissions_every_path import revert, saved
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EntityFactory,
    EventFactory,
    MentionFactory,
)

pytestmark = pytest.mark.django_db

REDIS = "redis://127.0.0.1:6379"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def story():
    """A small published graph: an entity quoted in an article, a claim and an event."""
    entity = EntityFactory(name="Zhipu AI")
    article = ArticleFactory(title="Zhipu offers free API credits")
    MentionFactory(article=article, entity=entity, status="accepted")
    claim = ClaimFactory(claimant=entity, article=article, statement="Zhipu will help developers.")
    event = EventFactory(title="OpenAI blocks API traffic from China")
    return {"entity": entity, "article": article, "claim": claim, "event": event}


@pytest.fixture
def chief(editor):
    """An editor who may do anything, signed in in a browser of their own, beside the reader."""
    browser = Client()
    browser.force_login(editor)
    return browser


def reader_pages(story):
    return [
        reverse("home"),
        reverse("articles:article-list"),
        reverse("articles:article-list") + "?page=1",
        reverse("entities:entity-list"),
        reverse("entities:event-list"),
        reverse("entities:claim-list"),
        story["entity"].get_absolute_url(),
        story["entity"].get_absolute_url() + "?format=json",
        story["article"].get_absolute_url(),
        story["article"].source.get_absolute_url(),
        story["claim"].get_absolute_url(),
        story["event"].get_absolute_url(),
        reverse("search") + "?q=zhipu",
        reverse("search") + "?q=智谱&format=json",
        reverse("feeds:articles"),
        reverse("feeds:events"),
        reverse("feeds:entity", args=[story["entity"].slug]),
        reverse("sitemap"),
        reverse("robots-txt"),
    ]


def test_a_second_visit_is_served_from_the_cache_without_a_query(
    client, story, django_assert_num_queries
):
    for url in reader_pages(story):
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["X-Page-Cache"] == "miss", url
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again["X-Page-Cache"] == "hit", url
        assert again.content == first.content, url
        assert again["Content-Type"] == first["Content-Type"], url


def test_a_cdn_is_told_how_long_to_keep_a_public_page(client, story):
    with override_settings(
        AIWATCH_CACHE_S_MAXAGE=120,
        AIWATCH_CACHE_STALE_WHILE_REVALIDATE=30,
        AIWATCH_CACHE_STALE_IF_ERROR=3600,
    ):
        for response in (client.get("/"), client.get("/")):
            assert response["Cache-Control"] == (
                "public, max-age=0, s-maxage=120, stale-while-revalidate=30, stale-if-error=3600"
            )


def test_the_etag_still_answers_a_304_for_a_kept_page(client, story):
    first = client.get("/")
    again = client.get("/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


# --- Edits ------------------------------------------------------------------------------


def test_an_edit_in_the_admin_is_on_every_page_at_once(
    client, chief, story, django_capture_on_commit_callbacks
):
    entity = story["entity"]
    pages = [entity.get_absolute_url(), "/", reverse("entities:entity-list")]
    for url in pages:
        assert "Zhipu AI" in client.get(url).content.decode()
    change = reverse("admin:entities_entity_change", args=[entity.pk])
    data = form_values(chief.get(change).content)
    data["name"] = ["Zhipu AI (智谱)"]
    with django_capture_on_commit_callbacks(execute=True):
        assert chief.post(change, data).status_code == 302
    for url in pages:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Zhipu AI (智谱)" in response.content.decode(), url


def test_publishing_in_the_admin_replaces_the_404_readers_were_given(
    client, chief, django_capture_on_commit_callbacks
):
    draft = EntityFactory(name="Moonshot AI", status=Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url())["X-Page-Cache"] == "hit"
    assert "Moonshot AI" not in client.get(reverse("entities:entity-list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        chief.post(
            reverse("admin:entities_entity_changelist"),
            {"action": "publish", "_selected_action": [draft.pk]},
        )
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert "Moonshot AI" in client.get(reverse("entities:entity-list")).content.decode()


def test_withdrawing_in_the_admin_answers_410_at_once(
    client, chief, story, django_capture_on_commit_callbacks
):
    article = story["article"]
    assert client.get(article.get_absolute_url()).status_code == 200
    assert article.title in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        chief.post(
            reverse("admin:articles_article_changelist"),
            {"action": "withdraw", "_selected_action": [article.pk]},
        )
    assert client.get(article.get_absolute_url()).status_code == 410
    assert article.title not in client.get("/").content.decode()


def test_deleting_in_the_admin_takes_the_page_away(
    client, chief, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Kimi opens to developers abroad")
    assert client.get(event.get_absolute_url()).status_code == 200
    assert event.title in client.get(reverse("feeds:events")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = chief.post(
            reverse("admin:entities_event_delete", args=[event.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert client.get(event.get_absolute_url()).status_code == 404
    assert event.title not in client.get(reverse("feeds:events")).content.decode()


def test_a_merge_sends_the_duplicates_readers_to_the_survivor(
    client, django_capture_on_commit_callbacks
):
    survivor = EntityFactory(name="SenseTime")
    duplicate = EntityFactory(name="Sensetime Group")
    assert client.get(duplicate.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        merge_entities(survivor=survivor, duplicate=duplicate)
    response = client.get(duplicate.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == survivor.get_absolute_url()
    assert "Sensetime Group" not in client.get(reverse("entities:entity-list")).content.decode()


def test_a_revert_in_the_admin_puts_the_old_page_back(
    client, chief, django_capture_on_commit_callbacks
):
    entity = EntityFactory(name="MiniMax")
    first = saved(entity, description="A Shanghai AI company.")
    saved(entity, description="A company that makes video models.")
    assert "video models" in client.get(entity.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert revert(chief, entity, first).status_code == 302
    page = client.get(entity.get_absolute_url()).content.decode()
    assert "A Shanghai AI company." in page and "video models" not in page


def test_the_seed_is_on_the_pages_kept_before_it(client, django_capture_on_commit_callbacks):
    assert "SenseTime" not in client.get(reverse("entities:entity-list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed", verbosity=0)
    assert "SenseTime" in client.get(reverse("entities:entity-list")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_restore_drops_the_pages_kept_before_it(client, tmp_path):
    # Committed for real: pg_restore, another client, must see the rows.
    entity = EntityFactory(name="Alpha Lab")
    dump = tmp_path / "aiwatch.dump"
    call_command("backup", str(dump), stdout=io.StringIO(), stderr=io.StringIO())
    entity.name = "Beta Lab"
    entity.save()
    assert "Beta Lab" in client.get(entity.get_absolute_url()).content.decode()
    call_command("restore", str(dump), force=True, stdout=io.StringIO(), stderr=io.StringIO())
    page = client.get(entity.get_absolute_url())
    assert page["X-Page-Cache"] == "miss" and "Alpha Lab" in page.content.decode()


def test_a_link_added_to_a_claim_shows_on_its_page(
    client, story, django_capture_on_commit_callbacks
):
    claim, other = story["claim"], EntityFactory(name="Baichuan")
    assert "Baichuan" not in client.get(claim.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        claim.about_entities.add(other)  # a many-to-many change, no save()
    assert "Baichuan" in client.get(claim.get_absolute_url()).content.decode()


def test_a_new_article_is_in_the_search_results_kept_before_it(
    client, django_capture_on_commit_callbacks
):
    search = reverse("search") + "?q=moonshot"
    assert "Moonshot opens Kimi" not in client.get(search).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="Moonshot opens Kimi to developers")
    assert "Moonshot opens Kimi" in client.get(search).content.decode()


def test_a_search_kept_before_the_index_caught_up_is_dropped_when_it_does(
    client, django_capture_on_commit_callbacks
):
    # The commit runs its callbacks in turn: the page cache's, then the index's refresh.
    # A reader between the two would keep results without the new article.
    search = reverse("search") + "?q=baichuan"
    client.get(search)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ArticleFactory(title="Baichuan releases a new model")
    for callback in callbacks:
        with django_capture_on_commit_callbacks(execute=True):  # what it schedules runs too
            callback()
        client.get(search)
    assert "Baichuan releases a new model" in client.get(search).content.decode()


def test_an_edit_rolled_back_drops_nothing(client, story, django_capture_on_commit_callbacks):
    client.get("/")
    version = page_cache.current_version()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        story["event"].delete()
        raise RuntimeError("the editor's save failed")
    assert callbacks == []
    assert page_cache.current_version() == version
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_nothing_is_dropped_before_the_commit(client, story, django_capture_on_commit_callbacks):
    client.get("/")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story["article"].title = "Renamed"
        story["article"].save()
        # Another reader before the commit still gets the page as it was.
        assert client.get("/")["X-Page-Cache"] == "hit"
    for callback in callbacks:
        callback()
    assert client.get("/")["X-Page-Cache"] == "miss"


@pytest.mark.django_db(transaction=True)
def test_a_kept_page_is_still_served_while_the_database_is_unreachable(request, client):
    entity = EntityFactory(name="Zhipu AI")
    assert client.get(entity.get_absolute_url())["X-Page-Cache"] == "miss"
    request.getfixturevalue("unreachable_database")
    kept = client.get(entity.get_absolute_url())
    assert kept.status_code == 200 and kept["X-Page-Cache"] == "hit"
    # A page nobody asked for before needs the database: the 503 page, never kept.
    assert client.get(reverse("entities:entity-list")).status_code == 503


# --- What is never kept ---------------------------------------------------------------------


def test_a_signed_in_editor_never_gets_a_kept_page_nor_keeps_one(client, chief, story):
    url = story["entity"].get_absolute_url()
    page = chief.get(url)
    assert page.status_code == 200
    assert "X-Page-Cache" not in page and page["Cache-Control"] == "private, no-store"
    assert client.get(url)["X-Page-Cache"] == "miss"  # the editor's visit kept nothing
    assert "X-Page-Cache" not in chief.get(url)  # the reader's kept page is not the editor's


def test_a_draft_preview_is_never_kept(client, chief):
    draft = EntityFactory(name="Stepfun", status=Status.DRAFT)
    preview = draft.get_absolute_url() + "?preview=1"
    for _ in range(2):
        response = chief.get(preview)
        assert response.status_code == 200 and "Stepfun" in response.content.decode()
        assert response["Cache-Control"] == "private, no-store"
        assert "X-Page-Cache" not in response
    # A reader asking for the preview gets the draft's 404, and it is not kept either.
    assert client.get(preview).status_code == 404
    assert "X-Page-Cache" not in client.get(preview)


def test_the_admin_is_never_kept(client):
    for url in (reverse("admin:index"), reverse("admin:login")):
        response = client.get(url)
        assert "X-Page-Cache" not in response
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize("path_", ["/healthz", "/readyz", "/healthz/", "/readyz?full=1"])
def test_the_health_checks_are_never_kept(client, path_):
    for _ in range(2):
        response = client.get(path_)
        assert "X-Page-Cache" not in response
        assert response["Cache-Control"].startswith("private") or (
            "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
        )


def test_a_post_is_never_kept(client, story):
    response = client.post("/", {"q": "zhipu"})
    assert "X-Page-Cache" not in response and response["Cache-Control"] == "private, no-store"
    assert client.get("/")["X-Page-Cache"] == "miss"


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_a_visitor_with_a_session_or_messages_is_never_served_a_kept_page(client, story, cookie):
    client.get("/")
    other = Client()
    other.cookies[cookie] = "something"
    response = other.get("/")
    assert response.status_code == 200 and "X-Page-Cache" not in response
    assert response["Cache-Control"] == "private, no-store"


def _sets_a_cookie(request):
    response = HttpResponse("hello")
    response.set_cookie("seen", "1")
    return response


def _says_private(request):
    response = HttpResponse("yours only")
    response["Cache-Control"] = "private"
    return response


def _varies_by_language(request):
    response = HttpResponse("bonjour")
    response["Vary"] = "Accept-Language"
    return response


def _breaks(request):
    return HttpResponse("try again", status=503)


def _moved(request):
    return HttpResponse(status=302, headers={"Location": "/"})


urlpatterns = [
    path("admin/", admin.site.urls),  # the statement timeout's middleware looks it up
    path("cookie/", _sets_a_cookie),
    path("private/", _says_private),
    path("language/", _varies_by_language),
    path("broken/", _breaks),
    path("moved/", _moved),
]


@pytest.mark.parametrize("url", ["/cookie/", "/private/", "/language/", "/broken/", "/moved/"])
def test_answers_not_the_same_for_every_reader_are_never_kept(client, settings, url):
    settings.ROOT_URLCONF = __name__
    for _ in range(2):
        response = client.get(url)
        assert "X-Page-Cache" not in response
        assert "public" not in response["Cache-Control"]


def test_the_parameters_are_in_the_key_in_any_order(client, story):
    base = reverse("search")
    assert client.get(f"{base}?q=zhipu&kind=entity")["X-Page-Cache"] == "miss"
    assert client.get(f"{base}?kind=entity&q=zhipu")["X-Page-Cache"] == "hit"
    other = client.get(f"{base}?q=zhipu&kind=claim")
    assert other["X-Page-Cache"] == "miss"
    assert client.get(f"{base}?q=zhipu")["X-Page-Cache"] == "miss"


def test_each_host_has_its_own_pages(client, story):
    url = story["entity"].get_absolute_url() + "?format=json"
    assert "http://localhost/" in client.get(url, HTTP_HOST="localhost").content.decode()
    other = client.get(url, HTTP_HOST="127.0.0.1")
    assert other["X-Page-Cache"] == "miss" and "http://127.0.0.1/" in other.content.decode()


def test_a_page_too_large_is_rendered_every_time(client, story):
    with override_settings(AIWATCH_PAGE_CACHE_MAX_BYTES=100):
        client.get("/")
        response = client.get("/")
    assert response["X-Page-Cache"] == "miss" and response["Cache-Control"].startswith("public")


def test_the_cache_can_be_turned_off_and_a_cdn_is_still_told_what_to_keep(
    client, story, django_assert_max_num_queries
):
    with override_settings(AIWATCH_PAGE_CACHE=False):
        client.get("/")
        with django_assert_max_num_queries(20) as rendered:
            response = client.get("/")
    assert rendered.captured_queries  # rendered again, not served from the cache
    assert "X-Page-Cache" not in response
    assert response["Cache-Control"].startswith("public, max-age=0, s-maxage=")


# --- The purge hook -------------------------------------------------------------------------

purged: list[list[str]] = []


def record_purge(urls):
    purged.append(urls)


def refuse_purge(urls):
    raise ConnectionError("the CDN's API is down")


@pytest.fixture
def purges():
    purged.clear()
    with override_settings(
        AIWATCH_PURGE_HOOK=f"{__name__}.record_purge", AIWATCH_PUBLIC_URL="https://aiwatch.example"
    ):
        yield purged
    purged.clear()


def test_an_edit_purges_its_pages_and_the_lists_once_committed(
    purges, story, django_capture_on_commit_callbacks
):
    site = "https://aiwatch.example"
    entity = story["entity"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entity.description = "A Beijing AI company."
        entity.save()
        entity.aliases.create(name="智谱", language="zh-Hans")
    assert purges == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(purges) == 1
    urls = purges[0]
    assert urls == sorted(set(urls))
    for path_ in [
        entity.get_absolute_url(),
        entity.get_absolute_url() + "?format=json",
        "/",
        reverse("entities:entity-list"),
        reverse("entities:entity-list") + "?format=json",
        reverse("articles:article-list"),
        reverse("entities:claim-list"),
        reverse("entities:event-list"),
        reverse("feeds:articles"),
        reverse("feeds:events"),
        reverse("sitemap"),
    ]:
        assert site + path_ in urls


def test_a_link_purges_the_pages_on_both_ends(purges, story, django_capture_on_commit_callbacks):
    other = EntityFactory(name="Baichuan")
    with django_capture_on_commit_callbacks(execute=True):
        purges.clear()
        MentionFactory(article=story["article"], entity=other, status="accepted")
    urls = purges[-1]
    assert "https://aiwatch.example" + story["article"].get_absolute_url() in urls
    assert "https://aiwatch.example" + other.get_absolute_url() in urls


def test_a_renamed_slug_purges_the_old_address(purges, story, django_capture_on_commit_callbacks):
    entity = story["entity"]
    old = entity.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        purges.clear()
        entity.slug = "zhipu"
        entity.save()
    assert "https://aiwatch.example" + old in purges[-1]
    assert "https://aiwatch.example/entities/zhipu/" in purges[-1]


def test_a_rolled_back_edit_purges_nothing(purges, story, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        story["event"].delete()
        raise RuntimeError("refused")
    assert purges == []


def test_a_failing_purge_hook_does_not_fail_the_edit(
    client, chief, story, django_capture_on_commit_callbacks, caplog
):
    entity = story["entity"]
    client.get(entity.get_absolute_url())
    with (
        override_settings(AIWATCH_PURGE_HOOK=f"{__name__}.refuse_purge"),
        django_capture_on_commit_callbacks(execute=True),
        caplog.at_level(logging.ERROR, logger="aiwatch"),
    ):
        response = chief.post(
            reverse("admin:entities_entity_changelist"),
            {"action": "withdraw", "_selected_action": [entity.pk]},
        )
    assert response.status_code == 302
    assert "The purge hook failed" in caplog.text
    assert client.get(entity.get_absolute_url()).status_code == 410


# --- Redis --------------------------------------------------------------------------------


def _redis_cache(location, prefix):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def redis_cache():
    """The machine's Redis (db 11), under a prefix of this run's own, emptied of it after."""
    import redis

    client = redis.Redis.from_url(f"{REDIS}/11", socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"these tests need Redis at {REDIS}: {error}")
    prefix = f"aiwatch-test-{uuid.uuid4().hex[:12]}"
    try:
        with override_settings(CACHES=_redis_cache(f"{REDIS}/11", prefix)):
            yield client
    finally:
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
        client.close()


def test_pages_are_kept_in_redis_and_dropped_by_an_edit(
    client, story, redis_cache, django_assert_num_queries, django_capture_on_commit_callbacks
):
    entity = story["entity"]
    url = entity.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert client.get(url)["X-Page-Cache"] == "hit"
    prefix = caches["default"].key_prefix
    assert any(redis_cache.scan_iter(match=f"{prefix}:*page:*"))
    with django_capture_on_commit_callbacks(execute=True):
        entity.name = "Zhipu AI (智谱)"
        entity.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss" and "智谱" in response.content.decode()


def test_with_redis_unreachable_pages_are_rendered_and_edits_go_through(
    client, story, django_capture_on_commit_callbacks, caplog
):
    url = story["entity"].get_absolute_url()
    with (
        override_settings(CACHES=_redis_cache("redis://127.0.0.1:1/0", "aiwatch-test-down")),
        caplog.at_level(logging.WARNING, logger="aiwatch"),
    ):
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200 and "Zhipu AI" in response.content.decode()
            assert response["Cache-Control"].startswith("public")
        with django_capture_on_commit_callbacks(execute=True):
            story["entity"].name = "Zhipu AI (智谱)"
            story["entity"].save()
        assert "智谱" in client.get(url).content.decode()
    assert caplog.text.count("The cache is failing") == 1


@pytest.fixture
def silent_redis():
    """A server that takes connections and never answers: a Redis hung or cut off mid-way."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted = []

    def accept():
        with contextlib.suppress(OSError):
            while True:
                accepted.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0", accepted
    finally:
        server.close()
        for connection in accepted:
            connection.close()
        thread.join(timeout=5)


def test_a_hung_redis_is_left_alone_after_one_timeout(client, story, silent_redis):
    location, accepted = silent_redis
    cache = _redis_cache(location, "aiwatch-test-hung")
    cache["default"]["OPTIONS"] = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}
    with override_settings(CACHES=cache):
        for _ in range(5):
            assert client.get(story["entity"].get_absolute_url()).status_code == 200
    # One request waited for it; the next ones were rendered without trying it.
    assert len(accepted) == 1


def test_an_edit_made_while_the_cache_was_away_is_not_hidden_when_it_returns(
    client, story, django_capture_on_commit_callbacks
):
    url = story["entity"].get_absolute_url()
    client.get(url)  # kept in the suite's cache
    with override_settings(CACHES=_redis_cache("redis://127.0.0.1:1/0", "aiwatch-test-down")):
        client.get(url)  # the cache fails: it is left alone for a while
        with django_capture_on_commit_callbacks(execute=True):
            story["entity"].name = "Zhipu AI (智谱)"
            story["entity"].save()
    page_cache._health.down_until = 0.0  # the wait is over; the suite's cache answers again
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss" and "智谱" in response.content.decode()


def test_without_redis_the_pages_are_kept_in_files_every_process_shares(
    client, story, tmp_path, django_assert_num_queries, django_capture_on_commit_callbacks
):
    files = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}
    with override_settings(CACHES={"default": {**files, "LOCATION": str(tmp_path)}}):
        url = story["claim"].get_absolute_url()
        assert client.get(url)["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0):
            assert client.get(url)["X-Page-Cache"] == "hit"
        with django_capture_on_commit_callbacks(execute=True):
            story["claim"].statement = "Zhipu will refund developers."
            story["claim"].save()
        assert "refund" in client.get(url).content.decode()
    assert any(tmp_path.iterdir())


# --- Settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "redis://127.0.0.1:6379/0",
        "redis://:secret@cache.internal:6380",
        "rediss://cache.internal/3",
        "unix:///run/redis.sock?db=2",
    ],
)
def test_a_redis_url_is_accepted(monkeypatch, url):
    monkeypatch.setenv("REDIS_URL", url)
    assert env_redis_url("REDIS_URL") == url


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379",
        "127.0.0.1:6379",
        "redis://127.0.0.1:port/0",
        "redis://127.0.0.1:6379/zero",
        "redis:///0",
        "unix://",
    ],
)
def test_a_malformed_redis_url_is_refused(monkeypatch, url):
    monkeypatch.setenv("REDIS_URL", url)
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        env_redis_url("REDIS_URL")


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AIWATCH_"))}
    base.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRINT_BACKEND = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"


def test_the_cache_is_redis_with_a_url_and_files_without_and_a_bad_url_stops_start_up():
    assert _manage("shell", "-c", PRINT_BACKEND).stdout.strip().endswith("FileBasedCache")
    with_redis = _manage("shell", "-c", PRINT_BACKEND, REDIS_URL=f"{REDIS}/0")
    assert with_redis.stdout.strip().endswith("RedisCache")
    broken = _manage("check", REDIS_URL="redis://:secret@127.0.0.1:63x9/0")
    assert broken.returncode != 0
    assert "REDIS_URL has a host or port that cannot be read" in broken.stderr
    assert "secret" not in broken.stderr
