"""`manage.py bench_search [--repeat 30] [--label 10k]`: time the search page on a corpus.

Runs a fixed mix of queries through the whole Django stack (URL routing,
middleware, the view, the templates) with django.test.Client, so no network
and no server are involved, against whatever database is configured:
normally a bench database filled by `manage.py generate_corpus`, whose
controlled terms (bench.corpus) the queries use.

Per query class: 3 warm-up requests, then --repeat measured ones. Reported:
latency percentiles (time.perf_counter around Client.get), the p50 of the
page's JSON form, the SQL queries a request ran (CaptureQueriesContext) and
their summed time, and the number of results the JSON form reports; then a
repeated search answered by the page cache, and issue 13's targets for the
corpus size, met or missed. --record keeps the figures for --growth, which
prints how they grow from one corpus size to the next. Any response other than 200 fails
the run, unless --dry-run (for trying the command before the view exists).

The requests run with DEBUG off, as in production, with the page cache off
(it would answer every repeat), and with plain static file
storage (production's manifest storage needs `collectstatic`, which a
benchmark has no reason to run); --keep-settings runs with the settings as
they are.
"""

import json
import math
import statistics
import time
import warnings
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from aiwatch.search.models import SearchEntry
from articles.models import Article
from bench import corpus

SEARCH_PATH = "/search/"
WARMUP = 3


def query_mix() -> list[tuple[str, dict]]:
    """The fixed query classes and their GET parameters, from the corpus constants."""
    return [
        ("rare term", {"q": corpus.RARE_TERM}),
        ("common term", {"q": corpus.COMMON_TERM}),
        ("phrase", {"q": f'"{corpus.PHRASE}"'}),
        ("exclusion", {"q": f"{corpus.EXCLUSION_TERM} -{corpus.EXCLUSION_OTHER}"}),
        ("chinese name", {"q": corpus.CJK_QUERY}),
        ("alias", {"q": corpus.ALIAS_QUERY}),
        (
            "filtered",
            {
                "q": corpus.COMMON_TERM,
                "kind": "article",
                "entity": corpus.FILTER_ENTITY_SLUG,
                "year": corpus.FILTER_YEAR,
            },
        ),
        ("deep page", {"q": corpus.COMMON_TERM, "page": corpus.DEEP_PAGE}),
    ]


def expected_articles(name: str, n: int) -> int | None:
    """How many published articles carry the class's term, by construction (None: not fixed)."""
    counts = corpus.expected_counts(n)
    return {
        "rare term": counts["rare"],
        "common term": counts["common"],
        "deep page": counts["common"],
        "phrase": counts["phrase"],
        "exclusion": counts["vpn_not_firewall"],
    }.get(name)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


