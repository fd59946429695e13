"""The admin's "Import article" page: paste or upload, preview, save as a draft."""

import base64
import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aiwatch.core.publishing import Status
from articles.forms import MAX_UPLOAD_BYTES
from articles.models import Article, Source, content_hash
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/articles/article/import/"
CHANGELIST_URL = "/admin/articles/article/"

CAPTURE = (
    "Skip to main content\n"
    "Share on Twitter\n"
    "OpenAI blocks its API in China\n"
    "July 9, 2024\n"
    "OpenAI began blocking API traffic from mainland China and Hong Kong on Tuesday.\n"
    "Developers in Shenzhen said they were moving their services to domestic models.\n"
)
OTHER_CAPTURE = CAPTURE.replace("on Tuesday", "this week")

HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <title>OpenAI blocks its API in China | The Harbour Ledger</title>
  <style>.hero { color: red }</style>
  <script>window.trackingPixel("page-view");</script>
</head>
<body>
  <header class="site">
    <a href="/">The Harbour Ledger</a> <a href="/login">Sign in to Ledger</a>
  </header>
  <nav><ul><li><a href="/markets">Markets desk</a></li><li>Asia desk</li></ul></nav>
  <!-- comment: do not import me -->
  <main>
    <article>
      <header>
        <h1>Hong Kong developers scramble as   OpenAI
            shuts the door</h1>
        <time datetime="2024-07-10">July 10, 2024</time>
      </header>
      <p>OpenAI stopped serving its API in Hong Kong on Tuesday,
         <a href="/tags/ai">leaving</a> start-ups to look for <em>other</em> models.</p>
      <p>Several founders said they had moved to providers in mainland China within days.</p>
      <noscript>Enable JavaScript to see the comments</noscript>
    </article>
    <aside>Most read: Ledger sidebar story</aside>
  </main>
  <form action="/newsletter"><label>Ledger newsletter form</label></form>
  <footer>Ledger footer text, Harbour Ledger Ltd.</footer>
  <script src="/app.js"></script>
  <script>document.write("injected by a script");</script>
