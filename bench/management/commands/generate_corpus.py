"""`manage.py generate_corpus --articles N [--seed 42]`: a synthetic corpus for benchmarks.

Writes N articles and, in proportion, outlets, entities with Chinese and English
aliases, mentions, events, claims and claim relations (see bench.corpus for
the text and the controlled search terms), then rebuilds the search index.

Only into a database whose name contains "bench" or "test": the command first
EMPTIES every content table (TRUNCATE … RESTART IDENTITY CASCADE), because in
such a database all content is synthetic by definition. The dev database
("aiwatch") is refused before anything is touched.

Rows go in with PostgreSQL COPY with ids chosen here, in one transaction; no
model save() runs, so no signal fires. A comment on the article table records
what was generated (size, seed, a hash of bench/corpus.py), so
`--reuse` can skip a run that would produce the same corpus again (the
benchmark harness uses it).
"""

import datetime
import hashlib
import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from aiwatch.core.models import OldSlug, SeededKey
from aiwatch.core.progress import progress
from aiwatch.search.indexing import rebuild
from aiwatch.search.models import SearchEntry
from articles.models import Article, Source
from bench import corpus
from entities.models import (
    Alias,
    Claim,
    ClaimEntity,
    ClaimEvent,
    ClaimRelation,
    Entity,
    Event,
    EventSource,
    Mention,
    Participation,
)

ALLOWED_NAME_PARTS = ("bench", "test")
# Bump when this command changes what it writes; a change to bench/corpus.py is
# noticed by itself. Either makes --reuse regenerate.
WRITER_VERSION = 1
# Children first, so the list also reads as a safe deletion order.
CONTENT_MODELS = [
    SearchEntry, ClaimRelation, ClaimEvent, ClaimEntity, Claim, EventSource, Participation,
    Event, Mention, Alias, Entity, Article, Source,
]  # fmt: skip
# Records that name content rows by id, emptied with them: left behind, SeededKey would
# tell a later `seed` that the story's rows were deleted by an editor (it would not make
# them again), and OldSlug would redirect old slugs to synthetic rows.
LEDGER_MODELS = [SeededKey, OldSlug]
UTC = datetime.UTC


def marker(n: int, seed: int) -> str:
    """What the article table's comment says after a run; a changed generator changes it."""
    text = hashlib.sha256(Path(corpus.__file__).read_bytes()).hexdigest()[:12]
    return f"aiwatch synthetic corpus: articles={n} seed={seed} text={text} writer={WRITER_VERSION}"


def check_database() -> str:
    """The current database's name; CommandError unless it is a bench or test database."""
    name = str(connection.settings_dict.get("NAME") or "")
    if not any(part in name.lower() for part in ALLOWED_NAME_PARTS):
        raise CommandError(
            f"Refusing to write a synthetic corpus into database {name!r}: its name must contain "
            f"'bench' or 'test'. Set AIWATCH_EMBEDDED_DATABASE=aiwatch_bench_<N> (embedded "
            f"server) or point DATABASE_URL at a bench database."
        )
    return name


def write_marker(text: str) -> None:
    with connection.cursor() as cursor:
        # COMMENT takes no bind parameters: let the server quote the literal.
        cursor.execute(
            "SELECT format('COMMENT ON TABLE articles_article IS %%L', %s::text)", [text]
        )
        cursor.execute(cursor.fetchone()[0])


def current_marker() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description(%s::regclass, 'pg_class')", [Article._meta.db_table])
        return cursor.fetchone()[0] or ""


class Copier:
    """COPY rows into a model's table, checking first that every column is accounted for."""

    def __init__(self, cursor):
        self.cursor = cursor

    def columns(self, model, given: list[str]) -> tuple[list[str], tuple]:
        """The columns to COPY: `given`, plus constant defaults for columns added since."""
        qn = connection.ops.quote_name
        extra_cols, extra_vals = [], []
        for f in model._meta.concrete_fields:
            if f.column in given or getattr(f, "generated", False):
                continue
            if f.has_db_default() or f.null or f.db_returning:  # db_returning: identity id
                continue
            # A blank-able text column without a default is "" (as the ORM would write it).
            if f.has_default() or (f.blank and f.empty_strings_allowed):
                extra_cols.append(f.column)
                extra_vals.append(f.get_db_prep_save(f.get_default(), connection))
                continue
            raise CommandError(
                f"generate_corpus does not know the NOT NULL column {model._meta.db_table}."
                f"{f.column}; teach it (bench/management/commands/generate_corpus.py)."
            )
        unknown = set(given) - {f.column for f in model._meta.concrete_fields}
        if unknown:
            raise CommandError(f"{model._meta.db_table} has no column(s) {sorted(unknown)}")
        return [qn(c) for c in [*given, *extra_cols]], tuple(extra_vals)

    def __call__(self, model, given: list[str], rows) -> int:
        cols, extra = self.columns(model, given)
        sql = (
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({', '.join(cols)}) FROM STDIN"
        )
        n = 0
        with self.cursor.copy(sql) as copy:
            write = copy.write_row
            if extra:
                for row in rows:
                    write((*row, *extra))
                    n += 1
            else:
                for row in rows:
                    write(row)
                    n += 1
        return n


