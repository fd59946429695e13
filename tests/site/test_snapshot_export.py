"""export_snapshot: everything published in every format, nothing else, signed, reproducible,
and a changelog of what changed since the previous snapshot."""

import csv
import hashlib
import json
import sqlite3

import pytest
from django.core.management import CommandError, call_command

from aiwatch.core.publishing import Status
from aiwatch.site.snapshots import store
from aiwatch.site.snapshots.export import export
from aiwatch.site.snapshots.tables import tables
from entities.models import Claim, Entity
from tests.factories import ArticleFactory, EventFactory
from tests.site.snapshot_story import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(settings):
    settings.AIWATCH_PUBLIC_URL = "https://aiwatch.example"
    return make_story()


def jsonl(snapshot, table):
    lines = (snapshot.path / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def ids(snapshot, table):
    return {row["id"] for row in jsonl(snapshot, table)}


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_snapshot_holds_every_published_row_and_its_links(story, tmp_path):
    snapshot = export(tmp_path).snapshot
    assert snapshot.name == "v1"
    assert ids(snapshot, "articles") == {story["article"].pk, story["copy"].pk}
    assert ids(snapshot, "entities") == {story["openai"].pk, story["zhipu"].pk}
    assert ids(snapshot, "claims") == {story["claim"].pk, story["deprecated"].pk}
    assert [r["name"] for r in jsonl(snapshot, "sources")] == ["Open Outlet"]
    assert [r["name"] for r in jsonl(snapshot, "aliases")] == ["智谱"]
    assert [(r["event_id"], r["entity_id"]) for r in jsonl(snapshot, "participations")] == [
        (story["event"].pk, story["openai"].pk)
    ]
    assert [r["entity_id"] for r in jsonl(snapshot, "mentions")] == [story["openai"].pk]
    assert [r["article_id"] for r in jsonl(snapshot, "event_sources")] == [story["article"].pk]
    assert [r["entity_id"] for r in jsonl(snapshot, "claim_entities")] == [story["zhipu"].pk]
    assert [r["target_id"] for r in jsonl(snapshot, "claim_relations")] == [story["deprecated"].pk]
    assert [(r["claim_id"], r["article_id"]) for r in jsonl(snapshot, "claim_appearances")] == [
        (story["claim"].pk, story["copy"].pk)
    ]
    assert [(r["copy_id"], r["status"]) for r in jsonl(snapshot, "republications")] == [
        (story["copy"].pk, "suggested")
    ]
    article = next(r for r in jsonl(snapshot, "articles") if r["id"] == story["article"].pk)
    assert article["url"] == f"https://aiwatch.example{story['article'].get_absolute_url()}"
    assert article["published_on"] == "2024-07-05"


def test_no_file_of_a_snapshot_holds_anything_unpublished(story, tmp_path):
    snapshot = export(tmp_path).snapshot
    files = sorted(p.name for p in snapshot.path.iterdir())
    assert len(files) == len(tables()) * 2 + 10  # and the database, its descriptions and signatures
    for path in snapshot.path.iterdir():
        assert b"HIDDEN" not in path.read_bytes(), path.name


def test_a_deprecated_claim_is_kept_with_its_standing_and_reason(story, tmp_path):
    snapshot = export(tmp_path).snapshot
    row = next(r for r in jsonl(snapshot, "claims") if r["id"] == story["deprecated"].pk)
    assert (row["standing"], row["deprecation"], row["standing_reason"]) == (
        "deprecated",
        "retracted",
        "The outlet retracted it on 12 July.",
    )
    normal = next(r for r in jsonl(snapshot, "claims") if r["id"] == story["claim"].pk)
    assert (normal["standing"], normal["deprecation"]) == ("normal", "")


def test_json_lines_csv_and_sqlite_hold_the_same_rows(story, tmp_path):
    snapshot = export(tmp_path).snapshot
    database = sqlite3.connect(snapshot.path / "aiwatch.sqlite")
    for table in tables():
        from_jsonl = [[row[c] for c in table.column_names] for row in jsonl(snapshot, table.name)]
        with open(snapshot.path / f"{table.name}.csv", encoding="utf-8", newline="") as f:
            header, *from_csv = list(csv.reader(f))
        assert header == table.column_names
        assert from_csv == [["" if v is None else str(v) for v in row] for row in from_jsonl]
        from_sqlite = database.execute(f'SELECT * FROM "{table.name}" ORDER BY id').fetchall()
        assert [list(row) for row in from_sqlite] == from_jsonl, table.name
        assert snapshot.manifest["counts"][table.name] == len(from_jsonl)


def test_the_sqlite_database_has_foreign_keys_and_full_text_search(story, tmp_path):
    database = sqlite3.connect(export(tmp_path).snapshot.path / "aiwatch.sqlite")
    references = database.execute("SELECT * FROM pragma_foreign_key_list('claims')").fetchall()
    assert {(r[2], r[3]) for r in references} == {
        ("entities", "claimant_id"),
        ("articles", "article_id"),
    }
    assert database.execute("PRAGMA foreign_key_check").fetchall() == []
    found = database.execute(
        "SELECT a.title FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        "WHERE articles_fts MATCH 'token'"  # porter stemming: "tokens" is found by "token"
    ).fetchall()
    assert found == [("Open article on free tokens",)]
    assert database.execute(
        "SELECT count(*) FROM claims_fts WHERE claims_fts MATCH 'retracted'"
    ).fetchone() == (1,)


def test_the_manifest_gives_every_file_its_size_and_sha256(story, tmp_path):
    snapshot = export(tmp_path).snapshot
    listed = {f["name"]: f for f in snapshot.manifest["files"]}
    on_disk = {p.name for p in snapshot.path.iterdir()}
    assert set(listed) == on_disk - {"manifest.json", "SHA256SUMS"}
    for name, entry in listed.items():
        path = snapshot.path / name
        assert (entry["bytes"], entry["sha256"]) == (path.stat().st_size, sha256(path)), name
    sums = dict(
        reversed(line.split("  "))
        for line in (snapshot.path / "SHA256SUMS").read_text().splitlines()
    )
    assert set(sums) == on_disk - {"SHA256SUMS"}
    assert all(sums[name] == sha256(snapshot.path / name) for name in sums)


def test_the_same_data_gives_the_same_bytes(story, tmp_path):
    first = export(tmp_path / "a").snapshot
    second = export(tmp_path / "b").snapshot
    names = sorted(p.name for p in first.path.iterdir())
    assert names == sorted(p.name for p in second.path.iterdir())
    for name in names:
        assert sha256(first.path / name) == sha256(second.path / name), name


def test_an_export_of_unchanged_data_writes_no_new_version(story, tmp_path):
    assert export(tmp_path).created
    again = export(tmp_path)
    assert (again.created, again.snapshot.version) == (False, 1)
    assert [s.name for s in store.versions(tmp_path)] == ["v1"]


def test_the_changelog_names_what_was_added_changed_and_withdrawn(story, tmp_path):
    export(tmp_path)
    Entity.objects.filter(pk=story["zhipu"].pk).update(name="Zhipu AI (智谱)")
    Claim.objects.filter(pk=story["deprecated"].pk).update(status=Status.WITHDRAWN)
    added = EventFactory(title="Chinese firms offer free tokens")
    snapshot = export(tmp_path).snapshot
    assert (snapshot.version, snapshot.manifest["previous_version"]) == (2, 1)
    changes = json.loads((snapshot.path / "changelog.json").read_text())["tables"]
    assert changes["entities"] == {"added": [], "changed": [story["zhipu"].pk], "withdrawn": []}
    assert changes["events"]["added"] == [added.pk]
    assert changes["claims"]["withdrawn"] == [story["deprecated"].pk]
    # The relation to the withdrawn claim goes with it.
    assert len(changes["claim_relations"]["withdrawn"]) == 1
    text = (snapshot.path / "CHANGELOG.md").read_text()
    assert "# aiwatch data v2: changes since v1" in text
    assert (
        f"- changed: [Zhipu AI \\(智谱\\)](https://aiwatch.example{story['zhipu'].get_absolute_url()})"
        in text
    )
    assert "- withdrawn: Open claim, since retracted" in text
    assert "- added: [Chinese firms offer free tokens]" in text
    assert "Unchanged: sources" in text


def test_the_data_dictionary_describes_every_table_and_column(story, tmp_path):
    snapshot = export(tmp_path).snapshot
    database = sqlite3.connect(snapshot.path / "aiwatch.sqlite")
    readme = (snapshot.path / "README.md").read_text()
    package = json.loads((snapshot.path / "datapackage.json").read_text())
    resources = {r["name"]: r for r in package["resources"]}
    names = database.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%_fts%'"
    ).fetchall()
    assert {n for (n,) in names} == set(resources)
    for (name,) in names:
        assert f"### {name} (" in readme
        fields = {f["name"]: f for f in resources[name]["schema"]["fields"]}
        for column in database.execute(f"SELECT name FROM pragma_table_info('{name}')"):
            assert f"| `{column[0]}` |" in readme, (name, column)
            assert fields[column[0]]["type"] and fields[column[0]]["description"]
        assert resources[name]["hash"] == f"sha256:{sha256(snapshot.path / f'{name}.csv')}"
    standing = next(f for f in resources["claims"]["schema"]["fields"] if f["name"] == "standing")
    assert standing["constraints"]["enum"] == ["preferred", "normal", "deprecated"]


