"""import_articles takes text, HTML and web archives, in any encoding, and refuses bad files."""

import datetime
import gzip
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from articles.intake import files
from articles.models import Article, Original, Source

pytestmark = pytest.mark.django_db

PARAGRAPHS = [
    "OpenAI began blocking API traffic from mainland China and Hong Kong on Tuesday, "
    "weeks after warning developers by email that unsupported regions would be cut off.",
    "Start-ups that had routed requests through overseas servers said their keys stopped "
    "working on the same morning, and several moved their products to domestic models.",
    "Baidu, Alibaba Cloud and Zhipu AI offered free tokens and migration tools to the "
    "developers left without access, in what one founder called a race for stranded users.",
]


def page(
    *,
    title="Developers scramble as OpenAI blocks China API access",
    head="",
    charset='<meta charset="utf-8">',
    body_paragraphs=PARAGRAPHS,
) -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in body_paragraphs)
    return f"""<!DOCTYPE html><html lang="en"><head>{charset}
<title>{title} | Dragon Dev Blog</title>{head}
<script>window.track("view");</script></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><article><h1>{title}</h1>{paragraphs}
<div class="share"><h3>Share this:</h3><ul><li><a href="#">Twitter</a></li>
<li><a href="#">Facebook</a></li></ul></div></article>
<aside><h3>Recent posts</h3><ul><li><a href="/x">Baidu cuts Ernie prices</a></li></ul></aside>
</main><footer>© 2024 Dragon Dev Blog. All rights reserved.</footer></body></html>"""


