"""/healthz: the process is alive, without a query; /readyz: which dependency is not ready."""

import json

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder


def _checks(response) -> dict:
    return json.loads(response.content)["checks"]


@pytest.mark.django_db
def test_healthz_answers_ok_without_a_query(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_makes_no_query_for_a_signed_in_editor_either(
    editor_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        response = editor_client.get("/healthz")
    assert response.status_code == 200


@pytest.mark.django_db
def test_readyz_is_ready_when_everything_is(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert _checks(response) == {"database": "ok", "migrations": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "Retry-After" not in response


@pytest.mark.django_db
def test_readyz_is_not_ready_with_an_unapplied_migration(client):
    app, name = sorted(MigrationLoader(connection).graph.leaf_nodes())[0]
    # Inside the test's transaction: rolled back afterwards, as if never applied.
    deleted, _ = MigrationRecorder.Migration.objects.filter(app=app, name=name).delete()
    assert deleted == 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "no-store" in response["Cache-Control"]
    checks = _checks(response)
    assert checks["database"] == "ok"
    assert checks["migrations"] == f"1 unapplied, first {app}.{name}"


@pytest.fixture
def unreachable_database():
    """Point the connection at a port where no PostgreSQL listens; the test database stays up."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.pool:
        connection.close_pool()
    options = {k: v for k, v in saved["OPTIONS"].items() if k != "pool"}
    connection.settings_dict.update(
        HOST="127.0.0.1", PORT="1", OPTIONS={**options, "connect_timeout": 2}
    )
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True)
def test_readyz_is_not_ready_when_the_database_is_unreachable(client, unreachable_database):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "no-store" in response["Cache-Control"]
    assert _checks(response) == {"database": "unreachable", "migrations": "unknown", "cache": "ok"}


@pytest.mark.django_db(transaction=True)
def test_healthz_still_answers_when_the_database_is_unreachable(client, unreachable_database):
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_readyz_is_not_ready_when_the_cache_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert _checks(response) == {"database": "ok", "migrations": "ok", "cache": "unreachable"}


@pytest.mark.django_db
def test_neither_is_in_the_sitemap_or_robots_txt(client):
    for path in ("/sitemap.xml", "/robots.txt"):
        page = client.get(path).content.decode()
        assert "healthz" not in page and "readyz" not in page
