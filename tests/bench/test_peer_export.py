"""The peer's database: the search index exported to SQLite with FTS5 for Datasette.

bench/peer.py serves the file with Datasette and times it beside aiwatch; that
run is a benchmark and stays out of the suite. What is tested here is that the
peer searches the same entries and counts the same matches, so the comparison
is of like with like.
"""

import io
import json
import sqlite3
import urllib.parse

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from aiwatch.search.models import SearchEntry
from bench import corpus
from bench.peer import SEARCH_SQL, datasette_path, query_mix
from entities.models import Entity

pytestmark = pytest.mark.django_db

N = 400


@pytest.fixture
def exported(tmp_path):
    call_command("generate_corpus", articles=N, seed=42, stdout=io.StringIO())
    path = tmp_path / "peer.sqlite"
    out = io.StringIO()
    call_command("export_peer", str(path), stdout=out, stderr=io.StringIO())
    assert f"{SearchEntry.objects.count()} entries" in out.getvalue()
    db = sqlite3.connect(path)
    yield db
    db.close()


def search(db, q: str, **params) -> list[tuple]:
    full = {"q": q, "kind": "", "year": "", "entity": "", "offset": 0, **params}
    return db.execute(SEARCH_SQL, full).fetchall()


def test_every_entry_is_exported_and_nothing_else(exported):
    urls = {url for (url,) in exported.execute("SELECT url FROM entries")}
    assert urls == set(SearchEntry.objects.values_list("url", flat=True))


def test_the_peer_counts_what_aiwatch_counts_and_facets(exported):
    client = Client()
    for name, ours, theirs in query_mix():
        if name == "deep page":
            continue  # 400 articles have no 40th page
        rows = search(exported, **{k: str(v) for k, v in theirs.items()})
        peer_total = rows[0][4] if rows else 0
        response = client.get("/search/", {**ours, "format": "json"})
        assert response.status_code == 200
        data = response.json()
        assert peer_total == data["total"], name
        if rows:
            peer_facets = json.loads(rows[0][5])
            kinds = {f["value"]: f["count"] for f in data["facets"]["kind"]}
            assert peer_facets["kind"] == kinds, name


def test_the_rare_term_is_found_exactly_where_the_corpus_put_it(exported):
    rows = search(exported, f"{corpus.RARE_TERM}*", kind="article")
    assert rows and rows[0][4] == corpus.expected_counts(N)["rare"]
    assert all("<mark>" in row[6].lower() for row in rows)


def test_the_entity_filter_keeps_the_entitys_entries(exported):
    huawei = Entity.objects.get(slug=corpus.FILTER_ENTITY_SLUG)
    linked = SearchEntry.objects.filter(entity_ids__contains=[huawei.pk]).count()
    (exported_links,) = exported.execute(
        "SELECT count(*) FROM entry_entities WHERE entity = ?", [huawei.slug]
    ).fetchone()
    assert exported_links == linked > 0


def test_datasette_is_asked_for_every_parameter_of_the_canned_query():
    path = datasette_path({"q": "x*"}, "json")
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query, keep_blank_values=True))
    assert query == {
        "q": "x*",
        "kind": "",
        "year": "",
        "entity": "",
        "offset": "0",
        "_shape": "array",
    }


def test_an_empty_index_a_folder_or_no_folder_is_refused_and_nothing_is_written(db, tmp_path):
    with pytest.raises(CommandError, match="index is empty"):
        call_command("export_peer", str(tmp_path / "peer.sqlite"))
    assert list(tmp_path.iterdir()) == []
    call_command("generate_corpus", articles=20, seed=1, stdout=io.StringIO())
    with pytest.raises(CommandError, match="is a directory"):
        call_command("export_peer", str(tmp_path))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_peer", str(tmp_path / "no" / "peer.sqlite"))
    assert list(tmp_path.iterdir()) == []
