"""TCP keepalives and tcp_user_timeout: a server cut off without a reset is given up in seconds.

Each test reads aiwatch.settings in a fresh process, as a server would start. The
TCP ones connect through Django's backend (and its pool) to the machine's
PostgreSQL service and read the options back from the kernel's socket, where
they take effect; the embedded server is reached through its Unix socket, where
libpq leaves them out.
"""

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.databases import service_or_skip
from tests.servers import clean_env

ROOT = Path(__file__).resolve().parents[2]

OPTIONS = ("keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count")

# Connects through Django, then reports what libpq was given and what the socket carries.
SHOW_CONNECTION = """
import json, socket
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT 1")
conn = connection.connection
sock = socket.socket(fileno=socket.dup(conn.pgconn.socket))
found = {"family": sock.family.name, "parameters": conn.info.get_parameters()}
if sock.family != socket.AF_UNIX:
    tcp = socket.IPPROTO_TCP
    found["socket"] = {
        "keepalives": sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE),
        "keepalives_idle": sock.getsockopt(tcp, socket.TCP_KEEPIDLE),
        "keepalives_interval": sock.getsockopt(tcp, socket.TCP_KEEPINTVL),
        "keepalives_count": sock.getsockopt(tcp, socket.TCP_KEEPCNT),
        "tcp_user_timeout": sock.getsockopt(tcp, socket.TCP_USER_TIMEOUT),
    }
sock.close()
print(json.dumps(found))
"""


def _shell(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _connected(**env: str) -> dict:
    done = _shell(SHOW_CONNECTION, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


needs_linux_tcp_options = pytest.mark.skipif(
    not hasattr(socket, "TCP_USER_TIMEOUT"), reason="the socket options are Linux's"
)


@needs_linux_tcp_options
def test_a_tcp_connection_carries_the_keepalives_and_the_user_timeout():
    found = _connected(DATABASE_URL=f"{service_or_skip()}/postgres")
    assert found["family"] == "AF_INET"
    assert found["socket"] == {
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
        "tcp_user_timeout": 30_000,
    }
    assert {k: found["parameters"][k] for k in (*OPTIONS, "tcp_user_timeout")} == {
        "keepalives": "1",
        "keepalives_idle": "30",
        "keepalives_interval": "10",
        "keepalives_count": "3",
        "tcp_user_timeout": "30000",
    }


@needs_linux_tcp_options
def test_the_environment_sets_them_and_the_urls_own_options_win():
    found = _connected(
        DATABASE_URL=f"{service_or_skip()}/postgres?keepalives_idle=9&tcp_user_timeout=6000",
        DATABASE_KEEPALIVES_IDLE="7",
        DATABASE_KEEPALIVES_INTERVAL="4",
        DATABASE_KEEPALIVES_COUNT="5",
        DATABASE_TCP_USER_TIMEOUT_MS="4000",
    )
    assert found["socket"] == {
        "keepalives": 1,
        "keepalives_idle": 9,
        "keepalives_interval": 4,
        "keepalives_count": 5,
        "tcp_user_timeout": 6000,
    }


def test_the_embedded_server_is_still_reached_through_its_socket():
    """libpq sets the options on TCP sockets only; on the socket directory they are harmless."""
    # Its maintenance database, which exists: nothing is created, nothing written.
    found = _connected(AIWATCH_EMBEDDED_DATABASE="postgres")
    assert found["family"] == "AF_UNIX"
    assert found["parameters"]["host"].startswith("/")
    assert found["parameters"]["keepalives_idle"] == "30"
    assert found["parameters"]["tcp_user_timeout"] == "30000"


def test_replicas_and_their_health_checks_get_them_too():
    show = (
        "import json; from django.conf import settings; from aiwatch.core.replicas import"
        " connect_params; o = settings.DATABASES['replica_1']['OPTIONS'];"
        f" c = connect_params('replica_1'); keys = {(*OPTIONS, 'tcp_user_timeout')!r};"
        " print(json.dumps([{k: str(o[k]) for k in keys}, {k: str(c[k]) for k in keys}]))"
    )
    done = _shell(
        show,
        DATABASE_URL="postgres://aiwatch:pw@primary.internal:5432/aiwatch",
        DATABASE_REPLICA_URLS="postgres://aiwatch:pw@standby.internal:5432/aiwatch?keepalives_count=2",
        DATABASE_KEEPALIVES_IDLE="20",
    )
    assert done.returncode == 0, done.stderr
    expected = {
        "keepalives": "1",
        "keepalives_idle": "20",
        "keepalives_interval": "10",
        "keepalives_count": "2",
        "tcp_user_timeout": "30000",
    }
    assert json.loads(done.stdout) == [expected, expected]


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("DATABASE_KEEPALIVES_IDLE", "lots"),
        ("DATABASE_KEEPALIVES_INTERVAL", "10s"),
        ("DATABASE_KEEPALIVES_COUNT", "500"),
        ("DATABASE_TCP_USER_TIMEOUT_MS", "-1"),
    ],
)
def test_a_mistyped_value_stops_start_up(name, raw):
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean_env(DATABASE_URL="postgres://aiwatch@127.0.0.1:1/aiwatch", **{name: raw}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and f"{name}={raw!r}" in done.stderr
