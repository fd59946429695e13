"""Importing captures: the import_articles command, import_capture and read_capture."""

import datetime
import hashlib
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aiwatch.core.publishing import Status
from articles.models import Article, Source
from articles.services import CaptureError, import_capture, read_capture
from tests.factories import SourceFactory

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "articles"
CAPTURES = Path(__file__).resolve().parent / "captures"
SEED_000 = SEEDS / "000_3b30f65ba841bee8.txt"
SEED_002 = SEEDS / "002_f86f87014336873c.txt"

SMALL_CAPTURE = (
    "Skip to main content\n"
    "OpenAI blocks its API in China\n"
    "July 9, 2024\n"
    "OpenAI began blocking API traffic from mainland China and Hong Kong on Tuesday.\n"
)
OTHER_CAPTURE = SMALL_CAPTURE.replace("on Tuesday", "this week")

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_articles", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_failing(*args) -> tuple[str, str]:
    """The CommandError's message and what was written to stderr."""
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_articles", *map(str, args), stdout=io.StringIO(), stderr=err)
    return str(failure.value), err.getvalue()


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


# --- the seeds -------------------------------------------------------------------


def test_importing_the_seeds_creates_draft_articles_with_their_headlines_and_dates():
    run(SEED_000, SEED_002)

    block = Article.objects.get(title="OpenAI’s China Block: Fueling a Local AI Boom?")
    tekedia = Article.objects.get(
        title="OpenAI Blocks Chinese Users From Accessing its Tools and Services"
    )
    assert block.published_on == datetime.date(2024, 7, 5)
    assert block.body.startswith("In June OpenAI just dropped a bombshell")
    assert tekedia.published_on is None
    assert tekedia.body.startswith("OpenAI has notified its users in China")
    assert "Impact on the Chinese AI Community" in tekedia.paragraphs
    assert "Post Comment" not in tekedia.body
    assert {block.status, tekedia.status} == {Status.DRAFT}
    assert {block.language, tekedia.language} == {"en"}


@pytest.mark.parametrize("path", [SEED_000, SEED_002], ids=lambda path: path.name)
def test_a_seed_is_stored_byte_for_byte_with_the_hash_of_its_bytes(path):
    run(path)

    article = Article.objects.get()
    article.refresh_from_db()
    assert article.raw.encode("utf-8") == path.read_bytes()
    assert article.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_report_names_each_article_where_its_metadata_came_from_and_its_dropped_lines():
    out = run(SEED_002)

    slug = Article.objects.get().slug
    lines = out.splitlines()
    assert lines[0] == f"created {slug} from {SEED_002}"
    assert lines[1] == (
        "  title: OpenAI Blocks Chinese Users From Accessing its Tools and Services (text line 3)"
    )
    assert lines[2] == "  date: none found"
    assert "  encoding: utf-8 (valid UTF-8)" in lines
    dropped = [line for line in lines if line.startswith("  dropped line ")]
    # Every line left out is named with its number and a reason, in the order of the capture.
    numbers = [int(line.split()[2]) for line in dropped]
    assert numbers == sorted(numbers) and len(numbers) >= 8
    assert any("(title): OpenAI Blocks Chinese Users" in line for line in dropped)
    assert any("Post Comment" in line for line in dropped)
    assert lines[-1] == "1 created, 0 skipped"


# --- captures from other outlets -------------------------------------------------


def test_captures_from_five_outlets_import_in_one_run(tmp_path):
    paths = sorted(CAPTURES.glob("*.txt"))

    out = run(*paths)

    assert out.splitlines()[-1] == f"{len(paths)} created, 0 skipped"
    chinese = Article.objects.get(language="zh")
    assert chinese.title.startswith("OpenAI停止向中国大陆和香港提供API服务")
    assert chinese.published_on == datetime.date(2024, 6, 26)
    assert chinese.raw == (CAPTURES / "kejiqianyan_zh.txt").read_text(encoding="utf-8")
    assert set(Article.objects.values_list("language", flat=True)) == {"en", "zh"}


