"""The production server: gunicorn with the repo's configuration, as `make serve` runs it."""

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from gunicorn.config import Config

from tests.databases import database_url
from tests.factories import ArticleFactory
from tests.servers import free_port, production_env

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "aiwatch" / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).with_name("gunicorn")


def load_conf(monkeypatch, cores: int, **env) -> dict:
    """The configuration file's settings on a machine with `cores` CPUs and `env` set."""
    import runpy

    for name in ("PORT", "AIWATCH_HOST", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)))
    found = runpy.run_path(str(CONF))
    # Every name is one gunicorn knows, with a value it accepts (its validators raise).
    config = Config()
    for name, value in found.items():
        if not name.startswith("_") and not callable(value) and name != "os":
            config.set(name, value)
    return found


@pytest.mark.parametrize(("cores", "workers"), [(1, 3), (2, 5), (4, 9), (16, 33)])
def test_workers_follow_the_cores(monkeypatch, cores, workers):
    conf = load_conf(monkeypatch, cores)
    assert conf["workers"] == workers
    assert conf["threads"] == 2 and conf["worker_class"] == "gthread"


def test_timeouts_recycling_and_logs(monkeypatch):
    conf = load_conf(monkeypatch, 2)
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["timeout"] == 30 and conf["graceful_timeout"] == 30 and conf["keepalive"] == 5
    assert conf["max_requests"] == 20_000 and conf["max_requests_jitter"] == 2_000
    assert conf["accesslog"] == "-"
    assert conf["control_socket_disable"] is True


def test_the_environment_overrides(monkeypatch):
    conf = load_conf(
        monkeypatch,
        2,
        PORT="9001",
        AIWATCH_HOST="0.0.0.0",
        WEB_CONCURRENCY="3",
        GUNICORN_THREADS="8",
        GUNICORN_TIMEOUT="60",
    )
    assert conf["bind"] == ["0.0.0.0:9001"]
    assert (conf["workers"], conf["threads"], conf["timeout"]) == (3, 8, 60)


@pytest.mark.parametrize(("name", "value"), [("WEB_CONCURRENCY", "lots"), ("PORT", "80x")])
def test_a_mistyped_value_stops_start_up(monkeypatch, name, value):
    with pytest.raises(ImproperlyConfigured, match=name):
        load_conf(monkeypatch, 2, **{name: value})


def _get(port: int, path: str) -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


@pytest.fixture
def production_server(tmp_path):
    """gunicorn -c aiwatch/gunicorn.conf.py in production mode on a free loopback port,
    serving the test database; stopped with SIGTERM, as docker and systemd stop it."""
    port = free_port()
    env = production_env(
        tmp_path,
        database_url(connection.settings_dict["NAME"]),
        PORT=str(port),
        WEB_CONCURRENCY="2",
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert collected.returncode == 0, collected.stderr
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(GUNICORN), "-c", str(CONF), "aiwatch.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, log.read_text()
            try:
                if _get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start\n" + log.read_text()
            time.sleep(0.2)
        yield server, port, log
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_the_site_in_production_mode_and_stops_gracefully(production_server):
    server, port, log = production_server
    article = ArticleFactory(title="Served by gunicorn")

    status, headers, body = _get(port, "/healthz")
    assert (status, body) == (200, "ok\n")
    assert "no-store" in headers["Cache-Control"]
    status, _, body = _get(port, "/readyz")
    assert status == 200, body
    status, headers, page = _get(port, article.get_absolute_url())
    assert status == 200 and "Served by gunicorn" in page
    assert headers["Server"] == "gunicorn"
    # The page cache is on, in files both workers share: the page is rendered once.
    assert headers["Cache-Control"].startswith("public, max-age=0, s-maxage=")
    assert [_get(port, article.get_absolute_url())[1]["X-Page-Cache"] for _ in range(4)] == [
        "hit"
    ] * 4
    # Static files were collected: the page links their hashed names, and they are served.
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, page
    status, headers, _ = _get(port, stylesheet.group(1))
    assert status == 200 and "immutable" in headers["Cache-Control"]
    # The API's docs load Swagger UI from the collected static files, not from a CDN.
    status, _, docs = _get(port, "/api/v1/docs")
    assert status == 200
    bundle = re.search(r'src="(/static/ninja/swagger-ui-bundle\.[0-9a-f]{12}\.js)"', docs)
    assert bundle, docs
    assert _get(port, bundle.group(1))[0] == 200
    # DEBUG is off: a missing page is the site's 404, not Django's technical one.
    status, _, body = _get(port, "/no-such-page/")
    assert status == 404 and "Using the URLconf" not in body

    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=40) == 0
    written = log.read_text()
    assert "Using worker: gthread" in written
    assert "Handling signal: term" in written and "Shutting down: Master" in written
    # The access log goes to stdout, a line per request.
    assert '"GET /healthz HTTP/1.1" 200' in written
    assert f'"GET {article.get_absolute_url()} HTTP/1.1" 200' in written
