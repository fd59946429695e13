"""A NUL byte in any parameter is dropped before a view sees it: never a 500.

PostgreSQL can neither store nor compare text holding NUL, and the views that
read a parameter without a form (the admin's autocomplete and list filters)
handed it straight to a query.
"""

import pytest
from django.urls import reverse

from aiwatch.core.publishing import Status
from articles.models import Article
from tests.factories import ArticleFactory, EntityFactory

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "/admin/autocomplete/?app_label=entities&model_name=mention&field_name=entity"


def test_the_admin_autocomplete_answers_a_nul_term(editor_client):
    EntityFactory(name="SenseTime")
    response = editor_client.get(f"{AUTOCOMPLETE}&term=Sense%00Time")
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["SenseTime"]


def test_the_admin_autocomplete_answers_a_lone_nul(editor_client):
    assert editor_client.get(f"{AUTOCOMPLETE}&term=%00").status_code == 200


@pytest.mark.parametrize(
    "query",
    ["status=%00", "status=pub%00lished", "q=%00", "kind__exact=%00", "o=%00", "p=%00", "%00=1"],
)
def test_an_admin_change_list_answers_nul_parameters(editor_client, query):
    EntityFactory()
    response = editor_client.get(f"/admin/entities/entity/?{query}")
    assert response.status_code in (200, 302)


def test_a_nul_inside_a_filter_value_is_read_as_the_value_without_it(editor_client):
    EntityFactory(name="Published one")
    EntityFactory(name="Draft one", status=Status.DRAFT)
    page = editor_client.get("/admin/entities/entity/?status__exact=dr%00aft").content.decode()
    assert "Draft one" in page and "Published one" not in page


@pytest.mark.parametrize("damaged", ["\x00", "abc", "1.5", ""])
def test_a_bulk_action_on_a_damaged_selection_changes_nothing_and_says_so(editor_client, damaged):
    article = ArticleFactory(status=Status.DRAFT)
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [damaged, str(article.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    assert "The selection could not be read" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


@pytest.mark.parametrize(
    "changelist", ["admin:auth_user_changelist", "admin:auth_group_changelist"]
)
def test_the_user_and_group_lists_refuse_a_damaged_selection_too(admin_client, changelist):
    response = admin_client.post(
        reverse(changelist),
        {"action": "delete_selected", "_selected_action": ["abc"]},
        follow=True,
    )
    assert response.status_code == 200
    assert "The selection could not be read" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/search/?q=Open%00AI&kind=%00&entity=%00&year=%00",
        "/search/?q=OpenAI&format=csv%00",
        "/articles/?q=%00&source=%00&role=%00&page=%00",
        "/entities/?kind=%00&q=%00",
        "/events/?q=%00",
        "/claims/?q=%00&verification=%00",
        "/feeds/search/?q=%00",
        "/articles/?format=json%00",
    ],
)
def test_public_pages_answer_nul_parameters(client, url):
    ArticleFactory()
    assert client.get(url).status_code in (200, 301, 302, 404)


def test_a_posted_nul_is_dropped_before_the_form_sees_it(editor_client):
    article = ArticleFactory(status=Status.DRAFT)
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish\x00", "_selected_action": [str(article.pk)]},
    )
    assert response.status_code in (200, 302)
    assert Article.objects.get(pk=article.pk).status == Status.PUBLISHED


@pytest.mark.parametrize(
    "path",
    [
        "/admin/entities/entity/%00/history/",
        "/admin/entities/entity/1%00/history/1/",
        "/admin/entities/entity/%00/change/",
        "/articles/a%00b/",
        "/feeds/entities/%00/",
    ],
)
def test_a_path_holding_a_nul_names_no_page(editor_client, path):
    EntityFactory()
    assert editor_client.get(path).status_code == 404
