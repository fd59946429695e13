"""A capture's control characters are dropped on import; its file is kept byte for byte.

The stored capture (raw), the body, the title and the quote positions are all
made from the same text without them, so everything that refers to the
capture still lines up.
"""

import io

import pytest
from django.core.management import call_command

from articles.models import Article, content_hash
from articles.services import import_capture
from entities.models import Claim
from tests.factories import EntityFactory

pytestmark = pytest.mark.django_db

CAPTURE = (
    "OpenAI blocks\x0bits API\x01 in China\n"
    "July 9, 2024\n"
    "OpenAI began blocking\x0bAPI traffic from mainland China and Hong Kong on Tuesday.\x7f\n"
    "Developers in Shenzhen said they were moving their services to domestic models.\uffff\n"
)
CONTROLS = "\x00\x01\x0b\x0c\x7f\ufffe\uffff"


def _plain(article):
    for text in (article.raw, article.body, article.title):
        assert not set(text) & set(CONTROLS), repr(text)


def test_a_pasted_capture_is_stored_without_them_and_says_so():
    outcome = import_capture(raw=CAPTURE, label="paste")
    article = outcome.article
    _plain(article)
    assert article.title == "OpenAI blocks its API in China"
    assert article.content_hash == content_hash(article.raw)
    assert any("control character" in warning for warning in outcome.extracted.warnings)


def test_a_quote_across_a_dropped_character_is_found_where_it_is(tmp_path):
    article = import_capture(raw=CAPTURE, label="paste").article
    quote = "began blocking API traffic from mainland China"
    claim = Claim.objects.create(
        statement="OpenAI blocked API traffic.",
        claimant=EntityFactory(),
        article=article,
        quote=quote,
        kind="fact",
    )
    assert not claim.needs_review
    assert article.body[claim.quote_start : claim.quote_end] == quote


def test_a_text_file_with_a_nul_past_the_binary_check_imports_without_it(tmp_path):
    # The binary check reads the first 64 KiB; a stray NUL further on is a typo, not binary.
    filler = "Developers in Shenzhen said they were moving their services elsewhere.\n" * 1000
    data = (CAPTURE + filler + "A last line\x00 of the capture, with a NUL in it.\n").encode()
    path = tmp_path / "capture.txt"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import_articles", str(path), stdout=out, stderr=io.StringIO())
    article = Article.objects.get()
    _plain(article)
    assert "\x00" not in article.raw and "A last line of the capture" in article.raw
    assert bytes(article.original.content) == data  # the file itself, as it was


def test_an_html_page_with_them_is_read_and_stored_without_them(tmp_path):
    page = (
        "<!DOCTYPE html><html><head><title>OpenAI blocks\x0bits API in China</title>"
        '<meta property="og:title" content="OpenAI blocks\x01 its API in China"></head>'
        "<body><article><h1>OpenAI blocks its API in China</h1>"
        "<p>OpenAI began blocking\x0bAPI traffic from mainland China and Hong Kong on "
        "Tuesday, leaving developers to look elsewhere.\x7f</p>"
        "<p>Developers in Shenzhen said they were moving their services to domestic "
        "models within the week.\x08</p></article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    call_command("import_articles", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    article = Article.objects.get()
    _plain(article)
    assert "blocking API traffic" in article.body
