"""`make bench-peer`: aiwatch's search beside Datasette's, over HTTP, on the same corpus.

What a researcher would otherwise use: the same search entries exported to SQLite
with FTS5 (`manage.py export_peer`) and served by Datasette, whose canned query
answers what aiwatch's page does: one page of 20 ranked with bm25 at aiwatch's
weights (title and CJK title 1.0, keywords 0.4, body 0.2; entities, events and
claims weighted as aiwatch weights them), snippets, the exact count, and facet
counts by kind, year, outlet and the 15 entities most linked.

Steps, every server on a free loopback port and stopped at the end:

1. the bench database aiwatch_bench_<PEER_ARTICLES> on the embedded PostgreSQL,
   filled by generate_corpus unless it holds that corpus already (as `make bench`);
2. export_peer writes the SQLite file (kept in .data/peer_<N>/, redone when the corpus changed);
3. aiwatch under gunicorn in production mode, and Datasette (its own virtualenv,
   .venv-peer, from pyproject's `peer` extra);
4. latency: each query class, HTML and JSON, PEER_REPEAT times, interleaved
   (aiwatch then Datasette, then the other way round), after warm-up; p50, p95,
   the ratio aiwatch ÷ Datasette and the result count each reports;
5. throughput: PEER_USERS readers for PEER_SECONDS on the rare and the common
   term, HTML and JSON, each server in turn, each first as often (locust, as
   `make loadtest`; only answered requests count). Each server runs as shipped:
   aiwatch's gunicorn with 2 x cores + 1 workers of 2 threads, Datasette's one
   process with its 3 SQL threads; locust shares the machine with both.

Steps 4 and 5 run twice: with aiwatch's page cache off (every request searches) and
on (as `make serve` deploys it). Settings: PEER_ARTICLES (100000), PEER_REPEAT
(30), PEER_USERS (16), PEER_SECONDS (15), PEER_CACHE ("off,on"), BENCH_SEED (42).
Not shipped (bench/ is outside the wheel).
"""

import hashlib
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

if __name__ == "__main__":
    # Run as a script: aiwatch's search engine (its kind weights) needs Django set up.
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aiwatch.settings")
    django.setup()

from aiwatch.embedded_db import embedded_database_url
from aiwatch.search import engine
from bench import corpus, loadtest
from bench.loadtest import Server, _free_port, stop_process, wait_ready

ROOT = loadtest.ROOT
BIN = loadtest.BIN
PEER_BIN = ROOT / ".venv-peer" / "bin"