def test_a_bom_is_stripped_but_crlf_line_endings_are_kept(tmp_path):
    text = SMALL_CAPTURE.replace("\n", "\r\n")
    path = write(tmp_path, "windows.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))

    run(path)

    article = Article.objects.get()
    assert article.raw == text
    assert article.content_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert article.title == "OpenAI blocks its API in China"
    assert "\r" not in article.body


# --- re-importing --------------------------------------------------------------------


def test_a_second_run_creates_nothing_and_says_why_it_skipped():
    run(SEED_000, SEED_002)
    slugs = dict(Article.objects.values_list("title", "slug"))

    out = run(SEED_000, SEED_002)

    assert Article.objects.count() == 2
    block_slug = slugs["OpenAI’s China Block: Fueling a Local AI Boom?"]
    assert out.splitlines()[0] == f"skipped {SEED_000}: already imported as {block_slug}"
    assert out.splitlines()[-1] == "0 created, 2 skipped"
    assert "dropped line" not in out


def test_an_editors_changes_survive_a_reimport(tmp_path):
    path = write(tmp_path, "capture.txt", SMALL_CAPTURE)
    run(path)
    article = Article.objects.get()
    article.title = "OpenAI shuts its API to China (edited)"
    article.body = "An editor rewrote this."
    article.status = Status.PUBLISHED
    article.save()
    edited_at = Article.objects.get().updated_at

    run(path, "--source", "Someone Else", "--url", "https://other.test/x")

    article = Article.objects.get()
    assert article.title == "OpenAI shuts its API to China (edited)"
    assert article.body == "An editor rewrote this."
    assert article.status == Status.PUBLISHED
    assert article.source is None
    assert article.original_url == ""
    assert article.updated_at == edited_at
    assert not Source.objects.exists()


def test_the_same_path_twice_in_one_run_is_imported_once(tmp_path):
    path = write(tmp_path, "capture.txt", SMALL_CAPTURE)

    out = run(path, path)

    assert Article.objects.count() == 1
    assert out.splitlines()[-1] == "1 created, 1 skipped"


def test_a_different_capture_of_an_already_imported_url_is_skipped(tmp_path):
    first = write(tmp_path, "first.txt", SMALL_CAPTURE)
    second = write(tmp_path, "second.txt", OTHER_CAPTURE)
    run(first, "--url", "https://news.test/openai-china")
    slug = Article.objects.get().slug

    out = run(second, "--url", "https://news.test/openai-china")

    assert Article.objects.count() == 1
    assert out.splitlines()[0] == (
        f"skipped {second}: https://news.test/openai-china is already the URL of {slug}, "
        "imported from a different capture"
    )


# --- options -----------------------------------------------------------------------


def test_publish_saves_published_articles(tmp_path):
    run(write(tmp_path, "capture.txt", SMALL_CAPTURE), "--publish")

    assert Article.objects.get().status == Status.PUBLISHED


def test_source_reuses_an_outlet_whatever_the_case(tmp_path):
    outlet = SourceFactory(name="TechPulse Asia")

    run(write(tmp_path, "capture.txt", SMALL_CAPTURE), "--source", "techpulse ASIA")

    assert Article.objects.get().source == outlet
    assert Source.objects.count() == 1


def test_source_creates_a_missing_outlet(tmp_path):
    run(write(tmp_path, "a.txt", SMALL_CAPTURE), write(tmp_path, "b.txt", OTHER_CAPTURE),
        "--source", "Harbour Ledger")  # fmt: skip

    outlet = Source.objects.get()
    assert outlet.name == "Harbour Ledger"
    assert set(Article.objects.values_list("source", flat=True)) == {outlet.pk}


def test_url_is_stored_as_the_original_url(tmp_path):
    run(write(tmp_path, "capture.txt", SMALL_CAPTURE), "--url", "https://news.test/a")

    assert Article.objects.get().original_url == "https://news.test/a"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--url", "https://news.test/a"], "--url needs exactly one capture, got 2"),
        (["--url", "not a url"], "is not a valid http(s) URL"),
        (["--source", "  "], "--source needs a name"),
    ],
    ids=["url with two paths", "invalid url", "blank source"],
)
def test_bad_options_are_refused_before_anything_is_written(tmp_path, extra, message):
    paths = [write(tmp_path, "a.txt", SMALL_CAPTURE)]
    if "needs exactly one" in message:
        paths.append(write(tmp_path, "b.txt", OTHER_CAPTURE))

    error, _ = run_failing(*paths, *extra)

    assert message in error
    assert not Article.objects.exists()


