"""generate_corpus --workers: the search index built by several processes is the index
one process builds, with every index in place and progress shown."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from aiwatch.search import indexing
from aiwatch.search.models import SearchEntry
from bench.management.commands.generate_corpus import current_marker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def snapshot() -> list[tuple]:
    """Every entry as the database holds it, generated vectors included."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, object_id, title, url, keywords, body, cjk_title, cjk_body, date,"
            " outlet_id, entity_ids, role, vector::text, head_vector::text, word_pairs::text"
            " FROM aiwatch_searchentry ORDER BY kind, object_id"
        )
        return cursor.fetchall()


def index_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'aiwatch_searchentry'")
        return {row[0] for row in cursor.fetchall()}


def test_workers_build_the_index_one_process_builds(monkeypatch):
    # Spans of 40 ids: every kind is split among the workers, articles into several parts.
    monkeypatch.setattr(indexing, "SPAN", 40)
    err = io.StringIO()
    call_command(
        "generate_corpus", articles=200, seed=3, workers=2, stdout=io.StringIO(), stderr=err
    )
    parallel = snapshot()
    assert len(parallel) > 200
    assert {i.name for i in SearchEntry._meta.indexes} <= index_names()
    assert "search index (" in err.getvalue() and "(100%)" in err.getvalue()
    # Autovacuum, off while the tables filled, is back on.
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'articles_article'")
        assert cursor.fetchone()[0] is None

    with transaction.atomic():  # inside a transaction the rebuild runs in this process
        assert indexing.rebuild(offline=True, workers=2) == len(parallel)
    assert snapshot() == parallel
    assert {i.name for i in SearchEntry._meta.indexes} <= index_names()


def test_a_worker_that_fails_fails_the_command_with_its_error(monkeypatch):
    def broken(text):
        raise RuntimeError("the text could not be read")

    call_command("generate_corpus", articles=20, seed=3, stdout=io.StringIO())
    assert current_marker()
    # Patched before the fork, so the workers inherit it.
    monkeypatch.setattr(indexing, "cjk_terms", broken)
    with pytest.raises(RuntimeError, match="could not be read"):
        call_command(
            "generate_corpus",
            articles=20,
            seed=3,
            workers=2,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    # No marker: --reuse will not take a half-built corpus for a whole one.
    assert current_marker() == ""
