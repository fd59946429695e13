"""Writes a snapshot: every published row, in JSON Lines, CSV and SQLite, described and signed.

A snapshot is a folder `vN` of files that never change once written:

- `<table>.jsonl` and `<table>.csv` for each table of `tables.tables()`;
- `aiwatch.sqlite`, with foreign keys and an FTS5 index, which Datasette opens as it is
  (`datasette-metadata.json` gives it the descriptions);
- `README.md`, the data dictionary, and `datapackage.json`, the same as a Frictionless
  Data Package;
- `CHANGELOG.md` and `changelog.json`: what was added, changed and withdrawn since the
  previous snapshot;
- `citation.bib` and `citation.json` (CSL-JSON) for the dataset itself;
- `manifest.json`, with the version, date, counts and each file's SHA-256, and
  `SHA256SUMS` for `sha256sum -c`.

Reproducible: the same rows, exported by the same aiwatch with the same SQLite,
give the same bytes. Nothing is dated by the clock: a snapshot's date is that
of the latest change to published content. An export that finds the data as
the latest snapshot has it writes nothing new.
"""

import csv
import datetime
import hashlib
import io
import json
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.urls import reverse

from aiwatch.core.outputs import spreadsheet_safe
from aiwatch.core.progress import progress
from aiwatch.core.publishing import Status
from aiwatch.site.snapshots import store
from aiwatch.site.snapshots.tables import Table, tables
from articles.citation import latex_escape
from articles.models import Article
from entities.models import Claim, Entity, Event

SQLITE = "aiwatch.sqlite"
TITLE = "aiwatch: OpenAI's API cutoff in China and Hong Kong (July 2024) and the response"
PUBLISHER = "aiwatch"
# How many changed rows CHANGELOG.md names per table; changelog.json has them all.
CHANGELOG_NAMED = 200


class SnapshotError(Exception):
    """An export that could not finish; nothing was published."""


@dataclass(frozen=True)
class Outcome:
    snapshot: store.Snapshot
    created: bool  # False: the data was as the latest snapshot has it