# --- bad input ---------------------------------------------------------------------


def _unreadable(directory: Path) -> Path:
    # Root reads any file whatever its mode, so use a path through a regular file.
    return write(directory, "plain.txt", SMALL_CAPTURE) / "capture.txt"


def _directory(directory: Path) -> Path:
    (directory / "captures").mkdir()
    return directory / "captures"


BAD_INPUTS = {
    "empty": (lambda d: write(d, "empty.txt", b""), "the file is empty"),
    "whitespace only": (
        lambda d: write(d, "blank.txt", " \n\t\r\n  \n"),
        "the file contains only whitespace",
    ),
    "binary with NUL bytes": (
        lambda d: write(d, "capture.txt", b"OpenAI\x00\x01\x02 blocks\x00 the API\n"),
        "looks like a binary file (it contains NUL bytes), not text",
    ),
    "image": (
        lambda d: write(d, "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        "is a PNG image (a binary file), not a text or HTML capture",
    ),
    "binary without NUL bytes": (
        lambda d: write(d, "blob.bin", bytes(range(1, 32)) * 10),
        "looks like a binary file (mostly control characters), not text",
    ),
    "missing": (lambda d: d / "nowhere.txt", "no such file"),
    "empty folder": (_directory, "the folder holds no captures"),
    "unreadable": (_unreadable, "cannot be read (Not a directory)"),
    "no article text": (
        lambda d: write(d, "furniture.txt", "Skip to main content\nAdvertisement\nShare\n"),
        "no article text",
    ),
}


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_bad_input_gives_a_clear_message_and_writes_nothing(tmp_path, kind):
    make, message = BAD_INPUTS[kind]
    path = make(tmp_path)

    error, stderr = run_failing(path)

    assert f"refused {path}: {message}" in stderr
    assert "nothing was imported" in error
    assert not Article.objects.exists()


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_one_bad_file_among_good_ones_stops_the_whole_import(tmp_path, kind):
    make, message = BAD_INPUTS[kind]
    bad = make(tmp_path)

    error, stderr = run_failing(SEED_000, bad, SEED_002, "--source", "New Outlet")

    assert error == "1 of 3 captures cannot be imported; nothing was imported."
    assert f"refused {bad}: {message}" in stderr
    assert f"refused {SEED_000}" not in stderr
    assert not Article.objects.exists()
    assert not Source.objects.exists()


def test_every_bad_file_is_reported_not_just_the_first(tmp_path):
    empty = write(tmp_path, "empty.txt", b"")
    missing = tmp_path / "missing.txt"

    error, stderr = run_failing(empty, SEED_000, missing)

    refusals = [line for line in stderr.splitlines() if line.startswith("refused ")]
    assert refusals == [f"refused {empty}: the file is empty", f"refused {missing}: no such file"]
    assert error.startswith("2 of 3 captures")


# --- the service functions directly ---------------------------------------------


def test_read_capture_returns_the_text_exactly_but_for_the_bom(tmp_path):
    text = "Title line\r\nBody line.\n\n\tindented\n"
    path = write(tmp_path, "capture.txt", "\ufeff" + text)

    assert read_capture(path) == text


def test_read_capture_names_the_path_in_its_error(tmp_path):
    path = write(tmp_path, "blob.txt", b"\x00\x01binary")

    with pytest.raises(CaptureError, match=r"blob\.txt: looks like a binary file"):
        read_capture(path)


def test_explicit_values_override_what_cleaning_found():
    outlet = SourceFactory(name="Harbour Ledger")

    outcome = import_capture(
        raw=SMALL_CAPTURE,
        label="by hand",
        status=Status.PUBLISHED,
        source=outlet,
        title="OpenAI closes the door on China",
        slug="openai-closes-door",
        original_url="https://news.test/door",
        author="Daniel Wong",
        published_on=datetime.date(2024, 6, 25),
        language="en-GB",
        summary="OpenAI *blocks* the API.",
    )

    article = Article.objects.get()
    assert outcome.created and outcome.reason == "" and outcome.article == article
    assert outcome.label == "by hand"
    assert (article.title, article.slug, article.author) == (
        "OpenAI closes the door on China",
        "openai-closes-door",
        "Daniel Wong",
    )
    assert (article.published_on, article.language) == (datetime.date(2024, 6, 25), "en-GB")
    assert (article.source, article.original_url) == (outlet, "https://news.test/door")
    assert article.status == Status.PUBLISHED
    assert "<em>blocks</em>" in article.summary_html
    assert [line.text for line in outcome.dropped] == [
        "Skip to main content",
        "OpenAI blocks its API in China",
        "July 9, 2024",
    ]


def test_import_capture_detects_what_is_not_given():
    outcome = import_capture(raw=SMALL_CAPTURE)

    article = outcome.article
    assert (article.title, article.published_on, article.language) == (
        "OpenAI blocks its API in China",
        datetime.date(2024, 7, 9),
        "en",
    )
    assert article.slug == "openai-blocks-its-api-in-china"
    assert article.body == (
        "OpenAI began blocking API traffic from mainland China and Hong Kong on Tuesday."
    )
    assert article.status == Status.DRAFT


def test_import_capture_returns_the_existing_article_for_a_duplicate():
    first = import_capture(raw=SMALL_CAPTURE).article

    again = import_capture(raw=SMALL_CAPTURE, title="A different title")

    assert (again.created, again.article) == (False, first)
    assert again.reason == f"already imported as {first.slug}"
    assert Article.objects.get().title == "OpenAI blocks its API in China"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"original_url": "not a url"}, "original_url"),
        ({"status": "archived"}, "status"),
        ({"slug": "not a slug!"}, "slug"),
    ],
)
def test_import_capture_refuses_invalid_values_without_writing(kwargs, message):
    with pytest.raises(ValueError, match=message):
        import_capture(raw=SMALL_CAPTURE, **kwargs)

    assert not Article.objects.exists()


def test_import_capture_refuses_a_slug_already_taken():
    import_capture(raw=SMALL_CAPTURE, slug="taken")

    with pytest.raises(ValueError, match="slug 'taken' is already used"):
        import_capture(raw=OTHER_CAPTURE, slug="taken")
    assert Article.objects.count() == 1


def test_reimporting_with_the_same_explicit_slug_is_a_skip_not_an_error():
    first = import_capture(raw=SMALL_CAPTURE, slug="openai-china")

    again = import_capture(raw=SMALL_CAPTURE, slug="openai-china")

    assert (again.created, again.article) == (False, first.article)


def test_a_capture_copied_to_a_new_name_is_still_a_duplicate(tmp_path):
    copy = tmp_path / "renamed.txt"
    shutil.copyfile(SEED_000, copy)
    run(SEED_000)

    out = run(copy)

    assert out.splitlines()[0].startswith(f"skipped {copy}: already imported as ")
    assert Article.objects.count() == 1
