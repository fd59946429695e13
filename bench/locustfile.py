"""The readers' mix for `make loadtest`, driven by locust (bench/loadtest.py runs it).

    locust -f bench/locustfile.py --headless -u 64 -r 64 -t 60s --tags mix --host http://127.0.0.1:8000

Tags pick the phase: `mix` is what readers ask for, `ceiling` is /healthz alone,
the most a server can answer on this machine with no database and no template,
and `fixed` asks for the paths in LOADTEST_PATHS (a JSON list) in turn, on any server.
The pages come from the site itself when the test starts (the JSON twins of the
lists), so the mix follows whatever database the server has.

Settings from the environment (bench/loadtest.py sets them):

- LOADTEST_HOSTS: comma-separated base URLs; each simulated reader keeps to one,
  given out round-robin, so two web nodes get half the readers each (default: --host);
- LOADTEST_TIMEOUT: the client's timeout in seconds (10); a request that takes
  longer is an error, which is how a hung connection shows;
- LOADTEST_REPORT: a JSON file written at the end with every request's end time,
  status and duration, for the figures and the outage timeline;
- LOADTEST_LABEL: the name on the progress lines, printed every 10 s.

Not shipped (bench/ is outside the wheel) and never imported by Django.
"""

import itertools
import json
import os
import random
import time
import urllib.request
from urllib.parse import urlsplit

import gevent
from locust import FastHttpUser, constant, events, tag, task

TIMEOUT = float(os.environ.get("LOADTEST_TIMEOUT", "10"))
PROGRESS_EVERY = 10  # seconds
# The `fixed` tag's paths, asked for in turn (bench/peer.py: one search on either server).
FIXED_PATHS = json.loads(os.environ.get("LOADTEST_PATHS") or "[]")

SEARCHES = {
    "search (English)": "openai api",
    "search (Chinese)": "商汤",
    "search (phrase)": '"free tokens"',
}

# (end time, status, milliseconds, node, name) per request; status 0 is one with no answer.
_results: list[tuple[float, int, float, int, str]] = []
_pages: dict[str, list[str]] = {}
_next_node = itertools.count()


def _hosts(environment) -> list[str]:
    listed = [h.strip().rstrip("/") for h in os.environ.get("LOADTEST_HOSTS", "").split(",")]
    return [h for h in listed if h] or [environment.host.rstrip("/")]


def _paths(base: str, list_path: str) -> list[str]:
    """The paths of the pages on the first page of a list, read from its JSON twin."""
    with urllib.request.urlopen(f"{base}{list_path}?format=json", timeout=TIMEOUT) as answer:
        results = json.load(answer)["results"]
    return [urlsplit(item["url"]).path for item in results]


@events.test_start.add_listener
def _find_pages(environment, **kwargs):
    gevent.spawn(_progress, environment)
    if FIXED_PATHS:
        return  # the `fixed` tag asks for given paths, of a server that may not be aiwatch
    base = _hosts(environment)[0]
    for kind in ("articles", "entities", "events", "claims"):
        _pages[kind] = _paths(base, f"/{kind}/")
        if not _pages[kind]:
            raise SystemExit(f"{base}/{kind}/ lists nothing: seed the database first")


@events.request.add_listener
def _record(name, response, exception, response_time, context, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    if exception and status < 100:
        status = 0
    _results.append((time.time(), status, response_time, context.get("node", 0), name))


def _progress(environment):
    label = os.environ.get("LOADTEST_LABEL", "load")
    started = time.monotonic()
    while True:
        gevent.sleep(PROGRESS_EVERY)
        done = list(_results)
        elapsed = time.monotonic() - started
        bad = sum(1 for r in done if not 200 <= r[1] < 300)
        print(
            f"[{label}] {elapsed:4.0f} s: {len(done)} requests, {len(done) / elapsed:.0f}/s,"
            f" {bad} not 2xx",
            flush=True,
        )


@events.test_stop.add_listener
def _report(environment, **kwargs):
    path = os.environ.get("LOADTEST_REPORT")
    if path:
        with open(path, "w") as out:
            json.dump({"hosts": _hosts(environment), "results": _results}, out)


class Reader(FastHttpUser):
    """A reader on one keep-alive connection, asking for a page as soon as the last arrives."""

    wait_time = constant(0)
    network_timeout = TIMEOUT
    connection_timeout = TIMEOUT
    # Every answer is recorded by status: a 404 or a 503 is counted, not retried.
    max_retries = 0

    def __init__(self, environment):
        node = next(_next_node)
        hosts = _hosts(environment)
        self.host = hosts[node % len(hosts)]
        self.node = node % len(hosts)
        self._turn = itertools.count(node)
        super().__init__(environment)

    def _get(self, path: str, name: str):
        self.client.get(path, name=name, context={"node": self.node})

    def _one(self, kind: str) -> str:
        return random.choice(_pages[kind])

    @tag("mix")
    @task(10)
    def home(self):
        self._get("/", "home")

    @tag("mix")
    @task(4)
    def article_list(self):
        self._get("/articles/", "list: articles")

    @tag("mix")
    @task(3)
    def entity_list(self):
        self._get("/entities/", "list: entities")

    @tag("mix")
    @task(3)
    def event_list(self):
        self._get("/events/", "list: events")

    @tag("mix")
    @task(3)
    def claim_list(self):
        self._get("/claims/", "list: claims")

    @tag("mix")
    @task(8)
    def entity(self):
        self._get(self._one("entities"), "entity")

    @tag("mix")
    @task(8)
    def article(self):
        self._get(self._one("articles"), "article")

    @tag("mix")
    @task(4)
    def claim(self):
        self._get(self._one("claims"), "claim")

    @tag("mix")
    @task(4)
    def event(self):
        self._get(self._one("events"), "event")

    @tag("mix")
    @task(6)
    def search(self):
        name, query = random.choice(list(SEARCHES.items()))
        self.client.get("/search/", params={"q": query}, name=name, context={"node": self.node})

    @tag("mix")
    @task(2)
    def json_twin(self):
        self._get(self._one("entities") + "?format=json", "JSON twin")

    @tag("mix")
    @task(2)
    def feed(self):
        self._get("/feeds/articles/", "feed")

    @tag("ceiling")
    @task
    def healthz(self):
        self._get("/healthz", "/healthz")

    @tag("fixed")
    @task
    def fixed(self):
        path = FIXED_PATHS[next(self._turn) % len(FIXED_PATHS)]
        self._get(path, "fixed")
