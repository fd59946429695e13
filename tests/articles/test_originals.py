"""The file an article was imported from is kept byte for byte, downloadable, and unchangeable."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from aiwatch.core.publishing import Status
from articles.intake import extract, read
from articles.models import Article, Original
from articles.services import import_capture

pytestmark = pytest.mark.django_db

PAGE = (
    b"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
    b"<title>OpenAI blocks China | Ledger</title><script>alert(document.cookie)</script></head>"
    b"<body><nav><a href='/'>Home</a></nav><article><h1>OpenAI blocks China</h1>"
    b"<p>OpenAI began blocking API traffic from mainland China and Hong Kong on Tuesday, "
    b"weeks after it warned developers by email.</p>"
    b"<p>Start-ups that had routed requests through overseas servers said their keys stopped "
    b"working on the same morning.</p></article></body></html>"
)


def imported(tmp_path, status=Status.PUBLISHED) -> Article:
    path = tmp_path / "ledger.html"
    path.write_bytes(PAGE)
    (file,) = read(path)
    return import_capture(extracted=extract(file), status=status).article


def test_the_original_page_is_stored_beside_the_extracted_text(tmp_path):
    article = imported(tmp_path)

    original = Original.objects.get(article=article)
    assert bytes(original.content) == PAGE
    assert original.media_type == "text/html"
    assert original.filename == "ledger.html"
    assert "<script>" not in article.raw and "OpenAI began blocking" in article.raw


def test_the_database_refuses_to_change_an_original(tmp_path):
    article = imported(tmp_path)

    with pytest.raises(IntegrityError, match="cannot be changed"), transaction.atomic():
        Original.objects.filter(article=article).update(content=b"tampered")
    with (
        pytest.raises(IntegrityError, match="cannot be changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE articles_original SET filename = 'x' WHERE article_id = %s", [article.pk]
        )
    assert bytes(Original.objects.get(article=article).content) == PAGE


def test_the_database_refuses_to_change_the_extracted_text(tmp_path):
    article = imported(tmp_path)

    with pytest.raises(IntegrityError, match="cannot be changed"), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(raw="rewritten")


def test_a_reader_downloads_the_original_as_an_attachment_never_rendered(client, tmp_path):
    article = imported(tmp_path)

    response = client.get(reverse("articles:article-original", kwargs={"slug": article.slug}))

    assert response.status_code == 200
    assert response.content == PAGE
    assert response["Content-Disposition"] == 'attachment; filename="ledger.html"'
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_drafts_original_is_not_public(client, tmp_path):
    article = imported(tmp_path, status=Status.DRAFT)

    response = client.get(reverse("articles:article-original", kwargs={"slug": article.slug}))

    assert response.status_code == 404


def test_an_editor_downloads_a_drafts_original_from_the_admin(editor_client, tmp_path):
    article = imported(tmp_path, status=Status.DRAFT)
    url = reverse("admin:articles_article_original", args=[article.pk])

    assert editor_client.get(url).content == PAGE
    assert Client().get(url).status_code == 302  # to the login page
    change = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert url in change.content.decode()


def test_a_staff_member_who_may_view_originals_only_downloads_them(tmp_path, django_user_model):
    from django.contrib.auth.models import Permission

    article = imported(tmp_path, status=Status.DRAFT)
    user = django_user_model.objects.create_user("archivist", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_original"))
    client = Client()
    client.force_login(user)

    response = client.get(reverse("admin:articles_article_original", args=[article.pk]))

    assert response.status_code == 200 and response.content == PAGE
