"""`manage.py export_peer PATH`: the search index as a SQLite database for Datasette.

The peer benchmark (bench/peer.py, `make bench-peer`) serves this file with
Datasette and asks it the same queries as aiwatch. It holds what aiwatch
searches, the published search entries, and nothing else:

- `entries`: kind, date, year, outlet, URL, title, keywords, body, CJK terms;
- `entries_fts`: an FTS5 index of title, keywords, body and the CJK terms
  (porter stemming, as aiwatch stems English), external content over `entries`,
  ranked with bm25 at aiwatch's weights (bench.peer.SEARCH_SQL);
- `entry_entities`: which entities each entry is linked to, for the entity filter.

The file is written to a temporary name and renamed, so a failed export leaves
no half-written database behind.
"""

import os
import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aiwatch.core.progress import progress
from aiwatch.search.models import SearchEntry
from entities.models import Entity

BATCH = 2000
NAME = "export_peer"
SCHEMA = """
-- The short columns first: SQLite reads a row's columns in order, and the facets and the
-- ranking need only these, so a search never follows a long body's overflow pages.
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    date TEXT,
    year TEXT,
    outlet TEXT,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    keywords TEXT NOT NULL,
    body TEXT NOT NULL,
    cjk_title TEXT NOT NULL,
    cjk_body TEXT NOT NULL
);
CREATE TABLE entry_entities (
    entry_id INTEGER NOT NULL REFERENCES entries(id),
    entity TEXT NOT NULL,
    PRIMARY KEY (entry_id, entity)
) WITHOUT ROWID;
-- The entity filter: an entity's entries.
CREATE INDEX entry_entities_entity ON entry_entities (entity, entry_id);
CREATE VIRTUAL TABLE entries_fts USING fts5(
    title, keywords, body, cjk_title, cjk_body,
    content='entries', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
"""


class Command(BaseCommand):
    help = "Write the published search index to a SQLite database with FTS5, for Datasette."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The SQLite file to write (replaced).")

    def handle(self, *args, path: Path, **options):
        if not SearchEntry.objects.exists():
            raise CommandError("the search index is empty: generate a corpus first.")
        if path.is_dir():
            raise CommandError(f"{path} is a directory; give the SQLite file's path.")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} does not exist: make the folder first.")
        slugs = dict(Entity.objects.values_list("pk", "slug"))
        partial = path.with_name(path.name + ".partial")
        partial.unlink(missing_ok=True)
        db = sqlite3.connect(partial)
        try:
            db.executescript(SCHEMA)
            entries = SearchEntry.objects.select_related("outlet").order_by("pk")
            rows, links = [], []
            total = entries.count()
            for entry in progress(entries.iterator(chunk_size=BATCH), total=total, label=NAME):
                date = entry.date.isoformat() if entry.date else None
                rows.append((
                    entry.pk, entry.kind, date, date[:4] if date else None,
                    entry.outlet.slug if entry.outlet else None, entry.url, entry.title,
                    entry.keywords, entry.body, entry.cjk_title, entry.cjk_body,
                ))  # fmt: skip
                links.extend((entry.pk, slugs[e]) for e in entry.entity_ids if e in slugs)
                if len(rows) >= BATCH:
                    self._write(db, rows, links)
                    rows, links = [], []
            self._write(db, rows, links)
            db.execute("INSERT INTO entries_fts(entries_fts) VALUES ('rebuild')")
            db.execute("INSERT INTO entries_fts(entries_fts) VALUES ('optimize')")
            db.commit()
            db.execute("ANALYZE")
        except BaseException:
            db.close()
            partial.unlink(missing_ok=True)
            raise
        db.close()
        os.replace(partial, path)
        self.stdout.write(f"Wrote {path}: {total} entries.")

    @staticmethod
    def _write(db, rows, links) -> None:
        db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO entry_entities VALUES (?, ?)", links)
