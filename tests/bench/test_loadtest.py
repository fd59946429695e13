"""`make loadtest`'s harness: its figures from locust's records, and a short run of it all.

The load itself is measured by `make loadtest`, never here: the run below is 3 s
at 2 users, to prove that the script starts gunicorn, drives it with locust,
checks that two nodes agree, and stops every server it started.
"""

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from bench import loadtest
from tests.databases import database_url
from tests.factories import ArticleFactory, ClaimFactory, EntityFactory, EventFactory
from tests.servers import production_env

ROOT = Path(__file__).resolve().parents[2]


def test_the_summary_counts_no_answer_as_an_error_and_a_503_as_a_5xx():
    # (end time, status, ms, node, page) as the locustfile records them.
    results = [(10.0 + i / 100, 200, float(i), 0, "home") for i in range(1, 101)]
    results += [(11.5, 503, 3.0, 1, "entity"), (12.0, 0, 10000.0, 1, "entity")]
    figures = loadtest.summary(results)
    assert figures["requests"] == 102
    assert figures["errors"] == 1 and figures["non2xx"] == 1 and figures["5xx"] == 1
    assert figures["p50"] == 51.0 and figures["p99"] == 100.0 and figures["max"] == 10000.0
    assert figures["rps"] == pytest.approx(102 / (12.0 - 10.01))
    assert figures["pages"]["entity"] == (10000.0, 10000.0)


def test_only_this_checkouts_embedded_server_is_stopped_for_the_outage(monkeypatch):
    pgdata = ROOT / ".data" / "pgdata"
    monkeypatch.setenv("DATABASE_URL", f"postgresql://postgres:@/aiwatch?host={pgdata}")
    assert loadtest._embedded_pgdata() == pgdata
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aiwatch")
    assert loadtest._embedded_pgdata() is None


def _closed(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_short_load_run_serves_the_mix_on_two_agreeing_nodes_and_stops_its_servers(tmp_path):
    article = ArticleFactory(title="Under load")
    EntityFactory(name="Loaded entity")
    EventFactory()
    ClaimFactory(article=article)
    env = production_env(
        tmp_path,
        database_url(connection.settings_dict["NAME"]),
        WEB_CONCURRENCY="1",
        LOADTEST_SECONDS="3",
        LOADTEST_USERS="2",
        LOADTEST_SCENARIOS="mix,nodes",
    )
    manage = [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"]
    subprocess.run(manage, cwd=ROOT, env=env, check=True, timeout=120)
    run = subprocess.run(
        [sys.executable, "bench/loadtest.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = run.stdout
    assert run.returncode == 0, out + run.stderr
    assert re.search(
        r"^\| on \| 1 \| \d+ \| \d+ \| \d+ \| 0 \| 0 \| 0 \| \d+ \| \d+ \| \d+% \|$", out, re.M
    )
    assert re.search(r"^\| off \| 1 \| \d+ \|", out, re.M)
    assert re.search(r"/entities/[\w-]+/ withdrawn through node A: node B answers 410", out)
    assert "republished through node A: node B answers 200" in out
    assert re.search(r"^\| both \| [1-9]\d* \|", out, re.M)
    # Every server the script started is gone, and so is the editor it made.
    ports = {int(p) for p in re.findall(r"http://127\.0\.0\.1:(\d+)", out)}
    assert len(ports) == 4
    assert all(_closed(port) for port in ports)
    assert not get_user_model().objects.filter(username=loadtest.EDITOR).exists()
