"""A database that went away gives readers a 503 page, not a 500 with a traceback."""

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import ArticleFactory


@pytest.fixture
def unreachable_database(settings):
    """Point the live connection at a port where no PostgreSQL listens, then restore it."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.pool:
        connection.close_pool()
    connection.settings_dict["HOST"] = "127.0.0.1"
    connection.settings_dict["PORT"] = "1"
    connection.settings_dict["OPTIONS"] = {
        k: v for k, v in connection.settings_dict["OPTIONS"].items() if k != "pool"
    }
    connection.settings_dict["OPTIONS"]["connect_timeout"] = 2
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True)
def test_pages_answer_503_with_a_plain_explanation(client, unreachable_database):
    response = client.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "temporarily unavailable" in page
    assert "Traceback" not in page and "OperationalError" not in page


@pytest.mark.django_db(transaction=True)
def test_a_server_side_disconnect_is_survived(client):
    """PostgreSQL restarting (or an idle timeout) kills pooled connections; readers never notice."""
    article = ArticleFactory(title="Still here")
    assert client.get(article.get_absolute_url()).status_code == 200
    # The end of a real request hands the connection back to the pool; the test
    # client skips that step, so do it here.
    connection.close()
    params = {k: v for k, v in connection.get_connection_params().items() if k != "context"}
    with psycopg.connect(**params, autocommit=True) as admin:
        others = "datname = current_database() AND pid <> pg_backend_pid()"
        killed = admin.execute(
            f"SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE {others}"
        ).fetchone()[0]
        # The 5 s timeout makes pg_terminate_backend wait for each backend to
        # exit, so the pool meets a dead connection rather than racing a dying one.
        assert killed >= 1
    assert client.get(article.get_absolute_url()).status_code == 200
