import pytest
from django.urls import reverse

from entities.models import Mention
from tests.factories import ArticleFactory, ClaimFactory, EntityFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_article_page_shows_metadata_text_and_its_graph(client):
    source = SourceFactory(name="Tekedia")
    article = ArticleFactory(
        source=source,
        author="A. Writer",
        title="OpenAI blocks China",
        body="First paragraph.\n\nSecond paragraph.",
    )
    Mention.objects.create(article=article, entity=EntityFactory(name="Zhipu AI"))
    ClaimFactory(article=article, statement="Zhipu offers free tokens", quote="First paragraph.")
    page = client.get(article.get_absolute_url()).content.decode()
    for text in [
        "OpenAI blocks China",
        "Tekedia",
        "A. Writer",
        "5 July 2024",
        article.original_url,
        "First paragraph.",
        "<p>Second paragraph.</p>",
        "Zhipu AI",
        "Zhipu offers free tokens",
    ]:
        assert text in page


def test_the_raw_capture_is_served_as_plain_text(client):
    article = ArticleFactory(raw="Skip to main content\n\n<b>raw</b> capture")
    response = client.get(reverse("articles:article-raw", args=[article.slug]))
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "Skip to main content\n\n<b>raw</b> capture"


def test_draft_articles_and_their_captures_are_404(client):
    article = ArticleFactory(status="draft", title="Embargoed story")
    assert client.get(article.get_absolute_url()).status_code == 404
    assert client.get(reverse("articles:article-raw", args=[article.slug])).status_code == 404
    assert "Embargoed story" not in client.get(reverse("articles:article-list")).content.decode()
    assert "Embargoed story" not in client.get(reverse("home")).content.decode()


def test_article_list_filters_by_outlet_and_year(client):
    ArticleFactory(title="From Tekedia", source=SourceFactory(name="Tekedia"))
    ArticleFactory(title="From elsewhere")
    page = client.get(reverse("articles:article-list"), {"source": "tekedia"}).content.decode()
    assert "From Tekedia" in page and "From elsewhere" not in page
    page = client.get(reverse("articles:article-list"), {"year": "2023"}).content.decode()
    assert "From Tekedia" not in page


def test_article_list_is_newest_first_with_undated_last(client):
    import datetime

    ArticleFactory(title="Older", published_on=datetime.date(2024, 6, 1))
    ArticleFactory(title="Undated", published_on=None)
    ArticleFactory(title="Newer", published_on=datetime.date(2024, 7, 9))
    page = client.get(reverse("articles:article-list")).content.decode()
    assert page.index("Newer") < page.index("Older") < page.index("Undated")


def test_source_page_lists_its_published_articles(client):
    source = SourceFactory(name="Tekedia")
    ArticleFactory(source=source, title="Published piece")
    ArticleFactory(source=source, title="Draft piece", status="draft")
    page = client.get(source.get_absolute_url()).content.decode()
    assert "Published piece" in page and "Draft piece" not in page


@pytest.mark.parametrize(
    "params", [{"source": "nope"}, {"year": "x"}, {"page": "-1"}, {"language": "x" * 5000}]
)
def test_malformed_article_filters_never_give_a_500(client, params):
    ArticleFactory()
    assert client.get(reverse("articles:article-list"), params).status_code == 200
