"""When every pooled connection is busy, a reader gets a 503 soon, and the site is not marked down.

Threads hold every connection of a small pool (two) while the test client
asks for a page: it waits at most the pool's timeout, or not at all once as
many requests as allowed are already waiting (max_waiting), then gets the
503 page with Retry-After, and the server is not taken for gone (the
circuit stays closed), so the next request, once a connection is free, is
served at once.
"""

import contextlib
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from aiwatch.core.circuit import State
from aiwatch.core.postgresql.base import breaker_for
from tests.core.test_settings import _manage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small_pool():
    saved_options = connection.settings_dict["OPTIONS"]
    connection.close()
    connection.close_pool()
    connection.settings_dict["OPTIONS"] = {
        **saved_options,
        "pool": {**saved_options["pool"], "max_size": 2, "timeout": 0.3, "max_waiting": 1},
    }
    yield connection.pool
    connection.close()
    connection.close_pool()
    connection.settings_dict["OPTIONS"] = saved_options


@pytest.fixture
def busy(small_pool):
    """Start `n` threads that each take a pooled connection and keep it until the test ends."""
    release = threading.Event()
    threads = []

    def hold(ready):
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            ready.set()
            release.wait(30)
        connections["default"].close()

    def take(n):
        """Hold `n` connections; returns a function that gives them back."""
        for _ in range(n):
            ready = threading.Event()
            thread = threading.Thread(target=hold, args=(ready,))
            thread.start()
            threads.append(thread)
            assert ready.wait(10)
        return give_back

    def give_back():
        release.set()
        for thread in threads:
            thread.join(10)

    yield take
    give_back()


@pytest.fixture
def waiting(small_pool):
    """Start one thread that waits for a connection (and gives up after the pool's timeout)."""
    thread = threading.Thread(target=lambda: _try_to_connect(small_pool))
    yield thread
    thread.join(10)


def _try_to_connect(pool):
    # This thread only occupies the queue; whether it gets a connection does not matter.
    with contextlib.suppress(Exception):
        pool.putconn(pool.getconn(timeout=1))


def test_a_saturated_pool_answers_503_and_the_circuit_stays_closed(client, busy):
    give_back = busy(2)
    connection.close()
    response = client.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "temporarily unavailable" in response.content.decode()
    assert breaker_for(connection.settings_dict).state is State.CLOSED
    give_back()
    connection.close()
    assert client.get(reverse("home")).status_code == 200


def test_beyond_max_waiting_a_request_is_refused_without_queueing(client, busy, waiting):
    busy(2)
    waiting.start()
    pool = connection.pool
    for _ in range(100):  # until the waiting thread is in the queue
        if pool.get_stats().get("requests_queued"):
            break
        threading.Event().wait(0.01)
    connection.close()
    response = client.get(reverse("home"))
    assert response.status_code == 503
    assert pool.get_stats().get("requests_errors", 0) >= 1  # refused: TooManyRequests
    assert breaker_for(connection.settings_dict).state is State.CLOSED


def test_the_pool_settings_come_from_the_environment():
    url = "postgres://postgres@127.0.0.1:5432/postgres"
    options = "from django.conf import settings; p = settings.DATABASES['default']['OPTIONS']"
    show = f"{options}; print(p['pool']['timeout'], p['pool']['max_waiting'], p['connect_timeout'])"
    defaults = _manage("shell", "--no-imports", "-c", show, DATABASE_URL=url)
    assert defaults.stdout.split() == ["2", "8", "2"], defaults.stderr
    chosen = _manage(
        "shell",
        "--no-imports",
        "-c",
        show,
        DATABASE_URL=url,
        DATABASE_POOL_TIMEOUT="1",
        DATABASE_POOL_MAX_WAITING="3",
        DATABASE_CONNECT_TIMEOUT="4",
    )
    assert chosen.stdout.split() == ["1", "3", "4"], chosen.stderr