</body>
</html>
"""


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def carried_capture(response) -> str:
    """The hidden capture that the preview page carries on to the save step."""
    field = page(response).find("input", {"name": "capture"})
    assert field is not None, "the preview page carries no capture"
    return field["value"]


def preview(client, **data):
    return client.post(IMPORT_URL, {"preview": "Preview", **data})


def save(client, preview_response, **data):
    name = page(preview_response).find("input", {"name": "capture_name"})
    return client.post(
        IMPORT_URL,
        {
            "save": "Save as draft",
            "capture": carried_capture(preview_response),
            "capture_name": name["value"] if name else "",
            **data,
        },
    )


def upload(name: str, content: bytes, content_type: str = "text/plain") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def form_errors(response) -> str:
    """The text of every error the page shows."""
    return " ".join(
        element.get_text(" ", strip=True)
        for element in page(response).select(".errorlist, .errornote")
    )


@pytest.fixture
def staff_client(client):
    """A staff user who may see and change articles, but not add them."""
    user = get_user_model().objects.create_user(
        username="reader", password="correct horse battery", is_staff=True
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="articles", codename__in=["view_article", "change_article"]
        )
    )
    client.force_login(user)
    return client


# --- access -------------------------------------------------------------------------


def test_the_page_is_on_the_registered_article_admin_and_named():
    assert reverse("admin:articles_article_import") == IMPORT_URL
    # entities.admin re-registers Article with a subclass: it must inherit the page.
    assert type(admin.site._registry[Article]).__name__ == "ArticleWithGraphAdmin"


def test_a_staff_user_without_add_permission_gets_403_and_nothing_is_saved(staff_client):
    assert staff_client.get(IMPORT_URL).status_code == 403
    response = staff_client.post(IMPORT_URL, {"save": "1", "text": CAPTURE})
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_change_list_links_to_the_import_page(editor_client):
    response = editor_client.get(CHANGELIST_URL)
    assert response.status_code == 200
    links = page(response).select("ul.object-tools a")
    assert [a.get_text(strip=True) for a in links if a["href"] == IMPORT_URL] == ["Import article"]
    # The base admin's own tools are still there.
    assert any(a["href"] == "/admin/articles/article/add/" for a in links)


def test_the_change_list_shows_no_import_button_without_add_permission(staff_client):
    response = staff_client.get(CHANGELIST_URL)
    assert response.status_code == 200
    assert IMPORT_URL not in response.content.decode()


def test_the_empty_page_offers_paste_and_upload(editor_client):
    response = editor_client.get(IMPORT_URL)
    assert response.status_code == 200
    form = page(response).find("form", id="import-form")
    assert form["enctype"] == "multipart/form-data"
    assert form.find("textarea", {"name": "text"})
    assert form.find("input", {"name": "upload", "type": "file"})
    assert form.find("input", {"name": "original_url"})
    assert form.find("select", {"name": "source"})


# --- paste, preview, save -----------------------------------------------------------


def test_previewing_a_paste_shows_the_cleaned_article_and_every_dropped_line(editor_client):
    response = preview(editor_client, text=CAPTURE)

    assert response.status_code == 200
    html = page(response)
    assert html.find(id="preview-title").get_text(strip=True) == "OpenAI blocks its API in China"
    assert html.find(id="preview-date").get_text(strip=True) == "2024-07-09"
    assert html.find(id="preview-language").get_text(strip=True) == "en"
    body = [p.get_text() for p in html.find(id="import-body").find_all("p")]
    assert body == [
        "OpenAI began blocking API traffic from mainland China and Hong Kong on Tuesday.",
        "Developers in Shenzhen said they were moving their services to domestic models.",
    ]
    dropped = [
        [cell.get_text() for cell in row.find_all("td")]
        for row in html.find(id="import-dropped").select("tbody tr")
    ]
    assert dropped == [
        ["1", "interface words", "Skip to main content"],
        ["2", "interface words", "Share on Twitter"],
        ["3", "title", "OpenAI blocks its API in China"],
        ["4", "date line", "July 9, 2024"],
    ]
    assert html.find("input", {"name": "save"}) is not None
    assert not Article.objects.exists()


def test_saving_after_a_preview_creates_a_draft_that_keeps_the_raw_capture(editor_client):
    # A browser sends a text box's line breaks as CRLF.
    pasted = CAPTURE.replace("\n", "\r\n")
    previewed = preview(editor_client, text=pasted, original_url="https://ledger.test/openai")

    response = save(
        editor_client,
        previewed,
        original_url="https://ledger.test/openai",
        new_source="The Harbour Ledger",
    )

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    assert article.status == Status.DRAFT
    assert article.raw == CAPTURE  # the capture as written, LF line endings
    assert article.content_hash == content_hash(CAPTURE)
    assert article.title == "OpenAI blocks its API in China"
    assert article.published_on == datetime.date(2024, 7, 9)
    assert article.body.startswith("OpenAI began blocking API traffic")
    assert "Skip to main content" not in article.body
    assert article.original_url == "https://ledger.test/openai"
    assert article.source.name == "The Harbour Ledger"

    followed = editor_client.get(response["Location"])
    messages = [str(message) for message in followed.context["messages"]]
    assert any("imported as a draft" in m and "4 lines" in m for m in messages)


def test_saving_with_an_existing_outlet(editor_client):
    outlet = SourceFactory(name="TechPulse Asia")
    previewed = preview(editor_client, text=CAPTURE, source=outlet.pk)
    assert previewed.status_code == 200

    response = save(editor_client, previewed, source=outlet.pk)

    assert response.status_code == 302
    assert Article.objects.get().source == outlet
    assert Source.objects.count() == 1


def test_a_new_outlet_named_like_an_existing_one_reuses_it(editor_client):
    outlet = SourceFactory(name="TechPulse Asia")
    previewed = preview(editor_client, text=CAPTURE)

    save(editor_client, previewed, new_source="  techpulse   asia ")

    assert Article.objects.get().source == outlet
    assert Source.objects.count() == 1


def test_an_outlet_and_a_new_outlet_together_are_refused(editor_client):
    outlet = SourceFactory(name="TechPulse Asia")
    response = preview(editor_client, text=CAPTURE, source=outlet.pk, new_source="DevWire")
    assert response.status_code == 200
    assert "not both" in form_errors(response)
    assert page(response).find("input", {"name": "save"}) is None


def test_save_revalidates_the_form_rather_than_trusting_the_preview(editor_client):
    previewed = preview(editor_client, text=CAPTURE)

    response = save(editor_client, previewed, original_url="not a url")

    assert response.status_code == 200
    assert "Enter a web address that starts with http:// or https://." in form_errors(response)
    assert not Article.objects.exists()
    # The capture is still carried, so the editor can correct the URL and save.
    assert carried_capture(response) == carried_capture(previewed)


def test_a_damaged_carried_capture_is_a_form_error(editor_client):
    response = editor_client.post(IMPORT_URL, {"save": "1", "capture": "not base64!"})
    assert response.status_code == 200
    assert "came back damaged" in form_errors(response)
    assert not Article.objects.exists()


def test_a_carried_capture_goes_through_the_same_checks_as_an_upload(editor_client):
    binary = base64.b64encode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").decode()
    response = editor_client.post(IMPORT_URL, {"save": "1", "capture": binary})
    assert response.status_code == 200
    assert "binary file" in form_errors(response)
    assert not Article.objects.exists()


# --- uploads ------------------------------------------------------------------------


def test_an_html_upload_is_reduced_to_its_text_and_saved(editor_client):
    previewed = preview(
        editor_client, upload=upload("ledger.html", HTML_PAGE.encode(), "text/html")
    )

    assert previewed.status_code == 200
    html = page(previewed)
    assert html.find(id="preview-title").get_text(strip=True) == (
        "Hong Kong developers scramble as OpenAI shuts the door"
    )
    assert html.find(id="preview-date").get_text(strip=True) == "2024-07-10"
    shown = html.find(id="import-body").get_text(" ")
    for furniture in (
        "trackingPixel",
        "injected by a script",
        ".hero",
        "Markets desk",
        "Sign in to Ledger",
        "Ledger sidebar story",
        "Ledger newsletter form",
        "Ledger footer text",
        "do not import me",
    ):
        assert furniture not in shown, furniture

    response = save(editor_client, previewed)

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Status.DRAFT
    assert article.title == "Hong Kong developers scramble as OpenAI shuts the door"
    assert "<p>" not in article.raw and "trackingPixel" not in article.raw
    assert "Enable JavaScript" not in article.body
    # The page itself is kept beside the text, byte for byte.
    assert bytes(article.original.content) == HTML_PAGE.encode()
    assert article.original.media_type == "text/html"
    assert article.original.filename == "ledger.html"
    assert article.paragraphs == [
        "OpenAI stopped serving its API in Hong Kong on Tuesday, leaving start-ups to look "
        "for other models.",
        "Several founders said they had moved to providers in mainland China within days.",
    ]


def test_a_txt_upload_is_kept_byte_for_byte_crlf_included(editor_client):
    data = CAPTURE.replace("\n", "\r\n")
    previewed = preview(editor_client, upload=upload("capture.txt", data.encode("utf-8")))
    assert previewed.status_code == 200
    assert page(previewed).find(id="preview-title").get_text(strip=True) == (
        "OpenAI blocks its API in China"
    )

    response = save(editor_client, previewed)

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.raw == data
    assert article.content_hash == content_hash(data)


def test_a_utf8_bom_is_dropped_from_an_upload(editor_client):
    previewed = preview(
        editor_client, upload=upload("capture.txt", b"\xef\xbb\xbf" + CAPTURE.encode())
    )
    save(editor_client, previewed)
    assert Article.objects.get().raw == CAPTURE


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("capture.txt", b"", "The submitted file is empty"),
        ("capture.txt", b"   \n\t\n", "only whitespace"),
        ("capture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
        ("capture.html", bytes(range(1, 32)) * 40, "binary file"),
        ("capture.warc.gz", b"\x1f\x8b\x08\x00" + b"\x00" * 40, "the archive is"),
        ("capture.warc", b"WARC/1.0\r\nWARC-Type: response\r\n", "the archive"),
        ("capture.pdf", CAPTURE.encode(), "File extension “pdf” is not allowed"),
        ("capture", CAPTURE.encode(), "File extension “” is not allowed"),
        ("page.html", b"<html><script>var x;</script><nav>Home</nav></html>", "no article text"),
        ("menu.txt", b"Home | News | Markets\nShare on Twitter\n", "no article text"),
    ],
)
def test_a_bad_upload_is_a_form_error_and_nothing_is_saved(editor_client, name, content, error):
    response = preview(editor_client, upload=upload(name, content))
    assert response.status_code == 200
    assert error in form_errors(response)
    assert page(response).find("input", {"name": "save"}) is None

    # Sent straight to save, it is refused the same way.
    response = editor_client.post(IMPORT_URL, {"save": "1", "upload": upload(name, content)})
    assert response.status_code == 200
    assert error in form_errors(response)
    assert not Article.objects.exists()


def test_an_upload_over_the_size_limit_is_a_form_error(editor_client):
    line = b"OpenAI began blocking API traffic from mainland China on Tuesday.\n"
    big = CAPTURE.encode() + line * (MAX_UPLOAD_BYTES // len(line) + 1)
    assert len(big) > MAX_UPLOAD_BYTES
    response = preview(editor_client, upload=upload("big.txt", big))
    assert response.status_code == 200
    assert "the limit is 20.0\xa0MB" in form_errors(response)
    assert not Article.objects.exists()


def test_a_capture_too_long_to_carry_to_the_save_step_is_a_form_error(editor_client, settings):
    # Django refuses a request whose fields exceed DATA_UPLOAD_MAX_MEMORY_SIZE (a 400):
    # the preview must say so rather than offer a save that cannot work.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    long_capture = CAPTURE + "Developers said the change came at short notice.\n" * 100

    response = preview(editor_client, upload=upload("long.txt", long_capture.encode()))
    assert response.status_code == 200
    assert "import it with the import_articles command" in form_errors(response)
    assert page(response).find("input", {"name": "save"}) is None

    # One that fits still goes through, at the same limit.
    previewed = preview(editor_client, text=CAPTURE)
    assert save(editor_client, previewed).status_code == 302


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Paste the capture or upload a file."),
        ({"text": "  \n "}, "Paste the capture or upload a file."),
        ({"text": CAPTURE, "upload": "file"}, "not both"),
        ({"text": "Share on Twitter\nHome | News | Markets\n"}, "no article text"),
    ],
)
def test_bad_pasted_input_is_a_form_error(editor_client, data, error):
    if data.get("upload") == "file":
        data = {**data, "upload": upload("capture.txt", OTHER_CAPTURE.encode())}
    response = preview(editor_client, **data)
    assert response.status_code == 200
    assert error in form_errors(response)
    assert not Article.objects.exists()


# --- duplicates ---------------------------------------------------------------------


def test_a_capture_already_imported_is_flagged_and_saving_it_is_refused(editor_client):
    existing = ArticleFactory(raw=CAPTURE, status=Status.PUBLISHED)
    existing_url = reverse("admin:articles_article_change", args=[existing.pk])

    previewed = preview(editor_client, text=CAPTURE, new_source="Brand New Outlet")

    assert previewed.status_code == 200
    warning = page(previewed).find(id="import-duplicates")
    assert warning is not None
    assert "already been imported" in warning.get_text()
    assert warning.find("a", href=existing_url).get_text() == existing.title
    assert page(previewed).find("input", {"name": "save"}) is None

    response = save(editor_client, previewed, new_source="Brand New Outlet")

    assert response.status_code == 200
    refused = page(response).find(id="import-refused")
    assert f"already imported as {existing.slug}" in refused.get_text()
    assert refused.find("a", href=existing_url) is not None
    assert list(Article.objects.all()) == [existing]
    assert not Source.objects.filter(name="Brand New Outlet").exists()


def test_a_capture_from_a_url_already_imported_is_flagged_and_refused(editor_client):
    url = "https://ledger.test/openai-blocks-china"
    existing = ArticleFactory(original_url=url)
    existing_url = reverse("admin:articles_article_change", args=[existing.pk])

    previewed = preview(editor_client, text=OTHER_CAPTURE, original_url=url)

    warning = page(previewed).find(id="import-duplicates")
    assert warning is not None
    assert f"{url} is already the URL of another article" in warning.get_text()
    assert warning.find("a", href=existing_url) is not None

    response = save(editor_client, previewed, original_url=url)

    assert response.status_code == 200
    refused = page(response).find(id="import-refused")
    assert f"{url} is already the URL of {existing.slug}" in refused.get_text()
    assert refused.find("a", href=existing_url) is not None
    assert list(Article.objects.all()) == [existing]


def test_changing_the_url_on_the_preview_page_clears_a_url_duplicate(editor_client):
    url = "https://ledger.test/openai-blocks-china"
    ArticleFactory(original_url=url)
    previewed = preview(editor_client, text=OTHER_CAPTURE, original_url=url)
    assert page(previewed).find("input", {"name": "save"}) is None

    again = editor_client.post(
        IMPORT_URL,
        {
            "preview": "1",
            "capture": carried_capture(previewed),
            "original_url": url + "-follow-up",
        },
    )

    assert page(again).find(id="import-duplicates") is None
    assert page(again).find("input", {"name": "save"}) is not None


# --- Content-Security-Policy --------------------------------------------------------


def _assert_no_inline_code(response):
    html = page(response)
    inline_scripts = [s for s in html.find_all("script") if not s.get("src")]
    assert inline_scripts == []
    assert html.find_all("style") == []
    assert html.find_all(style=True) == []
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_the_pages_have_no_inline_scripts_or_styles(editor_client):
    ArticleFactory(raw=CAPTURE)
    responses = [
        editor_client.get(IMPORT_URL),
        preview(editor_client, text=OTHER_CAPTURE),
        preview(editor_client, text=CAPTURE),  # with a duplicate warning
        preview(editor_client, upload=upload("bad.pdf", b"%PDF")),  # with errors
        preview(editor_client, upload=upload("ledger.html", HTML_PAGE.encode())),
        editor_client.get(CHANGELIST_URL),
    ]
    for response in responses:
        assert response.status_code == 200
        _assert_no_inline_code(response)


# --- the same formats as import_articles ------------------------------------------


def _warc(pages: list[tuple[str, str]]) -> bytes:
    import io as _io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    stream = _io.BytesIO()
    writer = WARCWriter(stream, gzip=True)
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=_io.BytesIO(html.encode()), http_headers=headers
            )
        )
    return stream.getvalue()


def test_a_web_archive_upload_imports_each_of_its_pages(editor_client):
    second = HTML_PAGE.replace("Hong Kong developers scramble", "Shenzhen founders switch").replace(
        "Several founders said", "Two dozen founders told the Ledger"
    )
    data = _warc([("https://ledger.test/a", HTML_PAGE), ("https://ledger.test/b", second)])

    previewed = preview(editor_client, upload=upload("week.warc.gz", data, "application/warc"))
    assert previewed.status_code == 200
    assert "This web archive holds 2 pages" in page(previewed).get_text(" ")

    response = save(editor_client, previewed)

    assert response.status_code == 302
    assert sorted(Article.objects.values_list("original_url", flat=True)) == [
        "https://ledger.test/a",
        "https://ledger.test/b",
    ]
    assert {a.status for a in Article.objects.all()} == {Status.DRAFT}
    assert sorted(a.original.filename for a in Article.objects.all()) == [
        "week-record-1.html",
        "week-record-2.html",
    ]


def test_an_upload_in_an_undeclared_encoding_is_detected(editor_client):
    text = (
        "OpenAI’s door closes on China\n\nJuly 9, 2024\n\n"
        "The café owners of Shenzhen’s tech district say the “wake-up call” came early – "
        "developers there had been paying €20 a month for access that is now gone.\n"
    )
    previewed = preview(editor_client, upload=upload("op-ed.txt", text.encode("cp1252")))

    assert page(previewed).find(id="preview-encoding").get_text(strip=True) == "cp1252"
    save(editor_client, previewed)
    article = Article.objects.get()
    assert article.raw == text and article.encoding == "cp1252"


def test_an_archive_holding_a_page_twice_or_one_already_in_saves_the_rest(editor_client):
    other = HTML_PAGE.replace("Hong Kong developers scramble", "Shenzhen founders switch").replace(
        "Several founders said", "Two dozen founders told the Ledger"
    )
    first = _warc([("https://ledger.test/a", HTML_PAGE)])
    save(editor_client, preview(editor_client, upload=upload("a.warc.gz", first)))
    assert Article.objects.count() == 1
    data = _warc(
        [
            ("https://ledger.test/a", HTML_PAGE),  # already in
            ("https://ledger.test/b", other),
            ("https://ledger.test/b", other),  # the same page twice
        ]
    )

    previewed = preview(editor_client, upload=upload("week.warc.gz", data))
    assert "That page is skipped" in page(previewed).get_text(" ")
    response = save(editor_client, previewed)

    assert response.status_code == 302
    assert sorted(Article.objects.values_list("original_url", flat=True)) == [
        "https://ledger.test/a",
        "https://ledger.test/b",
    ]
    followed = editor_client.get(response["Location"])
    assert any("was skipped" in str(m) for m in followed.context["messages"])


def test_an_upload_with_a_very_long_name_is_imported(editor_client):
    name = "開放人工智能封鎖中國大陸" * 8 + ".txt"  # under 255 characters, over 255 bytes
    previewed = preview(editor_client, upload=upload(name, CAPTURE.encode()))

    assert previewed.status_code == 200
    assert save(editor_client, previewed).status_code == 302
    assert Article.objects.get().original.filename == name