def _setting(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip() or str(default)
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of 1 or more, not {value!r}.")
    return int(value)


ARTICLES = _setting("PEER_ARTICLES", 100_000)
REPEAT = _setting("PEER_REPEAT", 30)
USERS = _setting("PEER_USERS", 16)
SECONDS = _setting("PEER_SECONDS", 15)
SEED = _setting("BENCH_SEED", 42)
WARMUP = 3
# "off": every request searches, the engine against the engine. "on": as `make serve`
# deploys it, where a repeated search is answered from the page cache.
CACHE_MODES = [m for m in os.environ.get("PEER_CACHE", "off,on").replace(" ", "").split(",") if m]
CACHE_MEANING = {
    "off": "every request searches (the engines compared)",
    "on": "as deployed; the repeated requests below are answered from the cache",
}
PAGE_SIZE = 20
# aiwatch's own weights of the kinds, on the peer's table.
KIND_WEIGHT = engine.KIND_WEIGHT.replace("c.kind", "e.kind")

# What aiwatch's page answers, asked of SQLite: one page of matches by bm25 (negative:
# lower is better), the exact count, facet counts (kind, year, outlet, the 15 entities
# most linked), and snippets of that page only, as aiwatch highlights only what it shows.
SEARCH_SQL = f"""
WITH hits AS MATERIALIZED (
  SELECT rowid AS id, bm25(entries_fts, 1.0, 0.4, 0.2, 1.0, 0.2) AS score
  FROM entries_fts WHERE entries_fts MATCH :q
),
matched AS MATERIALIZED (
  SELECT hits.id, hits.score * {KIND_WEIGHT} AS rank, e.date, e.kind, e.year, e.outlet
  FROM hits JOIN entries e ON e.id = hits.id
  WHERE (:kind = '' OR e.kind = :kind)
    AND (:year = '' OR e.year = :year)
    AND (:entity = '' OR e.id IN (SELECT entry_id FROM entry_entities WHERE entity = :entity))
),
summary AS (
  SELECT (SELECT count(*) FROM matched) AS total, json_object(
    'kind', (SELECT json_group_object(kind, n)
             FROM (SELECT kind, count(*) AS n FROM matched GROUP BY kind)),
    'year', (SELECT json_group_object(year, n)
             FROM (SELECT year, count(*) AS n FROM matched WHERE year IS NOT NULL GROUP BY year)),
    'outlet', (SELECT json_group_object(outlet, n)
               FROM (SELECT outlet, count(*) AS n FROM matched
                     WHERE outlet IS NOT NULL GROUP BY outlet)),
    'entity', (SELECT json_group_object(entity, n)
               FROM (SELECT l.entity, count(*) AS n
                     FROM matched CROSS JOIN entry_entities l ON l.entry_id = matched.id
                     GROUP BY l.entity ORDER BY n DESC, l.entity LIMIT 15))
  ) AS facets
),
page AS (
  SELECT id, rank, date FROM matched ORDER BY rank, date DESC LIMIT {PAGE_SIZE} OFFSET :offset
)
SELECT e.kind, e.title, e.url, e.date, summary.total, summary.facets,
       snippet(entries_fts, -1, '<mark>', '</mark>', '…', 24) AS snippet
FROM entries_fts JOIN page ON page.id = entries_fts.rowid JOIN entries e ON e.id = page.id,
     summary
WHERE entries_fts MATCH :q
ORDER BY page.rank, page.date DESC
"""


def query_mix() -> list[tuple[str, dict, dict]]:
    """(class, aiwatch's GET parameters, Datasette's) for bench_search's query classes.

    aiwatch treats the last word typed as a prefix, so Datasette is asked for one too.
    """
    common = f"{corpus.COMMON_TERM}*"
    deep = (corpus.DEEP_PAGE - 1) * PAGE_SIZE
    return [
        ("rare term", {"q": corpus.RARE_TERM}, {"q": f"{corpus.RARE_TERM}*"}),
        ("common term", {"q": corpus.COMMON_TERM}, {"q": common}),
        ("phrase", {"q": f'"{corpus.PHRASE}"'}, {"q": f'"{corpus.PHRASE}"'}),
        (
            "exclusion",
            {"q": f"{corpus.EXCLUSION_TERM} -{corpus.EXCLUSION_OTHER}"},
            {"q": f"{corpus.EXCLUSION_TERM} NOT {corpus.EXCLUSION_OTHER}"},
        ),
        ("chinese name", {"q": corpus.CJK_QUERY}, {"q": corpus.CJK_QUERY}),
        ("alias", {"q": corpus.ALIAS_QUERY}, {"q": f"{corpus.ALIAS_QUERY}*"}),
        (
            "filtered",
            {
                "q": corpus.COMMON_TERM,
                "kind": "article",
                "entity": corpus.FILTER_ENTITY_SLUG,
                "year": corpus.FILTER_YEAR,
            },
            {
                "q": common,
                "kind": "article",
                "entity": corpus.FILTER_ENTITY_SLUG,
                "year": corpus.FILTER_YEAR,
            },
        ),
        (
            "deep page",
            {"q": corpus.COMMON_TERM, "page": corpus.DEEP_PAGE},
            {"q": common, "offset": deep},
        ),
    ]


def aiwatch_path(params: dict, fmt: str) -> str:
    extra = {"format": "json"} if fmt == "json" else {}
    return "/search/?" + urllib.parse.urlencode({**params, **extra})


def datasette_path(params: dict, fmt: str) -> str:
    full = {"kind": "", "year": "", "entity": "", "offset": 0, **params}
    if fmt == "json":
        return "/peer/search.json?" + urllib.parse.urlencode({**full, "_shape": "array"})
    return "/peer/search?" + urllib.parse.urlencode(full)


class Client:
    """One keep-alive HTTP connection to a server, reopened when the server closes it."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str) -> tuple[float, bytes]:
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request("GET", path)
                response = self.connection.getresponse()
                body = response.read()
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                if attempt == 2:
                    raise
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200:
                raise SystemExit(
                    f"GET {path} on port {self.port}: {response.status}\n{body[:2000]!r}"
                )
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
            return elapsed, body
        raise AssertionError("unreachable")


class Datasette:
    """Datasette serving the exported file, read-only (immutable), with the canned query."""

    def __init__(self, database: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        metadata = Path(tempfile.mkdtemp(prefix="aiwatch-peer-")) / "metadata.json"
        metadata.write_text(
            json.dumps({"databases": {"peer": {"queries": {"search": {"sql": SEARCH_SQL}}}}})
        )
        self.log = metadata.with_name("datasette.log")
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [
                    str(PEER_BIN / "datasette"), "serve", "-i", str(database),
                    "--host", "127.0.0.1", "--port", str(self.port),
                    "--metadata", str(metadata),
                    "--setting", "sql_time_limit_ms", "30000",
                ],
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        wait_ready(self.process, f"{self.url}/-/versions.json", 60, "datasette", self.log)

    def stop(self) -> None:
        stop_process(self.process, timeout=20)


def _manage(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare() -> tuple[str, Path]:
    """The bench database's URL and the exported SQLite file, made when missing or stale."""
    name = f"aiwatch_bench_{ARTICLES}"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "AIWATCH_ENV")}
    env["AIWATCH_EMBEDDED_DATABASE"] = name
    _manage(env, "migrate", "--no-input", "--verbosity", "0")
    _manage(env, "generate_corpus", "--articles", str(ARTICLES), "--seed", str(SEED), "--reuse")
    # Datasette names a database after its file: "peer", whatever the corpus size.
    folder = ROOT / ".data" / f"peer_{ARTICLES}"
    folder.mkdir(parents=True, exist_ok=True)
    sqlite, marker = folder / "peer.sqlite", folder / "corpus.txt"
    # The export is redone when the corpus (generate_corpus's marker and the index's size)
    # or the exporter differs from the exported one's.
    code = (
        "from bench.management.commands.generate_corpus import current_marker;"
        "from aiwatch.search.models import SearchEntry;"
        "print(current_marker(), SearchEntry.objects.count())"
    )
    fingerprint = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    exporter = ROOT / "bench" / "management" / "commands" / "export_peer.py"
    fingerprint += " " + hashlib.sha256(exporter.read_bytes()).hexdigest()[:12]
    if not sqlite.exists() or not marker.exists() or marker.read_text() != fingerprint:
        started = time.monotonic()
        _manage(env, "export_peer", str(sqlite))
        marker.write_text(fingerprint)
        print(f"export_peer: {time.monotonic() - started:.1f} s, {sqlite.stat().st_size >> 20} MB")
    return embedded_database_url(ROOT / ".data", name), sqlite


