"""bench_import times the import of generated HTML pages and leaves the database as it found it."""

import io
import re

import pytest
from django.core.management import call_command
from reversion.models import Revision

from articles.models import Article, Original, Source
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_it_prints_pages_per_second_and_cleans_up_after_itself():
    kept = ArticleFactory(title="An editor's article")
    out = io.StringIO()

    call_command("bench_import", "--pages", "4", stdout=out, stderr=io.StringIO())

    report = out.getvalue()
    assert "4 pages, " in report
    assert re.search(r"dry run \(read and extract\): [\d.]+ s, [\d.]+ pages/s", report)
    assert re.search(r"import \(.*\): [\d.]+ s, [\d.]+ pages/s \(target: at least 20", report)
    assert list(Article.objects.all()) == [kept]
    assert list(Source.objects.all()) == [kept.source]
    assert not Original.objects.exists()
    assert not Revision.objects.exists()