def test_the_dataset_cites_itself_in_csl_json_and_bibtex(story, tmp_path):
    snapshot = export(tmp_path).snapshot
    (csl,) = json.loads((snapshot.path / "citation.json").read_text())
    assert (csl["type"], csl["version"], csl["URL"]) == (
        "dataset",
        "1",
        "https://aiwatch.example/data/v1/",
    )
    assert csl["issued"]["date-parts"][0][0] >= 2024
    bibtex = (snapshot.path / "citation.bib").read_text()
    assert bibtex.startswith("@dataset{aiwatch-v1,") and "version = {1}" in bibtex
    assert snapshot.manifest["citation"] == {"csl_json": csl, "bibtex": bibtex.strip()}


def test_a_snapshot_is_dated_by_its_data_not_by_the_clock(story, tmp_path):
    Entity.objects.update(updated_at="2024-07-20T10:00:00Z")
    for model in (Claim, ArticleFactory._meta.model, EventFactory._meta.model):
        model.objects.update(updated_at="2024-07-10T10:00:00Z")
    assert export(tmp_path).snapshot.manifest["date"] == "2024-07-20"


def test_the_export_costs_the_same_queries_however_many_rows(
    story, tmp_path, django_assert_max_num_queries
):
    # A count and one fetch per table, the date, and the transaction's savepoint.
    most = len(tables()) * 2 + 6
    with django_assert_max_num_queries(most) as small:
        export(tmp_path / "small")
    ArticleFactory.create_batch(30)
    with django_assert_max_num_queries(most) as larger:
        export(tmp_path / "larger")
    assert len(larger) == len(small)


