"""The read-replica router's decisions, with a fake health report and no server.

The same decisions against two real PostgreSQL servers: test_replica_streaming.py.
"""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.db import DEFAULT_DB_ALIAS, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from aiwatch.core import replicas as replicas_module
from aiwatch.core import routers
from aiwatch.core.replicas import ReplicaHealth, Status
from aiwatch.core.routers import WROTE_COOKIE, ReplicaRouter, ReplicaRoutingMiddleware
from articles.models import Article

ROOT = Path(__file__).resolve().parents[2]


class FakeHealth:
    def __init__(self, *healthy: str):
        self.up = list(healthy)

    def healthy(self, at_least=None):
        return list(self.up)

    def mark_down(self, alias, reason):
        self.up.remove(alias)


@pytest.fixture
def replicas(settings, monkeypatch):
    monkeypatch.setattr(routers, "replica_aliases", lambda: ["replica_1", "replica_2"])
    settings.AIWATCH_READ_YOUR_WRITES_SECONDS = 10
    return FakeHealth("replica_1")


def _serve(health, request, *, write=False, reads=1):
    """Run `request` through the middleware; the aliases its reads went to, and the response."""
    router = ReplicaRouter(health=health)
    seen = []

    def view(request):
        if write:
            seen.append(("write", router.db_for_write(Article)))
        seen.extend(router.db_for_read(Article) for _ in range(reads))
        return HttpResponse("ok")

    response = ReplicaRoutingMiddleware(view, health=health)(request)
    return [alias for alias in seen if not isinstance(alias, tuple)], response


def _request(path="/articles/", method="get", user=None, cookies=None):
    request = getattr(RequestFactory(), method)(path)
    request.user = user or AnonymousUser()
    request.COOKIES.update(cookies or {})
    return request


def test_a_public_read_goes_to_a_replica(replicas):
    assert _serve(replicas, _request())[0] == ["replica_1"]
    assert _serve(replicas, _request(method="head"))[0] == ["replica_1"]


def test_one_request_reads_from_one_replica(replicas):
    replicas.up = ["replica_1", "replica_2"]
    for _ in range(10):
        reads, _response = _serve(replicas, _request(), reads=5)
        assert len(set(reads)) == 1


def test_replica_not_for_the_admin(replicas):
    assert _serve(replicas, _request("/admin/articles/article/"))[0] == [DEFAULT_DB_ALIAS]


def test_replica_not_for_a_signed_in_user(replicas, settings):
    editor = User(username="editor")
    request = _request(user=editor, cookies={settings.SESSION_COOKIE_NAME: "a-session"})
    assert _serve(replicas, request)[0] == [DEFAULT_DB_ALIAS]


def test_replica_not_when_the_session_cannot_be_read_and_no_500(replicas, settings):
    class Unreadable:
        @property
        def is_authenticated(self):
            raise OperationalError("the primary is gone")

    request = _request(cookies={settings.SESSION_COOKIE_NAME: "a-session"})
    request.user = Unreadable()
    # The view meets the error again and answers 503 (DatabaseUnavailableMiddleware).
    reads, response = _serve(replicas, request)
    assert reads == [DEFAULT_DB_ALIAS] and response.status_code == 200


def test_replica_not_for_a_post_and_writes_go_to_the_primary(replicas):
    reads, _response = _serve(replicas, _request(method="post"), write=True)
    assert reads == [DEFAULT_DB_ALIAS]
    assert ReplicaRouter(health=replicas).db_for_write(Article) == DEFAULT_DB_ALIAS


def test_after_a_write_the_rest_of_the_request_and_the_clients_next_reads_use_the_primary(
    replicas, settings
):
    reads, response = _serve(replicas, _request(), write=True)
    assert reads == [DEFAULT_DB_ALIAS]
    cookie = response.cookies[WROTE_COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"] and cookie["samesite"] == "Lax"

    following = _request(cookies={WROTE_COOKIE: cookie.value})
    assert _serve(replicas, following)[0] == [DEFAULT_DB_ALIAS]
    # A made-up cookie counts for nothing; a request that did not write sets none.
    forged = _request(cookies={WROTE_COOKIE: "1"})
    reads, response = _serve(replicas, forged)
    assert reads == ["replica_1"] and WROTE_COOKIE not in response.cookies


def test_replica_read_your_writes_cookie_expires(replicas, settings, monkeypatch):
    import time

    _reads, response = _serve(replicas, _request(), write=True)
    value = response.cookies[WROTE_COOKIE].value
    later = time.time() + 11
    monkeypatch.setattr(time, "time", lambda: later)
    assert _serve(replicas, _request(cookies={WROTE_COOKIE: value}))[0] == ["replica_1"]


def test_no_healthy_replica_means_the_primary(replicas):
    replicas.up = []
    assert _serve(replicas, _request())[0] == [DEFAULT_DB_ALIAS]


def test_outside_a_request_everything_uses_the_primary(replicas):
    router = ReplicaRouter(health=replicas)
    assert router.db_for_read(Article) == DEFAULT_DB_ALIAS
    assert router.db_for_write(Article) == DEFAULT_DB_ALIAS


def test_replica_migrations_run_on_the_primary_only(replicas):
    router = ReplicaRouter(health=replicas)
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "articles") is True
    assert router.allow_migrate("replica_1", "articles") is False
    assert router.allow_migrate("replica_2", "auth", model_name="user") is False


