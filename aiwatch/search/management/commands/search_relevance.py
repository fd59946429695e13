"""`manage.py search_relevance`: nDCG@10 and MRR of the search page on the judged queries.

Runs against the current database (run `manage.py seed` first): every judged
query goes through the real search view, as GET /search/?…&format=json through
django.test.Client, so what is measured is what a visitor gets.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from aiwatch.search import suggest
from aiwatch.search.models import SearchEntry
from aiwatch.search.relevance import (
    JudgedQuery,
    JudgmentError,
    K,
    Ranking,
    evaluate,
    load_judgments,
)

DEFAULT_JUDGMENTS = Path(settings.BASE_DIR) / "tests" / "search" / "search_judgments.toml"


def _host() -> str:
    for host in settings.ALLOWED_HOSTS:
        host = host.lstrip(".")
        if host and host != "*" and "*" not in host:
            return host
    return "localhost"


def client_runner(client: Client | None = None, host: str | None = None):
    """A run_query for relevance.evaluate: the search view's JSON, first page."""
    client = client or Client()
    extra = {"HTTP_HOST": host or _host(), "secure": True}

    def run_query(q: str, params: dict[str, str]) -> Ranking:
        response = client.get("/search/", {**params, "q": q, "format": "json"}, **extra)
        if response.status_code != 200:
            raise RuntimeError(f"/search/ answered {response.status_code} for q={q!r} {params}")
        data = response.json()
        suggestion = data.get("suggestion") or {}
        return Ranking([r["url"] for r in data["results"]], suggestion.get("query"))

    return run_query


def unknown_urls(queries: list[JudgedQuery]) -> list[tuple[str, str]]:
    """(query id, URL) for judged URLs that no entry of the index has: a typo, or unseeded data."""
    urls = {u for q in queries for u in (*q.judgments, *q.must_not)}
    known = set(SearchEntry.objects.filter(url__in=urls).values_list("url", flat=True))
    return [(q.id, u) for q in queries for u in (*q.judgments, *q.must_not) if u not in known]


class Command(BaseCommand):
    help = (
        "Score the search page on the judged queries (nDCG@10, MRR, the worst queries) "
        "against the current database. Run `manage.py seed` first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--judgments",
            type=Path,
            default=DEFAULT_JUDGMENTS,
            metavar="PATH",
            help="The judged set (TOML). Default: tests/search/search_judgments.toml.",
        )
        parser.add_argument("--k", type=int, default=K, help="Rank cut-off for nDCG. Default: 10.")
        parser.add_argument("--worst", type=int, default=10, help="How many worst queries to show.")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
        parser.add_argument(
            "--per-query", action="store_true", help="Also print every query's nDCG and RR."
        )
        parser.add_argument(
            "--allow-missing",
            action="store_true",
            help="Score even if judged pages are missing from the index (by default an error: "
            "the scores would not mean much).",
        )
        parser.add_argument(
            "--min-ndcg",
            type=float,
            default=None,
            help="Exit with an error if mean nDCG is below this.",
        )
        parser.add_argument(
            "--min-mrr", type=float, default=None, help="Exit with an error if MRR is below this."
        )

    def judge(self, queries: list[JudgedQuery]) -> list[JudgedQuery]:
        """The queries as scored; a subclass may judge more pages (bench's corpus_relevance)."""
        return queries

    def handle(self, *args, judgments: Path, k: int, worst: int, **options):
        if k < 1:
            raise CommandError("--k must be at least 1.")
        try:
            queries = load_judgments(judgments)
        except (OSError, JudgmentError) as error:
            raise CommandError(f"cannot read the judged set: {error}") from error
        if not SearchEntry.objects.exists():
            raise CommandError("the search index is empty: run `manage.py seed` (and `reindex`).")
        missing = unknown_urls(queries)
        queries = self.judge(queries)
        suggest.forget()  # the cached vocabulary may predate the current index
        report = evaluate(queries, client_runner(), k=k)

        if options["json"]:
            data = report.as_dict()
            data["unknown_urls"] = [{"query": q, "url": u} for q, u in missing]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(report.summary(worst=worst))
            if options["per_query"]:
                self.stdout.write(f"\nPer query (nDCG@{k}, RR):\n{report.table()}")
            if missing:
                self.stdout.write("\nJudged URLs not in the index (is the database seeded?):")
                for qid, url in missing:
                    self.stdout.write(f"  {qid}: {url}")

        failures = []
        if missing and not options["allow_missing"]:
            failures.append(
                f"{len({url for _, url in missing})} judged pages are not in the index: "
                "run `manage.py seed`, "
                "or pass --allow-missing"
            )
        if options["min_ndcg"] is not None and report.mean_ndcg < options["min_ndcg"]:
            failures.append(f"nDCG@{k} {report.mean_ndcg:.4f} < {options['min_ndcg']}")
        if options["min_mrr"] is not None and report.mrr < options["min_mrr"]:
            failures.append(f"MRR {report.mrr:.4f} < {options['min_mrr']}")
        if failures:
            raise CommandError("; ".join(failures))