def test_the_command_reports_what_it_wrote_and_shows_progress(story, tmp_path, capsys):
    call_command("export_snapshot", str(tmp_path))
    out, err = capsys.readouterr()
    assert out.startswith("Wrote v1 (") and "2 articles, 2 entities, 1 events, 2 claims" in out
    assert "snapshot: " in err and "(100%)" in err
    call_command("export_snapshot", str(tmp_path))
    assert "no new snapshot written" in capsys.readouterr().out


def test_the_command_refuses_a_file_for_a_folder(tmp_path):
    (tmp_path / "taken").write_text("")
    with pytest.raises(CommandError, match="is a file"):
        call_command("export_snapshot", str(tmp_path / "taken"))


def test_a_damaged_or_unfinished_version_is_not_offered(story, tmp_path):
    export(tmp_path)
    (tmp_path / "v7").mkdir()  # no manifest: unfinished
    (tmp_path / "v8").mkdir()
    (tmp_path / "v8" / "manifest.json").write_text("{not json")
    assert [s.name for s in store.versions(tmp_path)] == ["v1"]
    assert store.latest(tmp_path).name == "v1"


@pytest.mark.parametrize(
    "manifest",
    ["[]", "{}", '{"counts": {}, "files": "x", "date": null, "citation": {}}', '{"files": [{}]}'],
)
def test_a_manifest_without_what_the_pages_read_is_not_offered(story, tmp_path, manifest):
    export(tmp_path)
    (tmp_path / "v2").mkdir()
    (tmp_path / "v2" / "manifest.json").write_text(manifest)
    assert [s.name for s in store.versions(tmp_path)] == ["v1"]


def test_a_folder_the_site_cannot_read_offers_no_snapshot(tmp_path, monkeypatch):
    def refused(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(type(tmp_path), "iterdir", refused)
    assert store.versions(tmp_path) == [] and store.latest(tmp_path) is None


def test_an_export_numbers_above_a_damaged_version(story, tmp_path):
    export(tmp_path)
    (tmp_path / "v2").mkdir()  # an unfinished or damaged version keeps its number
    Entity.objects.filter(pk=story["zhipu"].pk).update(name="Zhipu")
    snapshot = export(tmp_path).snapshot
    assert (snapshot.version, snapshot.manifest["previous_version"]) == (3, 1)


def test_a_damaged_previous_version_stops_the_export_with_a_clear_error(story, tmp_path):
    export(tmp_path)
    (tmp_path / "v1" / "entities.jsonl").write_text("{not json\n")
    Entity.objects.filter(pk=story["zhipu"].pk).update(name="Zhipu")
    with pytest.raises(CommandError, match=r"entities.jsonl is damaged .* no changelog"):
        call_command("export_snapshot", str(tmp_path))
    assert [s.name for s in store.versions(tmp_path)] == ["v1"]
    assert [p.name for p in tmp_path.iterdir()] == ["v1"]  # nothing half-written left