def _count(server: str, body: bytes) -> str:
    data = json.loads(body)
    if server == "aiwatch":
        capped = data.get("total_is_capped")
        return f"more than {data['total']:,}" if capped else f"{data['total']:,}"
    return f"{data[0]['total'] if data else 0:,}"


def latency(aiwatch: Client, datasette: Client) -> list[dict]:
    rows = []
    for name, ours, theirs in query_mix():
        for fmt in ("html", "json"):
            paths = {"aiwatch": aiwatch_path(ours, fmt), "datasette": datasette_path(theirs, fmt)}
            clients = {"aiwatch": aiwatch, "datasette": datasette}
            times: dict[str, list[float]] = {"aiwatch": [], "datasette": []}
            for server in times:
                for _ in range(WARMUP):
                    clients[server].get(paths[server])
            for i in range(REPEAT):
                order = ("aiwatch", "datasette") if i % 2 == 0 else ("datasette", "aiwatch")
                for server in order:
                    times[server].append(clients[server].get(paths[server])[0])
            json_paths = {
                "aiwatch": aiwatch_path(ours, "json"),
                "datasette": datasette_path(theirs, "json"),
            }
            counts = {s: _count(s, clients[s].get(json_paths[s])[1]) for s in times}
            row = {"class": name, "format": fmt, "counts": counts}
            for server, values in times.items():
                row[server] = (statistics.median(values), loadtest._percentile(values, 0.95))
            row["ratio"] = row["aiwatch"][0] / row["datasette"][0]
            rows.append(row)
            print(
                f"[latency] {name} {fmt}: aiwatch {row['aiwatch'][0]:.1f} ms,"
                f" datasette {row['datasette'][0]:.1f} ms",
                flush=True,
            )
    return rows