DECLARED = (
    '<meta property="og:title" content="OpenAI shuts its API to China | Dragon Dev Blog">'
    '<meta property="og:site_name" content="Dragon Dev Blog">'
    '<meta property="article:published_time" content="2024-07-10T08:00:00+08:00">'
    '<meta property="article:modified_time" content="2024-07-12T09:00:00+08:00">'
    '<meta name="author" content="Li Wei">'
    '<link rel="canonical" href="https://dragondev.example/2024/07/openai-block/">'
)


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_articles", *map(str, args), stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def warc(path: Path, records: list[tuple[str, str, bytes, str]], *, compress=True) -> Path:
    """A web archive of (type, url, payload, content type) records, with a warcinfo first."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for kind, url, payload, content_type in records:
            if kind == "request":
                headers = StatusAndHeaders(
                    "GET / HTTP/1.1", [("Host", "example.test")], is_http_request=True
                )
                record = writer.create_warc_record(url, "request", http_headers=headers)
            else:
                headers = StatusAndHeaders(
                    "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
                )
                record = writer.create_warc_record(
                    url, "response", payload=io.BytesIO(payload), http_headers=headers
                )
            writer.write_record(record)
    return path


# --- HTML ------------------------------------------------------------------------


def test_an_html_page_is_imported_by_its_main_text_not_as_source(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(page(), encoding="utf-8")

    out, _ = run(path)

    article = Article.objects.get()
    assert article.title == "Developers scramble as OpenAI blocks China API access"
    assert article.paragraphs == PARAGRAPHS
    for furniture in ("<p>", "window.track", "Home", "Share this:", "Twitter", "Recent posts"):
        assert furniture not in article.body
    assert "Dragon Dev Blog" not in article.title
    assert "dropped block (navigation): Home" in out
    assert "dropped block (page footer): © 2024 Dragon Dev Blog. All rights reserved." in out


def test_the_pages_own_metadata_beats_guesses_and_each_says_where_it_came_from(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(page(head=DECLARED), encoding="utf-8")

    out, _ = run(path)

    article = Article.objects.get()
    # og:title, without the outlet's name, wins over the <h1>.
    assert article.title == "OpenAI shuts its API to China"
    assert article.published_on == datetime.date(2024, 7, 10)
    assert article.modified_on == datetime.date(2024, 7, 12)
    assert article.author == "Li Wei"
    assert article.original_url == "https://dragondev.example/2024/07/openai-block/"
    assert article.source.name == "Dragon Dev Blog"
    assert article.language == "en"
    assert article.provenance["title"] == "the page's og:title meta tag"
    assert article.provenance["author"] == "the page's author meta tag"
    assert article.provenance["url"] == "the page's canonical link"
    assert "  title: OpenAI shuts its API to China (the page's og:title meta tag)" in out
    assert "  author: Li Wei (the page's author meta tag)" in out
    assert "  outlet: Dragon Dev Blog (the page's og:site_name meta tag)" in out


def test_json_ld_beats_the_meta_tags(tmp_path):
    json_ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "NewsArticle", "headline": "The headline JSON-LD gives", '
        '"author": {"@type": "Person", "name": "Chen Hao"}, '
        '"publisher": {"@type": "Organization", "name": "Harbour Ledger"}}</script>'
    )
    path = tmp_path / "page.html"
    path.write_text(page(head=DECLARED + json_ld), encoding="utf-8")

    run(path)

    article = Article.objects.get()
    assert article.title == "The headline JSON-LD gives"
    assert article.author == "Chen Hao"
    assert article.source.name == "Harbour Ledger"
    assert article.provenance["title"] == "the page's JSON-LD headline"


def test_a_date_only_in_the_visible_text_is_found(tmp_path):
    paragraphs = ["Posted on 9 July 2024 by the desk", *PARAGRAPHS]
    path = tmp_path / "page.html"
    path.write_text(page(body_paragraphs=paragraphs), encoding="utf-8")

    run(path)

    article = Article.objects.get()
    assert article.published_on == datetime.date(2024, 7, 9)
    assert article.provenance["published_on"] == (
        "a date line in the page: 'Posted on 9 July 2024 by the desk'"
    )


def test_a_page_with_no_article_text_is_refused(tmp_path):
    path = tmp_path / "menu.html"
    path.write_text(
        "<html><head><title>Menu</title><script>x()</script></head>"
        "<body><nav><a href='/'>Home</a></nav><footer>© 2024</footer></body></html>",
        encoding="utf-8",
    )

    err = refused(path)

    assert f"refused {path}: this HTML page has no article text" in err
    assert not Article.objects.exists()


def test_a_txt_file_holding_an_html_page_is_read_as_html(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_text(page(), encoding="utf-8")

    run(path)

    assert Article.objects.get().paragraphs == PARAGRAPHS


# --- web archives --------------------------------------------------------------------


def test_a_web_archive_gives_one_article_per_html_response_and_skips_the_rest(tmp_path):
    second = page(title="Hong Kong start-ups look for other models", body_paragraphs=[
        "Hong Kong founders said the cut-off left them weighing mainland providers against "
        "Microsoft's Azure service, which still offered OpenAI's models to some customers.",
        "Several said they would wait for the government's own AI research institute, "
        "announced earlier in the year, before committing to a supplier.",
    ])  # fmt: skip
    path = warc(
        tmp_path / "week.warc.gz",
        [
            ("request", "https://dragondev.example/a", b"", ""),
            (
                "response",
                "https://dragondev.example/a",
                page().encode(),
                "text/html; charset=utf-8",
            ),
            ("response", "https://dragondev.example/logo.png", b"\x89PNG\r\n\x1a\n", "image/png"),
            ("response", "https://dragondev.example/b", second.encode(), "text/html"),
            ("response", "https://dragondev.example/feed", b"{}", "application/json"),
        ],
    )

    out, _ = run(path)

    articles = Article.objects.order_by("original_url")
    assert [a.original_url for a in articles] == [
        "https://dragondev.example/a",
        "https://dragondev.example/b",
    ]
    assert articles[0].paragraphs == PARAGRAPHS
    assert articles[0].captured_at is not None
    assert articles[0].captured_at.date() == datetime.date.today()
    original = articles[0].original
    assert bytes(original.content) == page().encode()
    assert "WARC-Target-URI: https://dragondev.example/a" in original.archive_headers
    assert "Content-Type: text/html; charset=utf-8" in original.archive_headers
    assert out.splitlines()[-1] == "2 created, 0 skipped"


def test_a_wayback_machine_address_is_unwrapped_to_the_page_it_archived(tmp_path):
    path = warc(
        tmp_path / "wayback.warc",
        [(
            "response",
            "https://web.archive.org/web/20240710083000/https://news.example/openai-china",
            page().encode(),
            "text/html",
        )],
        compress=False,
    )  # fmt: skip

    run(path)

    assert Article.objects.get().original_url == "https://news.example/openai-china"


def _one_page_warc(tmp_path, name="page.warc", compress=False) -> Path:
    return warc(
        tmp_path / name,
        [("response", "https://news.example/a", page().encode(), "text/html")],
        compress=compress,
    )


def test_a_truncated_web_archive_is_refused(tmp_path):
    whole = _one_page_warc(tmp_path).read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole[:-400])

    err = refused(cut)

    assert f"refused {cut}: the archive is truncated" in err
    assert not Article.objects.exists()


def test_a_truncated_compressed_web_archive_is_refused(tmp_path):
    whole = _one_page_warc(tmp_path, "page.warc.gz", compress=True).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: len(whole) // 2])

    err = refused(cut)

    assert f"refused {cut}: the archive is truncated" in err


def test_a_corrupt_web_archive_is_refused(tmp_path):
    whole = _one_page_warc(tmp_path).read_bytes()
    corrupt = tmp_path / "corrupt.warc"
    corrupt.write_bytes(whole.replace(b"Start-ups that had", b"Start-ups which had", 1))

    err = refused(corrupt)

    assert f"refused {corrupt}: the archive is corrupt" in err
    assert "digest" in err


def test_an_archive_without_html_pages_is_refused(tmp_path):
    path = warc(
        tmp_path / "images.warc", [("response", "https://x.test/a.png", b"PNG", "image/png")]
    )

    err = refused(path)

    assert "none of the archive's 2 records is an HTML page" in err


def test_a_gzip_bomb_is_refused_before_it_fills_the_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_ARCHIVE_BYTES", 1024 * 1024)
    bomb = tmp_path / "bomb.warc.gz"
    bomb.write_bytes(gzip.compress(b"WARC/1.0\r\n" + b"\0" * (8 * 1024 * 1024)))
    assert bomb.stat().st_size < 64 * 1024

    err = refused(bomb)

    assert f"refused {bomb}: inflates to more than 1 MB" in err
    assert "gzip bomb" in err


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 10_000)
    path = tmp_path / "huge.html"
    path.write_text(page(body_paragraphs=PARAGRAPHS * 20), encoding="utf-8")

    err = refused(path)

    assert f"refused {path}: is 0.0 MB, over the 0 MB limit for a capture" in err
    assert not Article.objects.exists()


def test_the_default_size_cap_is_20_mb():
    assert files.MAX_FILE_BYTES == 20 * 1024 * 1024


def test_a_binary_file_is_refused(tmp_path):
    path = tmp_path / "scan.html"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")

    err = refused(path)

    assert f"refused {path}: is a PDF document (a binary file)" in err


# --- encodings ----------------------------------------------------------------------

CHINESE = (
    "OpenAI停止向中国大陆和香港提供API服务\n\n2024年7月9日\n\n"
    + "\n\n".join(
        [
            "OpenAI宣布自7月9日起停止向中国大陆和香港地区的开发者提供API服务，"
            "国内大模型厂商随即纷纷推出迁移方案，争夺被迫离开的用户。",
            "百度智能云表示，将为新迁移的开发者提供免费的文心大模型调用额度，"
            "并承诺提供专门的技术支持团队协助完成迁移工作。",
            "阿里云通义千问也宣布了类似的计划，智谱AI则推出了所谓的特别搬家计划，"
            "向开发者赠送一亿个免费的调用额度。",
        ]
    )
    + "\n"
)
ENGLISH_1252 = (
    "OpenAI’s door closes on China\n\nJuly 9, 2024\n\n"
    "The café owners of Shenzhen’s tech district say the “wake-up call” came early – "
    "developers there had been paying €20 a month for access that is now gone.\n\n"
    "“We moved everything to a domestic model over the weekend,” said one founder, "
    "who asked not to be named because his company’s investors had not been told.\n"
)


@pytest.mark.parametrize(
    ("encoding", "text", "recorded"),
    [
        ("gb18030", CHINESE, "gb18030"),
        ("big5", CHINESE.replace("国", "國").replace("发", "發"), "big5hkscs"),
        ("cp1252", ENGLISH_1252, "cp1252"),
    ],
)
def test_an_undeclared_encoding_is_detected_and_recorded(tmp_path, encoding, text, recorded):
    path = tmp_path / "capture.txt"
    path.write_bytes(text.encode(encoding, errors="ignore"))

    out, _ = run(path)

    article = Article.objects.get()
    assert article.raw == text.encode(encoding, errors="ignore").decode(recorded)
    assert article.encoding == recorded
    assert article.provenance["encoding"] == "detected"
    assert f"  encoding: {recorded} (detected)" in out
    assert bytes(article.original.content) == path.read_bytes()


def test_a_declared_encoding_is_used_when_the_bytes_agree(tmp_path):
    html = page(charset='<meta charset="windows-1252">').replace(
        PARAGRAPHS[0], PARAGRAPHS[0] + " The café’s owner agreed."
    )
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("cp1252"))

    run(path)

    article = Article.objects.get()
    assert "The café’s owner agreed." in article.body
    assert (article.encoding, article.provenance["encoding"]) == ("cp1252", "declared by the page")


# --- folders and dry runs -----------------------------------------------------------


def test_a_folder_is_imported_by_its_captures_of_every_kind(tmp_path):
    folder = tmp_path / "week"
    folder.mkdir()
    (folder / "a.html").write_text(page(), encoding="utf-8")
    (folder / "b.txt").write_bytes(CHINESE.encode("gb18030"))
    (folder / "notes.md").write_text("not a capture", encoding="utf-8")
    (folder / ".hidden.txt").write_text("not a capture either", encoding="utf-8")
    _one_page_warc(folder, "c.warc.gz", compress=True)

    out, _ = run(folder)

    assert out.splitlines()[-1] == "2 created, 1 skipped"  # c.warc.gz holds a.html's page
    assert Article.objects.count() == 2


def test_a_dry_run_reports_everything_and_writes_nothing(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(page(head=DECLARED), encoding="utf-8")

    out, _ = run(path, "--dry-run", "--publish")

    assert out.splitlines()[0] == f"would create from {path}"
    assert "  title: OpenAI shuts its API to China (the page's og:title meta tag)" in out
    assert "  dropped block (navigation): Home" in out
    assert out.splitlines()[-1] == "1 would be created, 0 skipped (dry run: nothing was written)"
    assert not Article.objects.exists()
    assert not Source.objects.exists()
    assert not Original.objects.exists()


def test_a_dry_run_says_what_would_be_skipped(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(page(), encoding="utf-8")
    run(path)

    out, _ = run(path, "--dry-run")

    assert out.splitlines()[0].startswith(f"would skip {path}: this capture has already been")


def test_a_dry_run_with_a_bad_file_fails_like_an_import(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")

    err = refused(tmp_path / "empty.txt", "--dry-run")

    assert "the file is empty" in err


def test_progress_is_shown_as_plain_lines_when_not_in_a_terminal(tmp_path):
    for n in range(3):
        (tmp_path / f"{n}.html").write_text(
            page(
                title=f"OpenAI blocks China, part {n}",
                body_paragraphs=[p + f" ({n})" for p in PARAGRAPHS],
            ),
            encoding="utf-8",
        )

    _, err = run(tmp_path)

    assert "extract: 3/3 (100%)" in err
    assert "import: 3/3 (100%)" in err
    assert "\r" not in err  # no bar drawn into a log


def test_a_chinese_date_line_gives_the_date_of_a_page_that_declares_none(tmp_path):
    paragraphs = ["發佈時間：2024年7月10日 09:30", *PARAGRAPHS]
    path = tmp_path / "page.html"
    path.write_text(page(body_paragraphs=paragraphs), encoding="utf-8")

    run(path)

    assert Article.objects.get().published_on == datetime.date(2024, 7, 10)


def test_an_ambiguous_visible_date_is_flagged_unless_the_markup_settles_it(tmp_path):
    paragraphs = ["Posted 05/07/2024 by Ravi Menon", *PARAGRAPHS]
    bare = tmp_path / "bare.html"
    bare.write_text(page(body_paragraphs=paragraphs), encoding="utf-8")
    settled = tmp_path / "settled.html"
    settled.write_text(
        page(
            title="OpenAI's door closes",
            head='<meta property="article:published_time" content="2024-07-05">',
            body_paragraphs=[*paragraphs[:1], *(p + " Again." for p in PARAGRAPHS)],
        ),
        encoding="utf-8",
    )

    out, _ = run(bare, settled)

    assert Article.objects.get(title__startswith="Developers").published_on is None
    assert "warning: the date 05/07/2024 is ambiguous" in out
    assert Article.objects.get(title="OpenAI's door closes").published_on == datetime.date(
        2024, 7, 5
    )


def test_entities_in_declared_metadata_are_decoded(tmp_path):
    # WordPress's SEO plugins write HTML entities inside JSON-LD, where no parser decodes them.
    head = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Article", '
        '"headline": "What OpenAI&#8217;s block means &amp; why"}</script>'
    )
    path = tmp_path / "page.html"
    path.write_text(page(head=head), encoding="utf-8")

    run(path)

    assert Article.objects.get().title == "What OpenAI’s block means & why"


def test_a_short_line_after_the_last_paragraph_is_page_footer(tmp_path):
    path = tmp_path / "release.html"
    path.write_text(page(body_paragraphs=[*PARAGRAPHS, "Ends"]), encoding="utf-8")

    out, _ = run(path)

    assert Article.objects.get().paragraphs == PARAGRAPHS
    assert "dropped block (page footer): Ends" in out


def test_a_caption_or_an_editors_note_kept_by_the_extractor_is_dropped(tmp_path):
    paragraphs = [
        "（This story was generated from a syndicated feed.）",
        *PARAGRAPHS,
        "A developer at a start-up in Shenzhen. (Photo: Reuters)",
        "(This story has not been edited by our staff.)",
    ]
    path = tmp_path / "page.html"
    path.write_text(page(body_paragraphs=paragraphs), encoding="utf-8")

    out, _ = run(path)

    assert Article.objects.get().paragraphs == PARAGRAPHS
    assert "dropped block (photo caption): A developer at a start-up in Shenzhen." in out
    assert "dropped block (editor's note): (This story has not been edited" in out


def test_a_line_on_most_of_an_outlets_captures_is_furniture(tmp_path):
    # --source says the captures are one outlet's; its earlier imports count too.
    folder = tmp_path / "harbour-ledger"
    folder.mkdir()
    motto = "Independent journalism from the Pearl River Delta since 1998"
    for n, paragraph in enumerate(PARAGRAPHS):
        (folder / f"{n}.txt").write_text(
            f"OpenAI and China, part {n}\n\nJuly {n + 9}, 2024\n\n{paragraph}\n\n{motto}\n",
            encoding="utf-8",
        )

    out, _ = run(folder, "--source", "Harbour Ledger")

    assert all(motto not in article.body for article in Article.objects.all())
    assert out.count(f"(repeated on other pages of this outlet): {motto}") == 3


def test_two_captures_sharing_a_headline_keep_it(tmp_path):
    # Two versions of one story: too few captures to call a shared line furniture.
    for n, paragraph in enumerate(PARAGRAPHS[:2]):
        (tmp_path / f"{n}.txt").write_text(
            f"OpenAI blocks its API in China\n\nJuly 9, 2024\n\n{paragraph}\n", encoding="utf-8"
        )

    run(tmp_path)

    assert set(Article.objects.values_list("title", flat=True)) == {
        "OpenAI blocks its API in China"
    }


def _encoded_response_warc(path: Path, payload: bytes, headers: list[tuple[str, str]]) -> Path:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/a", "response", payload=io.BytesIO(payload), http_headers=http
            )
        )
    return path


def test_a_record_that_inflates_past_the_cap_is_refused_as_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1024 * 1024)
    bomb = gzip.compress(b"<p>" + b" " * (8 * 1024 * 1024))
    path = _encoded_response_warc(
        tmp_path / "bomb.warc.gz",
        bomb,
        [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
    )

    err = refused(path)

    assert f"refused {path}: record 1 inflates to more than 1 MB (a gzip bomb?)" in err


def test_the_archivists_cookies_are_not_kept_with_the_headers(tmp_path):
    path = _encoded_response_warc(
        tmp_path / "logged-in.warc.gz",
        page().encode(),
        [("Content-Type", "text/html"), ("Set-Cookie", "session=SECRET123"), ("Server", "nginx")],
    )

    run(path)

    headers = Article.objects.get().original.archive_headers
    assert "Server: nginx" in headers
    assert "SECRET123" not in headers and "Set-Cookie" not in headers
    assert Article.objects.get().original.filename == "logged-in-record-1.html"


@pytest.mark.parametrize("label", ["base64", "zlib", "rot13", "undefined", "x-unknown-9"])
def test_a_nonsense_charset_is_ignored_and_the_bytes_read_as_they_are(tmp_path, label):
    path = tmp_path / "page.html"
    path.write_text(page(charset=f'<meta charset="{label}">'), encoding="utf-8")

    run(path)

    article = Article.objects.get()
    assert article.paragraphs == PARAGRAPHS
    assert article.encoding == "utf-8"


def test_a_utf16_meta_charset_on_a_utf8_page_reads_as_utf8(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        page(charset='<meta charset="utf-16">').replace("Start-ups", "Café start-ups"),
        encoding="utf-8",
    )

    run(path)

    assert "Café start-ups" in Article.objects.get().body


def test_wire_copy_in_a_folder_of_many_outlets_is_kept_and_linked(tmp_path):
    from articles.models import Republication

    story = "\n\n".join(PARAGRAPHS)
    (tmp_path / "a.txt").write_text(f"OpenAI blocks China\n\nJuly 9, 2024\n\n{story}\n")
    (tmp_path / "b.txt").write_text(f"China loses OpenAI\n\nJuly 10, 2024\n\n{story}\n")
    (tmp_path / "c.txt").write_text(
        "Hong Kong funds AI research\n\nJuly 10, 2024\n\nHong Kong set aside HK$3 billion "
        "for a new artificial intelligence research centre, the financial secretary said.\n"
    )

    run(tmp_path)

    copy = Article.objects.get(title="China loses OpenAI")
    assert copy.paragraphs == PARAGRAPHS
    assert Republication.objects.get().copy == copy


def test_an_overlong_declared_title_or_a_bad_canonical_link_is_fitted_not_refused(tmp_path):
    head = (
        f'<meta property="og:title" content="{"OpenAI blocks China " * 20}">'
        f'<link rel="canonical" href="https://news.example/{"a" * 600}">'
    )
    path = tmp_path / "page.html"
    path.write_text(page(head=head), encoding="utf-8")

    dry, _ = run(path, "--dry-run")
    out, _ = run(path)

    article = Article.objects.get()
    assert len(article.title) <= 300 and article.title.endswith("…")
    assert article.original_url == ""
    for report in (dry, out):
        assert "warning: the title was" in report
        assert "warning: the page's URL (https://news.example/aaa" in report


def test_a_dry_run_counts_a_capture_given_twice_once(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(page(), encoding="utf-8")
    copy = tmp_path / "copy.html"
    copy.write_text(page(), encoding="utf-8")

    out, _ = run(path, copy, "--dry-run")

    assert out.splitlines()[-1].startswith("1 would be created, 1 skipped")
    assert f"would skip {path}: the same capture as {copy}" in out or (
        f"would skip {copy}: the same capture as {path}" in out
    )


def test_the_same_file_is_not_imported_twice_when_its_text_comes_out_differently(tmp_path):
    from articles.intake import extract, read
    from articles.services import import_capture

    path = tmp_path / "page.html"
    path.write_text(page(), encoding="utf-8")
    (file,) = read(path)
    first = import_capture(extracted=extract(file)).article
    later = extract(file)
    later.raw = later.body = later.body + "\n\nA paragraph a better extractor finds."

    again = import_capture(extracted=later)

    assert (again.created, again.article) == (False, first)
    assert again.reason == f"the same file was imported as {first.slug}"


def test_a_page_with_no_title_anywhere_keeps_its_first_paragraph(tmp_path):
    path = tmp_path / "bare.html"
    paragraphs = "".join(f"<p>{text}</p>" for text in PARAGRAPHS[:1])
    path.write_text(f"<html><body><main>{paragraphs}</main></body></html>", encoding="utf-8")

    out, _ = run(path)

    article = Article.objects.get()
    assert article.paragraphs == PARAGRAPHS[:1]
    assert article.title.startswith("OpenAI began blocking API traffic")
    assert "warning: the page declares no title" in out


def test_a_tie_between_latin_code_pages_goes_to_windows_1252(tmp_path):
    # ï is 0xEF: "ï" in windows-1252, "ď" in windows-1250, and both read the file as cleanly.
    text = ENGLISH_1252.replace("wake-up call", "naïve wake-up call") * 3
    path = tmp_path / "op-ed.txt"
    path.write_bytes(text.encode("cp1252"))

    run(path)

    article = Article.objects.get()
    assert article.encoding == "cp1252"
    assert "naïve" in article.body


def test_an_article_laid_out_in_table_cells_keeps_its_paragraphs_and_subheadings(tmp_path):
    # An e-mail newsletter's markup: the whole letter inside table cells.
    style = ' style="margin:0 0 20px 0;font-family:Georgia,serif"'
    cells = (
        f"<p{style}>{PARAGRAPHS[0]}</p><h2{style}>The scramble for free tokens</h2>"
        f"<p{style}>{PARAGRAPHS[1]}</p><h2{style}>What comes next</h2><p{style}>{PARAGRAPHS[2]}</p>"
    )
    path = tmp_path / "letter.html"
    path.write_text(
        "<html><head><title>The Token Ledger: OpenAI cuts China off</title></head><body>"
        '<table width="100%"><tr><td><table><tr><td class="body markup">'
        f"{cells}</td></tr></table></td></tr></table></body></html>",
        encoding="utf-8",
    )

    run(path)

    assert Article.objects.get().paragraphs == [
        PARAGRAPHS[0],
        "The scramble for free tokens",
        PARAGRAPHS[1],
        "What comes next",
        PARAGRAPHS[2],
    ]


def test_a_data_table_is_left_a_table():
    from lxml import html as lxml_html

    from articles.intake.html import _without_layout_tables

    tree = lxml_html.fromstring(
        "<html><body><table><tr><td>Baidu</td><td>-2.1%</td></tr></table>"
        "<table><tr><td><p>A paragraph set in a cell.</p></td></tr></table></body></html>"
    )

    _without_layout_tables(tree)

    assert len(tree.findall(".//table")) == 1
    assert tree.find(".//table//td").text == "Baidu"


def test_role_sets_the_articles_role_and_an_unknown_one_is_refused(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(page(), encoding="utf-8")

    with pytest.raises(CommandError, match="invalid choice: 'gossip'"):
        call_command("import_articles", str(path), "--role", "gossip", stdout=io.StringIO())
    assert not Article.objects.exists()

    run(path, "--role", "analysis")

    assert Article.objects.get().role == "analysis"
