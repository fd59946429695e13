"""`manage.py seed`: what it prints, and how it fails."""

import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connections

from articles.models import Article, Source
from entities.management.commands.seed import Command
from entities.models import Claim, Entity
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.BASE_DIR) / "seeds"


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed", *args, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Source, Article, Entity, Claim))


@pytest.fixture
def seeds_copy(tmp_path):
    """A copy of seeds/ to break: the graph file and the captures it names."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path / "seeds"


def test_first_run_reports_what_it_created():
    out = seed()

    assert "Sources:\n  created   tekedia" in out
    assert "  created   openai-china-block-local-ai-boom  (articles/000_" in out
    assert "  created   openai-blocks-chinese-users  (articles/002_" in out
    claims = Claim.objects.count()
    assert f"claims           {claims:>3} created,   0 already existed" in out
    assert "Done: " in out and " rows created." in out
    assert "already imported" not in out


def test_second_run_reports_everything_as_existing_and_changes_nothing():
    seed()
    before = counts()

    out = seed()

    assert counts() == before
    assert "  existing  tekedia" in out
    assert "  existing  openai-blocks-chinese-users  (articles/002_f86f87014336873c.txt" in out
    assert f"entities           0 created, {Entity.objects.count():>3} already existed" in out
    assert out.rstrip().endswith("Done: nothing to create; everything already existed.")


def test_an_existing_source_is_reused_not_changed():
    Source.objects.create(slug="tekedia", name="Tekedia", homepage="https://edited.example/")
    out = seed()
    assert "  existing  tekedia" in out
    assert Source.objects.get(slug="tekedia").homepage == "https://edited.example/"
    assert Article.objects.get(slug="openai-blocks-chinese-users").source.slug == "tekedia"


def test_an_editors_entity_with_the_files_slug_is_taken_over_and_then_followed():
    Entity.objects.create(slug="sensetime", name="SenseTime (editor)", kind="company")
    seed()
    # Taken over by its slug the first time, it is found by its key from then on.
    Entity.objects.filter(slug="sensetime").update(slug="sensetime-group")
    before = counts()

    seed()

    assert counts() == before
    assert Entity.objects.get(seed_key="sensetime").name == "SenseTime (editor)"


def test_quiet_run_prints_nothing():
    out = io.StringIO()
    call_command("seed", verbosity=0, stdout=out)
    assert out.getvalue() == ""
    assert Claim.objects.exists()


def test_a_missing_graph_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match=r"nowhere\.toml"):
        seed("--graph", str(tmp_path / "nowhere.toml"))
    assert counts() == (0, 0, 0, 0)


def test_a_graph_error_writes_nothing_not_even_the_articles(seeds_copy):
    graph = seeds_copy / "graph.toml"
    text = graph.read_text(encoding="utf-8")
    # A quote the article does not contain: only found once the articles are imported.
    broken = text.replace("Even VPNs won’t help you", "Even VPNs will not help you", 1)
    assert broken != text
    graph.write_text(broken, encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        seed("--graph", str(graph))

    message = str(caught.value)
    assert "nothing was written" in message
    assert "[[claims]] 'vpns-will-not-get-around-block'" in message
    assert "quote not found" in message
    assert counts() == (0, 0, 0, 0)


def test_a_missing_capture_is_a_command_error(seeds_copy):
    (seeds_copy / "articles" / "002_f86f87014336873c.txt").unlink()

    with pytest.raises(CommandError, match=r"002_f86f87014336873c\.txt: no such file"):
        seed("--graph", str(seeds_copy / "graph.toml"))
    assert counts() == (0, 0, 0, 0)


def test_a_slug_taken_by_another_article_is_a_command_error():
    ArticleFactory(slug="openai-blocks-chinese-users")
    before = counts()

    with pytest.raises(CommandError) as caught:
        seed()

    message = str(caught.value)
    assert "002_f86f87014336873c.txt" in message
    assert "'openai-blocks-chinese-users' is already used" in message
    assert counts() == before


def test_errors_exit_non_zero_from_the_command_line(tmp_path, monkeypatch):
    bad = tmp_path / "graph.toml"
    bad.write_text("[[entities]\n", encoding="utf-8")
    # run_from_argv closes every connection when done, the test's own included.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    err = io.StringIO()

    with pytest.raises(SystemExit) as exited:
        Command(stderr=err).run_from_argv(["manage.py", "seed", "--graph", str(bad)])

    assert exited.value.code == 1
    assert "CommandError:" in err.getvalue()
    assert "malformed TOML" in err.getvalue()
    assert counts() == (0, 0, 0, 0)