class Command(BaseCommand):
    help = "Benchmark the search page with a fixed query mix through the Django test client."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="Measured requests per class.")
        parser.add_argument("--label", default="", help="Printed with the results, e.g. 10k.")
        parser.add_argument("--path", default=SEARCH_PATH, help="The search page's path.")
        parser.add_argument(
            "--only", action="append", default=[], metavar="CLASS", help="Run only this class."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Accept any status code (report it instead of failing): for trying the "
            "command before the search view exists.",
        )
        parser.add_argument(
            "--record",
            metavar="FILE",
            help="Append this run's figures to FILE (JSON lines), for --growth.",
        )
        parser.add_argument(
            "--growth",
            metavar="FILE",
            help="Print how p50 grows with the corpus across the runs recorded in FILE, "
            "and run nothing.",
        )
        parser.add_argument(
            "--keep-settings",
            action="store_true",
            help="Do not switch DEBUG off and static storage to plain for the run.",
        )

    def handle(self, *args, repeat, label, path, only, dry_run, keep_settings, **options):
        if options["growth"]:
            self.growth(Path(options["growth"]))
            return
        self.record = Path(options["record"]) if options["record"] else None
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        # WhiteNoise warns once that collectstatic has not run; the benchmark does not need it.
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        mix = query_mix()
        if only:
            unknown = set(only) - {name for name, _ in mix}
            if unknown:
                raise CommandError(f"Unknown class(es) {sorted(unknown)}; see query_mix().")
            mix = [(name, params) for name, params in mix if name in only]
        if keep_settings:
            self.run(mix, repeat, label, path, dry_run)
            return
        with override_settings(
            DEBUG=False,
            # It times the search, not the page cache, which would answer each repeat.
            AIWATCH_PAGE_CACHE=False,
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            STORAGES={
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        ):
            self.run(mix, repeat, label, path, dry_run)

    def run(self, mix, repeat, label, path, dry_run):
        n_articles = Article.objects.count()
        n_entries = SearchEntry.objects.count()
        self.stdout.write(
            f"bench_search {label or ''}: database {connection.settings_dict['NAME']!r}, "
            f"PostgreSQL {connection.pg_version // 10000}, {n_articles} articles, "
            f"{n_entries} search entries, DEBUG={settings.DEBUG}, "
            f"{WARMUP} warm-up + {repeat} measured requests per class"
        )
        if not n_entries and not dry_run:
            raise CommandError("The search index is empty: run generate_corpus (or reindex) first.")
        client = Client()
        rows = []
        for name, params in mix:
            params = self.resolve(client, path, name, params)
            url = f"{path}?{urlencode(params)}"
            for _ in range(WARMUP):
                self.get(client, url, dry_run)
            latencies, queries, sql_ms, statuses = [], [], [], set()
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = self.get(client, url, dry_run)
                    latencies.append((time.perf_counter() - started) * 1000)
                statuses.add(response.status_code)
                queries.append(len(captured.captured_queries))
                sql_ms.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
            json_url = f"{path}?{urlencode({**params, 'format': 'json'})}"
            for _ in range(WARMUP):
                self.get(client, json_url, dry_run)
            json_latencies = []
            for _ in range(repeat):
                started = time.perf_counter()
                self.get(client, json_url, dry_run)
                json_latencies.append((time.perf_counter() - started) * 1000)
            rows.append(
                {
                    "class": name,
                    "url": url,
                    "json_p50": statistics.median(json_latencies),
                    "p50": statistics.median(latencies),
                    "p95": percentile(latencies, 95),
                    "max": max(latencies),
                    "sql": max(queries),
                    "sql_ms": statistics.median(sql_ms),
                    "results": self.total(client, path, params),
                    "expected": expected_articles(name, n_articles),
                    "status": ",".join(str(s) for s in sorted(statuses)),
                }
            )
            self.stdout.write(f"  {name}: done")
            self.stdout.flush()
        cached = self.cached(client, f"{path}?{urlencode(mix[0][1])}", repeat, dry_run)
        self.table(rows, label, dry_run)
        self.targets(rows, cached, n_articles)
        if self.record:
            with self.record.open("a") as out:
                out.write(json.dumps({"articles": n_articles, "rows": rows, "cached": cached}))
                out.write("\n")

    def cached(self, client, url, repeat, dry_run) -> float:
        """p50 of a repeated search answered by the page cache, as readers get it."""
        with override_settings(AIWATCH_PAGE_CACHE=True):
            self.get(client, url, dry_run)  # fills the cache
            latencies = []
            with CaptureQueriesContext(connection) as captured:
                for _ in range(repeat):
                    started = time.perf_counter()
                    self.get(client, url, dry_run)
                    latencies.append((time.perf_counter() - started) * 1000)
        p50 = statistics.median(latencies)
        sql = len(captured.captured_queries)
        self.stdout.write(f"  cached repeat ({url}): p50 {p50:.2f} ms, {sql} SQL queries in all")
        return p50

    def targets(self, rows, cached: float, n_articles: int) -> None:
        """Issue 13's targets for this corpus size, met or missed, class by class."""
        if n_articles >= 1_000_000:
            limits = {"p50": 40, "p95": 100}
        elif n_articles >= 100_000:
            limits = {"p50": 15, "p95": 40, "json_p50": 10}
        else:
            return
        self.stdout.write(f"Targets at {n_articles:,} articles (issue 13):")
        for key, limit in limits.items():
            over = [f"{r['class']} {r[key]:.1f}" for r in rows if r[key] > limit]
            verdict = "met" if not over else f"MISSED by {', '.join(over)}"
            self.stdout.write(f"  {key} <= {limit} ms: {verdict}")
        verdict = "met" if cached <= 3 else "MISSED"
        self.stdout.write(f"  cached repeat p50 <= 3 ms: {verdict} ({cached:.2f} ms)")

    def growth(self, path: Path) -> None:
        """A table of p50 (HTML) per class across the recorded corpus sizes."""
        try:
            runs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read {path}: {error}") from error
        try:
            runs.sort(key=lambda run: run["articles"])
            # By class name, and only the classes every run measured (--only may differ).
            p50 = [{row["class"]: float(row["p50"]) for row in run["rows"]} for run in runs]
            cached = [float(run["cached"]) for run in runs]
        except (KeyError, TypeError, ValueError) as error:
            raise CommandError(f"{path} is not a record of bench_search runs: {error}") from error
        if not runs:
            raise CommandError(f"{path} records no run.")
        classes = [name for name in p50[0] if all(name in run for run in p50)]
        sizes = [f"{run['articles']:,}" for run in runs]
        self.stdout.write("How p50 (ms, HTML) grows with the corpus:")
        self.stdout.write("| class | " + " | ".join(sizes) + " | largest ÷ smallest |")
        self.stdout.write("| --- " * (len(runs) + 2) + "|")
        for name in classes:
            values = [run[name] for run in p50]
            cells = " | ".join(f"{v:.1f}" for v in values)
            self.stdout.write(f"| {name} | {cells} | {values[-1] / values[0]:.2f} |")
        cells = " | ".join(f"{c:.2f}" for c in cached)
        self.stdout.write(f"| cached repeat | {cells} | |")

    def get(self, client, url, dry_run):
        response = client.get(url)
        if response.status_code != 200 and not dry_run:
            raise CommandError(f"GET {url} answered {response.status_code}, not 200.")
        return response

    def json(self, client, path, params) -> dict | None:
        response = client.get(f"{path}?{urlencode({**params, 'format': 'json'})}")
        if response.status_code != 200:
            return None
        try:
            return json.loads(response.content)
        except ValueError:
            return None

    def resolve(self, client, path, name, params) -> dict:
        """The deep page, moved to the last page when the corpus has fewer results."""
        if name != "deep page":
            return params
        first = self.json(client, path, {k: v for k, v in params.items() if k != "page"})
        if not first or "pages" not in first:
            return params
        last = max(1, int(first["pages"]))
        if last < int(params["page"]):
            self.stdout.write(
                f"  deep page: only {first.get('total')} results, so page {last} "
                f"instead of {params['page']}"
            )
            return {**params, "page": last}
        return params

    def total(self, client, path, params) -> str:
        data = self.json(client, path, params)
        if not data or "total" not in data:
            return "?"
        return f"{data['total']}{'+' if data.get('total_is_capped') else ''}"

    def table(self, rows, label, dry_run):
        head = ["class", "p50 ms", "p95 ms", "max ms", "JSON p50 ms", "SQL/req", "SQL ms p50",
                "results", "articles with term"]  # fmt: skip
        if dry_run:
            head.append("status")
        lines = [head, ["---"] * len(head)]
        for r in rows:
            line = [
                r["class"], f"{r['p50']:.1f}", f"{r['p95']:.1f}", f"{r['max']:.1f}",
                f"{r['json_p50']:.1f}", str(r["sql"]), f"{r['sql_ms']:.1f}", r["results"],
                "" if r["expected"] is None else str(r["expected"]),
            ]  # fmt: skip
            if dry_run:
                line.append(r["status"])
            lines.append(line)
        widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
        self.stdout.write("")
        if label:
            self.stdout.write(f"Search benchmark: {label}")
        for line in lines:
            cells = [
                ("-" * widths[i]) if cell == "---" else cell.ljust(widths[i])
                for i, cell in enumerate(line)
            ]
            self.stdout.write("| " + " | ".join(cells) + " |")
        self.stdout.write("")
        for r in rows:
            self.stdout.write(f"  {r['class']:<13} {r['url']}")