def test_objects_from_a_replica_and_the_primary_may_be_related(replicas):
    router = ReplicaRouter(health=replicas)
    here, there = Article(), Article()
    here._state.db, there._state.db = DEFAULT_DB_ALIAS, "replica_1"
    assert router.allow_relation(here, there) is True


class TestReplicaLag:
    """The lag a check computes from WAL positions (in bytes) and the age of the last replay."""

    def health(self, positions):
        health = ReplicaHealth(clock=lambda: 100.0)
        health._primary_positions.extend(positions)
        return health

    def test_replica_caught_up_with_an_idle_primary_is_not_behind(self):
        # Its last replayed transaction is an hour old, but there is nothing to replay.
        assert (
            self.health([])._lag(replayed=500, primary=500, last_replayed_age=3600.0, now=100.0)
            == 0
        )

    def test_replica_behind_is_as_far_behind_as_the_last_position_it_has_replayed(self):
        health = self.health([(60.0, 400), (80.0, 450), (95.0, 600)])
        assert health._lag(replayed=460, primary=700, last_replayed_age=3600.0, now=100.0) == 20
        # A recent transaction replayed bounds it more tightly.
        assert health._lag(replayed=460, primary=700, last_replayed_age=5.0, now=100.0) == 5

    def test_replica_behind_every_known_position_with_no_replay_time_is_infinitely_behind(self):
        health = self.health([(90.0, 800)])
        assert math.isinf(health._lag(replayed=460, primary=900, last_replayed_age=None, now=100))


def _settings_with(**env) -> subprocess.CompletedProcess:
    """aiwatch.settings read in a fresh process with `env`; prints what replicas change."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AIWATCH_"))}
    base.pop("DATABASE_REPLICA_URLS", None)
    show = (
        "import json; from aiwatch import settings as s; d = s.DATABASES;"
        "print(json.dumps({'aliases': list(d), 'routers': s.DATABASE_ROUTERS,"
        " 'middleware': [m for m in s.MIDDLEWARE if 'Replica' in m],"
        " 'replica': {k: str(v) for k, v in d.get('replica_1', {}).items()},"
        " 'default': {k: str(v) for k, v in d['default'].items()}}))"
    )
    return subprocess.run(
        [sys.executable, "-c", show],
        cwd=ROOT,
        env={**base, "DATABASE_URL": "postgres://aiwatch:pw@primary.internal:5432/aiwatch", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_replica_urls_become_aliases_like_the_primary():
    done = _settings_with(
        DATABASE_REPLICA_URLS=" postgres://reader:s3cret@standby-1:6432/aiwatch?sslmode=require,"
        "postgres://aiwatch:pw@standby-2/aiwatch "
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["aliases"] == ["default", "replica_1", "replica_2"]
    assert found["routers"] == ["aiwatch.core.routers.ReplicaRouter"]
    assert found["middleware"] == ["aiwatch.core.routers.ReplicaRoutingMiddleware"]
    replica, default = found["replica"], found["default"]
    assert (replica["HOST"], replica["PORT"], replica["USER"]) == ("standby-1", "6432", "reader")
    assert replica["TEST"] == str({"MIRROR": "default"})
    assert replica["ENGINE"] == default["ENGINE"]
    assert "'pool'" in replica["OPTIONS"] and "'sslmode': 'require'" in replica["OPTIONS"]


def test_without_replica_urls_there_is_no_router():
    found = json.loads(_settings_with().stdout)
    assert found["aliases"] == ["default"]
    assert found["routers"] == [] and found["middleware"] == []


@pytest.mark.parametrize(
    ("urls", "message"),
    [
        ("mysql://reader:s3cret@standby/aiwatch", "replica 1) must be a postgres:// URL"),
        ("postgres://reader:s3cret@/aiwatch", "replica 1) must name a host and a database"),
        ("postgres://aiwatch:pw@primary.internal:5432/aiwatch", "is DATABASE_URL itself"),
        ("postgres://r:s3cret@a/x,postgres://r:s3cret@a/x", "names the same server twice"),
        ("postgres://reader:s3cret@standby:port/aiwatch", "replica 1) cannot be read"),
    ],
)
def test_a_bad_replica_url_stops_start_up_without_showing_its_password(urls, message):
    done = _settings_with(DATABASE_REPLICA_URLS=urls)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and message in done.stderr
    assert "s3cret" not in done.stderr


def test_replica_for_a_kept_page_must_have_replayed_its_edit(monkeypatch):
    monkeypatch.setattr(replicas_module, "replica_aliases", lambda: ["replica_1", "replica_2"])
    health = ReplicaHealth(clock=lambda: 100.0)
    health._statuses = {
        "replica_1": Status(True, "ok", replayed=500),
        "replica_2": Status(True, "ok", replayed=900),
    }
    health._checked_at = 100.0  # just checked: no new check starts
    assert health.healthy() == ["replica_1", "replica_2"]
    assert health.healthy(at_least=800) == ["replica_2"]
    assert health.healthy(at_least=1000) == []


def test_replica_reads_include_is_passed_to_the_health_report(replicas):
    asked = []
    replicas.healthy = lambda at_least=None: asked.append(at_least) or ["replica_1"]
    with routers.replica_reads_include(1234):
        assert _serve(replicas, _request())[0] == ["replica_1"]
    assert _serve(replicas, _request())[0] == ["replica_1"]
    assert asked == [1234, None]
