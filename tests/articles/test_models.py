import pytest
from django.db import IntegrityError, transaction

from articles.models import Article, content_hash
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_the_raw_capture_cannot_be_changed_once_stored():
    article = ArticleFactory(raw="Original capture\n\nwith its boilerplate")
    with pytest.raises(IntegrityError, match="cannot be changed"), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(raw="tampered")
    article.refresh_from_db()
    assert article.raw == "Original capture\n\nwith its boilerplate"
    assert article.content_hash == content_hash(article.raw)


def test_editing_other_fields_leaves_the_capture_alone():
    article = ArticleFactory()
    article.title = "A better headline"
    article.body = "Edited body."
    article.save()
    article.refresh_from_db()
    assert article.title == "A better headline"


def test_an_article_typed_into_the_admin_uses_its_body_as_the_capture():
    article = Article.objects.create(title="Typed by hand", body="Text an editor typed.")
    assert article.raw == "Text an editor typed."
    assert article.content_hash == content_hash("Text an editor typed.")


def test_the_same_capture_cannot_be_stored_twice():
    ArticleFactory(raw="same capture")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(raw="same capture")


def test_original_urls_are_unique_but_may_be_blank():
    ArticleFactory(original_url="https://news.test/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(original_url="https://news.test/a")
    ArticleFactory(original_url="")
    ArticleFactory(original_url="")


def test_outlet_names_are_unique_whatever_the_case():
    SourceFactory(name="Tekedia")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(name="TEKEDIA")


def test_summary_markdown_is_rendered_and_sanitized_on_save():
    article = ArticleFactory(summary="**Bold** <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>Bold</strong>" in article.summary_html
    assert "<script" not in article.summary_html
    assert "javascript:" not in article.summary_html


def test_published_filters_out_drafts():
    published = ArticleFactory()
    ArticleFactory(status="draft")
    assert list(Article.objects.published()) == [published]
