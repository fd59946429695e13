"""A database that went away gives readers a 503 page, not a 500 with a traceback."""

import socket
import threading

import psycopg
import pytest
from django.db import DataError, IntegrityError, ProgrammingError, connection
from django.urls import reverse

from aiwatch.core.circuit import State
from aiwatch.core.middleware import DatabaseUnavailableMiddleware
from aiwatch.core.postgresql.base import breaker_for
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


@pytest.fixture
def dead_end():
    """A loopback port that accepts connections and drops them at once, counting them.

    To a client it is a server that goes away during the handshake; the count
    shows whether a request tried to connect at all.
    """
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    accepted = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                peer, _ = listener.accept()
            except TimeoutError:
                continue
            accepted.append(peer.getpeername())
            peer.close()

    thread = threading.Thread(target=serve)
    thread.start()
    yield listener.getsockname()[1], accepted
    stop.set()
    thread.join()
    listener.close()


@pytest.fixture
def pointed_at(dead_end):
    """The live connection, without the pool (or with a pool that waits 0.5 s), at the dead end."""
    saved = dict(connection.settings_dict)

    def point(pool: bool):
        connection.close()
        connection.close_pool()
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(dead_end[0]))
        options = {k: v for k, v in saved["OPTIONS"].items() if k != "pool"}
        if pool:
            options["pool"] = {**saved["OPTIONS"]["pool"], "timeout": 0.5}
        connection.settings_dict["OPTIONS"] = options
        return dead_end[1]

    yield point
    connection.close()
    connection.close_pool()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("pool", [False, True], ids=["no-pool", "pool"])
def test_once_the_server_is_found_gone_requests_do_not_try_again(client, pointed_at, pool):
    attempts = pointed_at(pool)
    assert client.get(reverse("home")).status_code == 503
    assert breaker_for(connection.settings_dict).state is State.OPEN
    # The pool's own workers retry in the background; stop them so only requests count.
    connection.close_pool()
    tried = len(attempts)
    assert tried >= 1
    for _ in range(5):
        response = client.get(reverse("home"))
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
    assert len(attempts) == tried  # refused without a connection attempt


def test_errors_that_are_bugs_are_still_500s(rf):
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    for bug in (IntegrityError("duplicate key"), ProgrammingError("syntax error"), DataError("")):
        assert middleware.process_exception(rf.get("/"), bug) is None