def export(directory: Path | None = None, *, stream=None) -> Outcome:
    """Write a new snapshot under `directory` if the published data changed since the latest.

    Reads every table in one read-only, repeatable-read transaction, so a
    snapshot is one moment of the data even while editors publish.
    """
    directory = Path(directory or store.root())
    directory.mkdir(parents=True, exist_ok=True)
    previous = store.latest(directory)
    work = Path(tempfile.mkdtemp(prefix=".partial-", dir=directory))
    # Inside a caller's transaction (a test's) its isolation is what it is.
    outermost = not connection.in_atomic_block
    try:
        with transaction.atomic():
            if outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            as_of = _as_of()
            written = _write_data(work, stream=stream)
        data_sha256 = _digest(written)
        if previous is not None and previous.manifest.get("data_sha256") == data_sha256:
            return Outcome(previous, created=False)
        # Above every folder there, a damaged one too: its number is never taken again.
        version = store.highest_number(directory) + 1
        if previous and previous.manifest.get("date"):
            as_of = max(filter(None, [as_of, previous.manifest["date"]]))
        citation = _citation(version, as_of)
        _write_description(
            work, written, version=version, date=as_of, previous=previous, citation=citation
        )
        manifest = _write_manifest(
            work,
            written,
            version=version,
            date=as_of,
            previous=previous,
            data=data_sha256,
            citation=citation,
        )
        work.chmod(0o755)  # mkdtemp's folder is the exporter's alone; the site must read it
        final = directory / f"v{version}"
        try:
            work.rename(final)
        except OSError as error:
            raise SnapshotError(
                f"{final} appeared while this export ran (another export?); run it again."
            ) from error
        return Outcome(store.Snapshot(version, final, manifest), created=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _as_of() -> str | None:
    """The date of the latest change to anything published or withdrawn (UTC), as ISO."""
    public = Q(status__in=[Status.PUBLISHED, Status.WITHDRAWN])
    latest = [
        model.objects.filter(public).aggregate(at=Max("updated_at"))["at"]
        for model in (Article, Entity, Event, Claim)
    ]
    latest = [at for at in latest if at is not None]
    return max(latest).astimezone(datetime.UTC).date().isoformat() if latest else None


# --- The data ------------------------------------------------------------------


@dataclass
class Written:
    table: Table
    count: int
    # Each row's id with the SHA-256 of its JSON line: what the changelog compares.
    rows: dict[int, str]


def _write_data(work: Path, *, stream) -> list[Written]:
    database = sqlite3.connect(work / SQLITE, isolation_level=None)
    try:
        database.execute("PRAGMA page_size = 4096")
        database.execute("PRAGMA journal_mode = OFF")
        database.execute("PRAGMA foreign_keys = ON")
        database.execute("BEGIN")
        written = []
        counted = [(table, table.count()) for table in tables()]
        # One count of rows for the whole snapshot, advanced by each row written.
        rows_done = progress(
            range(sum(n for _, n in counted)),
            total=sum(n for _, n in counted),
            label="snapshot",
            stream=stream,
        )
        for table, _count in counted:
            _create_table(database, table)
            written.append(_write_table(work, database, table, tick=rows_done))
            if table.searchable:
                _create_search(database, table)
        for _ in rows_done:  # the last line of progress comes once it is exhausted
            pass
        database.execute("COMMIT")
        problems = database.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise SnapshotError(f"rows refer to rows the snapshot lacks: {problems[:5]}")
        # Compacts the file into one canonical layout: same rows, same bytes.
        database.execute("VACUUM")
    finally:
        database.close()
    return written


def _create_table(database, table: Table) -> None:
    columns = []
    for column in table.columns:
        sql = f'"{column.name}" {column.sqlite_type}'
        if column.name == "id":
            sql += " PRIMARY KEY"
        elif column.required:
            sql += " NOT NULL"
        if column.references:
            sql += f' REFERENCES "{column.references}"(id)'
        columns.append(sql)
    database.execute(f'CREATE TABLE "{table.name}" ({", ".join(columns)})')
    for column in table.columns:
        if column.references:
            database.execute(
                f'CREATE INDEX "{table.name}_{column.name}" ON "{table.name}"("{column.name}")'
            )


def _create_search(database, table: Table) -> None:
    names = ", ".join(f'"{c}"' for c in table.searchable)
    database.execute(
        f'CREATE VIRTUAL TABLE "{table.name}_fts" USING fts5({names}, content="{table.name}", '
        "content_rowid=\"id\", tokenize='porter unicode61 remove_diacritics 2')"
    )
    database.execute(
        f'INSERT INTO "{table.name}_fts"(rowid, {names}) SELECT id, {names} FROM "{table.name}"'
    )


def _write_table(work: Path, database, table: Table, *, tick) -> Written:
    names = table.column_names
    insert = f'INSERT INTO "{table.name}" VALUES ({", ".join("?" for _ in names)})'
    ids: dict[int, str] = {}
    with (
        open(work / f"{table.name}.jsonl", "w", encoding="utf-8", newline="\n") as jsonl,
        open(work / f"{table.name}.csv", "w", encoding="utf-8", newline="") as csv_file,
    ):
        writer = csv.writer(csv_file)
        writer.writerow(names)
        batch = []
        for row in table.rows():
            next(tick, None)
            line = json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False)
            jsonl.write(line + "\n")
            writer.writerow([_cell(v) for v in row])
            ids[row[0]] = hashlib.sha256(line.encode()).hexdigest()
            batch.append(row)
            if len(batch) >= 1000:
                database.executemany(insert, batch)
                batch.clear()
        database.executemany(insert, batch)
    return Written(table, len(ids), ids)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return str(value)


def _digest(written: list[Written]) -> str:
    """One SHA-256 for the data itself: every table's rows, whatever else the snapshot says."""
    digest = hashlib.sha256()
    for w in written:
        digest.update(w.table.name.encode())
        for row_id in sorted(w.rows):
            digest.update(f"{row_id}:{w.rows[row_id]}\n".encode())
    return digest.hexdigest()


# --- What the data is, and what changed ------------------------------------------


def _public(path: str) -> str:
    return settings.AIWATCH_PUBLIC_URL + path


def snapshot_url(version: int) -> str:
    return _public(reverse("data:snapshot-detail", kwargs={"version": version}))


