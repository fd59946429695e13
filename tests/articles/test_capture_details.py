"""An article's page says what it is and how it was captured: role, original file, provenance."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ArticleFactory, OriginalFactory

pytestmark = pytest.mark.django_db

HEADERS = (
    "WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: 2024-07-09T08:00:00Z\r\n\r\nHTTP/1.1 200 OK"
)


def block(page: str) -> str:
    """The "About this capture" block: up to the citation block that follows it."""
    assert 'id="capture"' in page, "no capture block"
    return page.split('id="capture">')[1].split('<details class="cite">')[0]


@pytest.fixture
def imported():
    article = ArticleFactory(
        title="OpenAI blocks China",
        role="original",
        encoding="gb18030",
        provenance={
            "title": "the page's og:title meta tag",
            "published_on": "text line 3",
            "author": "the page's author meta tag",
            "encoding": "declared by the page",
        },
        captured_at=datetime.datetime(2024, 7, 9, 8, 0, tzinfo=datetime.UTC),
        modified_on=datetime.date(2024, 7, 10),
    )
    OriginalFactory(article=article, archive_headers=HEADERS, filename="openai-china.warc")
    return article


def test_the_role_is_shown_when_an_editor_set_it(client, imported):
    page = client.get(imported.get_absolute_url()).content.decode()
    assert "<dt>Role</dt><dd>Original report</dd>" in page
    unset = client.get(ArticleFactory(role="").get_absolute_url()).content.decode()
    assert "<dt>Role</dt>" not in unset


def test_the_date_the_page_was_updated_is_shown(client, imported):
    assert "10 July 2024" in client.get(imported.get_absolute_url()).content.decode()


def test_the_original_file_can_be_downloaded_from_the_page(client, imported):
    page = client.get(imported.get_absolute_url()).content.decode()
    url = reverse("articles:article-original", args=[imported.slug])
    assert f'<a href="{url}" download>Download the original file</a>' in page
    response = client.get(url)
    assert response.status_code == 200
    assert bytes(response.content).startswith(b"<html>")


def test_an_article_without_an_original_offers_no_download(client):
    page = client.get(ArticleFactory().get_absolute_url()).content.decode()
    assert "Download the original file" not in page


@pytest.mark.parametrize("fmt", ["html", "json"])
def test_the_page_never_loads_the_original_files_bytes(client, imported, fmt):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(imported.get_absolute_url(), {"format": fmt})
    assert response.status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    assert any('"articles_original"."archive_headers"' in q for q in sql)
    assert not any('"articles_original"."content"' in q for q in sql), sql


def test_the_json_twin_links_the_original_file(client, imported):
    data = client.get(imported.get_absolute_url(), {"format": "json"}).json()
    assert data["original_file_url"] == "http://testserver" + reverse(
        "articles:article-original", args=[imported.slug]
    )
    data = client.get(ArticleFactory().get_absolute_url(), {"format": "json"}).json()
    assert data["original_file_url"] is None


def test_about_this_capture_says_where_the_importer_found_each_field(client, imported):
    shown = block(client.get(imported.get_absolute_url()).content.decode())
    assert "<summary>About this capture</summary>" in shown
    for label, where in [
        ("Title", "the page&#x27;s og:title meta tag"),
        ("Date published", "text line 3"),
        ("Author", "the page&#x27;s author meta tag"),
    ]:
        assert f"<dt>{label}</dt><dd>{where}</dd>" in shown
    assert "<dt>Encoding</dt><dd>gb18030 (declared by the page)</dd>" in shown
    assert "openai-china.warc, text/html" in shown
    assert "9 July 2024, 08:00" in shown


def test_archive_headers_are_shown_folded_away(client, imported):
    shown = block(client.get(imported.get_absolute_url()).content.decode())
    assert re.search(
        r"<details class=\"archive-headers\">\s*<summary>Archive headers.*?</summary>\s*"
        r"<pre tabindex=\"0\"><code>WARC/1.0\r\nWARC-Type: response",
        shown,
        re.S,
    )


def test_a_typed_in_article_says_nothing_was_recorded(client):
    shown = block(client.get(ArticleFactory().get_absolute_url()).content.decode())
    assert "Not recorded" in shown
    assert "Archive headers" not in shown
    assert "<dt>Encoding</dt><dd>not recorded</dd>" in shown


def test_provenance_is_escaped(client):
    article = ArticleFactory(provenance={"title": "<script>alert(1)</script>"})
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_an_editor_previewing_a_draft_downloads_the_original_from_the_admin(editor_client):
    draft = ArticleFactory(status="draft")
    OriginalFactory(article=draft)
    page = editor_client.get(draft.get_absolute_url(), {"preview": "1"}).content.decode()
    url = reverse("admin:articles_article_original", args=[draft.pk])
    assert f'<a href="{url}" download>Download the original file</a>' in page
    assert editor_client.get(url).status_code == 200