class Command(BaseCommand):
    help = (
        "Generate a synthetic corpus of N articles (and entities, events, claims) into a bench "
        "or test database, replacing its content, then rebuild the search index."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Do nothing if the database already holds the corpus this run would generate.",
        )
        parser.add_argument(
            "--no-index", action="store_true", help="Skip rebuilding the search index."
        )
        parser.add_argument(
            "--workers",
            type=int,
            # With one worker per CPU the CPUs were about 70% busy (a worker and its
            # server process take turns): one more keeps them busy.
            default=(os.cpu_count() or 1) + 1,
            metavar="N",
            help="Processes that build the search index side by side (default: CPUs + 1).",
        )

    def handle(
        self, *args, articles: int, seed: int, reuse: bool, no_index: bool, workers: int, **options
    ):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        name = check_database()
        if reuse and current_marker() == marker(articles, seed):
            count = Article.objects.count()
            indexed = SearchEntry.objects.exists()
            if count == articles and indexed:
                self.stdout.write(
                    f"Database {name!r} already holds the corpus ({marker(articles, seed)}); "
                    "reusing it. Set BENCH_REGENERATE=1 (or drop --reuse) to regenerate."
                )
                return
        self.timings: list[tuple[str, float]] = []
        started = self._last = time.perf_counter()
        self.stdout.write(f"Generating {articles} articles (seed {seed}) into {name!r}…")
        with transaction.atomic():
            counts = self.write_content(articles, seed)
        self.lap("commit")
        if not no_index:
            self.build_index(workers)
        self.analyze()
        # Last: a run stopped half-way (the index of a million articles takes an hour)
        # leaves no marker, and --reuse makes the corpus again instead of taking it.
        write_marker(marker(articles, seed))
        total = time.perf_counter() - started
        self.stdout.write("Rows: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        self.stdout.write("Timings:")
        for phase, seconds in self.timings:
            self.stdout.write(f"  {phase:<30} {seconds:8.2f} s")
        self.stdout.write(f"  {'total':<30} {total:8.2f} s")

    # --- Phases -------------------------------------------------------------

    def lap(self, phase: str) -> None:
        """Record and print the time since the previous lap."""
        now = time.perf_counter()
        self.timings.append((phase, now - self._last))
        self.stdout.write(f"  {phase}: {now - self._last:.2f} s")
        self.stdout.flush()
        self._last = now

    def write_content(self, n: int, seed: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        with connection.cursor() as cursor:
            copy = Copier(cursor)
            cursor.execute("SET LOCAL synchronous_commit TO off")
            cursor.execute("COMMENT ON TABLE articles_article IS NULL")
            tables = ", ".join(
                connection.ops.quote_name(m._meta.db_table) for m in CONTENT_MODELS + LEDGER_MODELS
            )
            # Inside a longer transaction (a test), deferred foreign-key checks of earlier
            # writes would make TRUNCATE fail: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            # Autovacuum would start on the new rows while the index is built, taking a
            # CPU from it; analyze() vacuums each table once at the end instead.
            for model in CONTENT_MODELS:
                cursor.execute(
                    f"ALTER TABLE {connection.ops.quote_name(model._meta.db_table)} SET "
                    "(autovacuum_enabled = off, toast.autovacuum_enabled = off)"
                )
            self.lap("truncate")

            gen = corpus.Corpus(n, seed)
            stamp = datetime.datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
            counts["sources"] = copy(
                Source,
                ["id", "name", "slug", "homepage", "description"],
                ((s.id, s.name, s.slug, s.homepage, s.description) for s in gen.sources),
            )
            counts["entities"] = copy(
                Entity,
                [
                    "id",
                    "status",
                    "created_at",
                    "updated_at",
                    "kind",
                    "name",
                    "slug",
                    "description",
                    "description_html",
                    "website",
                    "wikidata_id",
                ],
                (
                    (
                        e.id,
                        e.status,
                        stamp,
                        stamp,
                        e.kind,
                        e.name,
                        e.slug,
                        e.description,
                        corpus.markdown_html(e.description),
                        "",
                        "",
                    )
                    for e in gen.entities
                ),
            )
            counts["aliases"] = copy(
                Alias,
                ["entity_id", "name", "language"],
                ((e.id, a, lang) for e in gen.entities for a, lang in e.aliases),
            )
            self.lap("sources, entities")

            mentions: list[tuple[int, int]] = []

            def article_rows():
                for a in gen.articles():
                    created = datetime.datetime.combine(
                        a.published_on, datetime.time(8, a.id % 60), tzinfo=UTC
                    )
                    mentions.extend((a.id, e) for e in a.entity_ids)
                    yield (
                        a.id,
                        a.status,
                        created,
                        created,
                        a.title,
                        a.slug,
                        a.source_id,
                        a.original_url,
                        a.author,
                        a.published_on,
                        "en",
                        a.summary,
                        corpus.markdown_html(a.summary),
                        a.body,
                        a.body,
                        a.content_hash,
                    )

            counts["articles"] = copy(
                Article,
                [
                    "id",
                    "status",
                    "created_at",
                    "updated_at",
                    "title",
                    "slug",
                    "source_id",
                    "original_url",
                    "author",
                    "published_on",
                    "language",
                    "summary",
                    "summary_html",
                    "body",
                    "raw",
                    "content_hash",
                ],
                progress(article_rows(), total=n, label="articles", stream=self.stderr),
            )
            self.lap("articles")
            counts["mentions"] = copy(
                Mention, ["note", "article_id", "entity_id"], (("", a, e) for a, e in mentions)
            )
            self.lap("mentions")

            events = gen.events()
            counts["events"] = copy(
                Event,
                [
                    "id",
                    "status",
                    "created_at",
                    "updated_at",
                    "title",
                    "slug",
                    "date",
                    "date_precision",
                    "end_date",
                    "description",
                    "description_html",
                ],
                (
                    (
                        e.id,
                        e.status,
                        stamp,
                        stamp,
                        e.title,
                        e.slug,
                        e.date,
                        e.date_precision,
                        e.end_date,
                        e.description,
                        corpus.markdown_html(e.description),
                    )
                    for e in events
                ),
            )
            counts["participations"] = copy(
                Participation,
                ["note", "event_id", "entity_id", "role"],
                (("", e.id, p, role) for e in events for p, role in e.participants),
            )
            counts["event_sources"] = copy(
                EventSource,
                ["note", "event_id", "article_id"],
                (("", e.id, a) for e in events for a in e.article_ids),
            )
            self.lap("events")

            claims = gen.finish_claims()
            counts["claims"] = copy(
                Claim,
                [
                    "id",
                    "status",
                    "created_at",
                    "updated_at",
                    "statement",
                    "slug",
                    "claimant_id",
                    "article_id",
                    "quote",
                    "quote_start",
                    "quote_end",
                    "needs_review",
                    "kind",
                    "verification",
                    "verification_reason",
                ],
                (
                    (
                        c.id,
                        c.status,
                        stamp,
                        stamp,
                        c.statement,
                        c.slug,
                        c.claimant_id,
                        c.article_id,
                        c.quote,
                        c.quote_start,
                        c.quote_start + len(c.quote),
                        False,
                        c.kind,
                        c.verification,
                        c.verification_reason,
                    )
                    for c in claims
                ),
            )
            counts["claim_entities"] = copy(
                ClaimEntity,
                ["note", "claim_id", "entity_id"],
                (("", c.id, e) for c in claims for e in c.about_ids),
            )
            counts["claim_events"] = copy(
                ClaimEvent,
                ["note", "claim_id", "event_id"],
                (("", c.id, e) for c in claims for e in c.event_ids),
            )
            counts["claim_relations"] = copy(
                ClaimRelation,
                ["note", "source_id", "target_id", "kind"],
                (("", s, t, k) for s, t, k in gen.claim_relations()),
            )
            self.lap("claims")

            # Ids were chosen here: move every id sequence past them.
            for model in CONTENT_MODELS:
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}",
                    [model._meta.db_table],
                )
            self.lap("sequences")
        return counts

    def build_index(self, workers: int) -> None:
        # A bench database: nobody searches it meanwhile.
        entries = rebuild(offline=True, workers=workers, stream=self.stderr)
        self.lap(f"search index ({entries} entries)")

    def analyze(self) -> None:
        """Fresh planner statistics (and, outside a transaction, the visibility map)."""
        tables = [m._meta.db_table for m in CONTENT_MODELS]
        with connection.cursor() as cursor:
            if connection.in_atomic_block:
                for table in tables:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
            else:
                for table in tables:
                    cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
                    # Not inside a transaction (a test): pending trigger events forbid
                    # ALTER TABLE there, and the rollback undoes the SET anyway.
                    cursor.execute(
                        f"ALTER TABLE {connection.ops.quote_name(table)} RESET "
                        "(autovacuum_enabled, toast.autovacuum_enabled)"
                    )
        self.lap("vacuum, analyze")