def throughput(aiwatch_url: str, datasette_url: str) -> list[dict]:
    mix = {name: (ours, theirs) for name, ours, theirs in query_mix()}
    rows = []
    for turn, name in enumerate(("rare term", "common term")):
        ours, theirs = mix[name]
        for fmt in ("html", "json"):
            row = {"class": name, "format": fmt}
            servers = [
                ("aiwatch", aiwatch_url, aiwatch_path(ours, fmt)),
                ("datasette", datasette_url, datasette_path(theirs, fmt)),
            ]
            if (turn + (fmt == "json")) % 2:
                servers.reverse()  # each goes first as often as the other
            for server, url, path in servers:
                os.environ["LOADTEST_PATHS"] = json.dumps([path])
                label = f"{server} {name} {fmt}"
                data = loadtest.locust(label, [url], "fixed", SECONDS, users=USERS)
                row[server] = summary = loadtest.summary(data["results"])
                # Only answered requests count: an error is quick, not throughput.
                bad = summary["errors"] + summary["non2xx"]
                summary["rps"] *= (summary["requests"] - bad) / max(summary["requests"], 1)
            rows.append(row)
    return rows


def report(latencies: list[dict], rates: list[dict]) -> bool:
    print(f"\n### Latency over HTTP ({REPEAT} interleaved requests per class and format; ms)")
    print(
        "| class | format | aiwatch p50 | aiwatch p95 | Datasette p50 | Datasette p95 | ratio"
        " | results (aiwatch / Datasette) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    met = True
    for r in latencies:
        met &= r["ratio"] < 1
        counts = f"{r['counts']['aiwatch']} / {r['counts']['datasette']}"
        print(
            f"| {r['class']} | {r['format']} | {r['aiwatch'][0]:.1f} | {r['aiwatch'][1]:.1f} |"
            f" {r['datasette'][0]:.1f} | {r['datasette'][1]:.1f} | {r['ratio']:.2f} | {counts} |"
        )
    print(f"\n### Throughput ({USERS} readers, {SECONDS} s each; requests/s, p50 ms, errors)")
    print(
        "| class | format | aiwatch req/s | aiwatch p50 | Datasette req/s | Datasette p50 | ratio |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rates:
        a, d = r["aiwatch"], r["datasette"]
        ratio = a["rps"] / d["rps"] if d["rps"] else float("inf")
        met &= ratio > 1
        print(
            f"| {r['class']} | {r['format']} | {a['rps']:.0f} | {a['p50']:.0f} |"
            f" {d['rps']:.0f} | {d['p50']:.0f} | {ratio:.2f} |"
            + (
                f" errors {a['errors'] + a['non2xx']} / {d['errors'] + d['non2xx']}"
                if a["errors"] + a["non2xx"] + d["errors"] + d["non2xx"]
                else ""
            )
        )
    print(
        "\ntargets (ratio below 1 on every class and format; more requests/s than Datasette "
        f"on the rare and the common term): {'met' if met else 'MISSED'}"
    )
    return met


def main() -> int:
    unknown = set(CACHE_MODES) - set(CACHE_MEANING)
    if unknown or not CACHE_MODES:
        print(f"PEER_CACHE takes off, on or both, not {sorted(unknown)}.", file=sys.stderr)
        return 2
    if not (PEER_BIN / "datasette").exists():
        print(
            "Datasette is not installed: run `make bench-peer`, which installs it.", file=sys.stderr
        )
        return 2
    loadtest.LOGS = Path(tempfile.mkdtemp(prefix="aiwatch-peer-"))

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    version = subprocess.run(
        [str(PEER_BIN / "datasette"), "--version"], capture_output=True, text=True
    )
    print("# aiwatch beside Datasette")
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(
        f"date: {when}; commit: {commit.stdout.strip() or '?'}; cpus: {os.cpu_count()};"
        f" {version.stdout.strip()}; {ARTICLES} articles; logs in {loadtest.LOGS}"
    )
    database_url, sqlite = prepare()
    os.environ["DATABASE_URL"] = database_url
    peer = None
    results = {}
    try:
        peer = Datasette(sqlite)
        for cache in CACHE_MODES:
            ours = Server(f"aiwatch-cache-{cache}", cache)
            print(f"\n## aiwatch with its page cache {cache}", flush=True)
            rows = latency(Client(ours.port), Client(peer.port))
            results[cache] = rows, throughput(ours.url, peer.url)
            ours.stop()
    finally:
        Server.stop_all()
        if peer:
            peer.stop()
    for cache, (rows, rates) in results.items():
        print(f"\n## aiwatch with its page cache {cache}: {CACHE_MEANING[cache]}")
        report(rows, rates)
    return 0


if __name__ == "__main__":
    sys.exit(main())