def _write_description(work: Path, written, *, version, date, previous, citation) -> None:
    _write_json(work / "datapackage.json", _datapackage(written, work, version, date))
    _write_json(work / "datasette-metadata.json", _datasette_metadata(written, version))
    _write_json(work / "citation.json", [citation["csl"]])
    (work / "citation.bib").write_text(citation["bibtex"] + "\n", encoding="utf-8")
    changes = _changes(work, written, previous)
    _write_json(work / "changelog.json", changes)
    (work / "CHANGELOG.md").write_text(
        _changelog_markdown(work, written, changes, version, previous), encoding="utf-8"
    )
    (work / "README.md").write_text(
        _dictionary(written, version, date, citation["bibtex"]), encoding="utf-8"
    )


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _citation(version: int, date: str | None) -> dict:
    url = snapshot_url(version)
    csl = {
        "id": f"aiwatch-v{version}",
        "type": "dataset",
        "title": TITLE,
        "author": [{"literal": "aiwatch editors"}],
        "publisher": PUBLISHER,
        "version": str(version),
        "URL": url,
    }
    fields = [
        ("title", "{" + latex_escape(TITLE) + "}"),
        ("author", "{{aiwatch editors}}"),
        ("publisher", "{" + PUBLISHER + "}"),
        ("version", "{" + str(version) + "}"),
        ("url", "{" + url + "}"),
    ]
    if date:
        year, month, day = (int(part) for part in date.split("-"))
        csl["issued"] = {"date-parts": [[year, month, day]]}
        fields.insert(4, ("date", "{" + date + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return {"csl": csl, "bibtex": f"@dataset{{aiwatch-v{version},\n{body}\n}}"}


def _datapackage(written, work: Path, version: int, date: str | None) -> dict:
    resources = []
    for w in written:
        schema = {
            "fields": [_frictionless_field(c) for c in w.table.columns],
            "primaryKey": ["id"],
        }
        foreign = [
            {"fields": [c.name], "reference": {"resource": c.references, "fields": ["id"]}}
            for c in w.table.columns
            if c.references
        ]
        if foreign:
            schema["foreignKeys"] = foreign
        path = f"{w.table.name}.csv"
        resources.append(
            {
                "name": w.table.name,
                "path": path,
                "description": w.table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "hash": f"sha256:{_sha256(work / path)}",
                "schema": schema,
            }
        )
    package = {
        "name": "aiwatch",
        "title": TITLE,
        "version": str(version),
        "homepage": _public(reverse("data:snapshot-list")),
        "resources": resources,
    }
    if date:
        package["created"] = f"{date}T00:00:00Z"
    return package


def _frictionless_field(column) -> dict:
    field = {"name": column.name, "type": column.type, "description": column.description}
    constraints = {}
    if column.required:
        constraints["required"] = True
    if column.values:
        constraints["enum"] = [str(v) for v in column.values]
    if constraints:
        field["constraints"] = constraints
    return field


def _datasette_metadata(written, version: int) -> dict:
    return {
        "title": f"{TITLE}, v{version}",
        "source": "aiwatch",
        "source_url": snapshot_url(version),
        "databases": {
            "aiwatch": {
                "tables": {
                    w.table.name: {
                        "description": w.table.description,
                        "columns": {c.name: c.description for c in w.table.columns},
                    }
                    for w in written
                }
            }
        },
    }


def _changes(work: Path, written, previous) -> dict:
    changes = {"previous_version": previous.version if previous else None, "tables": {}}
    for w in written:
        before = _row_digests(previous.path / f"{w.table.name}.jsonl") if previous else {}
        changes["tables"][w.table.name] = {
            "added": sorted(set(w.rows) - set(before)),
            "changed": sorted(i for i in w.rows if i in before and before[i] != w.rows[i]),
            "withdrawn": sorted(set(before) - set(w.rows)),
        }
    return changes


def _row_digests(path: Path) -> dict[int, str]:
    try:
        with open(path, encoding="utf-8") as lines:
            return {
                json.loads(line)["id"]: hashlib.sha256(line.rstrip("\n").encode()).hexdigest()
                for line in lines
            }
    except FileNotFoundError:  # a table the previous snapshot did not have
        return {}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SnapshotError(
            f"{path} is damaged ({error}), so no changelog can say what changed since it. "
            "Restore it from a copy, or move that version aside."
        ) from None


def _labels(path: Path, label: str, wanted: set[int]) -> dict[int, tuple[str, str]]:
    """The label and URL of the rows `wanted` in a JSON Lines file."""
    found = {}
    if not wanted or not path.exists():
        return found
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["id"] in wanted:
                found[row["id"]] = (row.get(label) or f"#{row['id']}", row.get("url", ""))
    return found


def _changelog_markdown(work: Path, written, changes, version, previous) -> str:
    since = f"since v{previous.version}" if previous else "(the first snapshot)"
    lines = [f"# aiwatch data v{version}: changes {since}", ""]
    quiet = []
    for w in written:
        change = changes["tables"][w.table.name]
        counts = {kind: len(ids) for kind, ids in change.items()}
        if not any(counts.values()):
            quiet.append(w.table.name)
            continue
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
        lines += [f"## {w.table.name}: {summary}", ""]
        if not w.table.label:
            continue
        for kind, ids in change.items():
            if not ids:
                continue
            named = set(ids[:CHANGELOG_NAMED])
            source = previous.path if kind == "withdrawn" else work
            labels = _labels(source / f"{w.table.name}.jsonl", w.table.label, named)
            for row_id in ids[:CHANGELOG_NAMED]:
                text, url = labels.get(row_id, (f"#{row_id}", ""))
                text = " ".join(str(text).split())
                text = _md_escape(text)
                shown = f"[{text}]({url})" if url and kind != "withdrawn" else text
                lines.append(f"- {kind}: {shown}")
            if len(ids) > CHANGELOG_NAMED:
                lines.append(f"- … and {len(ids) - CHANGELOG_NAMED} more {kind} (changelog.json)")
        lines.append("")
    if quiet:
        lines += [f"Unchanged: {', '.join(quiet)}.", ""]
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\[]()*_`<>#" else ch for ch in text)


def _dictionary(written, version: int, date: str | None, bibtex: str) -> str:
    out = io.StringIO()
    out.write(f"# {TITLE}\n\nVersion {version}")
    out.write(f", data as of {date}.\n\n" if date else ".\n\n")
    out.write(
        "Everything aiwatch has published, and nothing it has not: drafts, editors' notes "
        "and unaccepted suggestions are left out, and so is a claim whose article or claimant "
        "is unpublished. Deprecated claims are kept, with their standing and its reason.\n\n"
        "Each table comes as JSON Lines (`<table>.jsonl`, exact values) and CSV "
        "(`<table>.csv`, UTF-8 with a header row; a text cell that a spreadsheet would read "
        "as a formula starts with a `'`). All of them are in `aiwatch.sqlite`, with foreign "
        "keys and full-text search (`<table>_fts`): open it with "
        "`datasette aiwatch.sqlite -m datasette-metadata.json`. `datapackage.json` "
        "describes the CSV files as a Frictionless Data Package. `manifest.json` and "
        "`SHA256SUMS` give every file's SHA-256; `CHANGELOG.md` says what changed since "
        "the previous version.\n\n"
        "Ids are aiwatch's own and stable: a row keeps its id in every snapshot. Dates are "
        "ISO 8601; times are UTC. The articles' texts belong to their publishers.\n\n"
        f"## Cite this dataset\n\n```bibtex\n{bibtex}\n```\n\n## Tables\n\n"
    )
    for w in written:
        rows = f"{w.count} row{'' if w.count == 1 else 's'}"
        out.write(f"### {w.table.name} ({rows})\n\n{w.table.description}\n\n")
        out.write("| column | type | meaning |\n| --- | --- | --- |\n")
        for c in w.table.columns:
            meaning = c.description
            if c.references:
                meaning += f" The `id` of a row of `{c.references}`."
            if c.values:
                meaning += " One of: " + ", ".join(f"`{v}`" for v in c.values) + "."
            out.write(f"| `{c.name}` | {c.type} | {meaning.replace('|', '\\|')} |\n")
        out.write("\n")
    return out.getvalue()


# --- The manifest --------------------------------------------------------------

MEDIA_TYPES = {
    ".jsonl": "application/jsonl",
    ".csv": "text/csv",
    ".sqlite": "application/vnd.sqlite3",
    ".json": "application/json",
    ".md": "text/markdown",
    ".bib": "application/x-bibtex",
}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_manifest(work: Path, written, *, version, date, previous, data, citation) -> dict:
    data_files = [f"{w.table.name}.{ext}" for w in written for ext in ("jsonl", "csv")]
    data_files.append(SQLITE)
    others = sorted(
        p.name for p in work.iterdir() if p.name not in data_files and p.name != store.MANIFEST
    )
    files = []
    for name in [*data_files, *others]:
        path = work / name
        files.append(
            {
                "name": name,
                "bytes": path.stat().st_size,
                "sha256": _sha256(path),
                "media_type": MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
            }
        )
    manifest = {
        "name": "aiwatch",
        "title": TITLE,
        "version": version,
        "date": date,
        "previous_version": previous.version if previous else None,
        "url": snapshot_url(version),
        "counts": {w.table.name: w.count for w in written},
        "data_sha256": data,
        "files": files,
        "citation": {"csl_json": citation["csl"], "bibtex": citation["bibtex"]},
    }
    _write_json(work / store.MANIFEST, manifest)
    sums = [f"{f['sha256']}  {f['name']}" for f in files]
    sums.append(f"{_sha256(work / store.MANIFEST)}  {store.MANIFEST}")
    (work / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    return manifest
