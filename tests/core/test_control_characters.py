"""Control characters pasted into any form are dropped before the form sees them.

A vertical tab from a slide, a NUL from a binary paste, U+FFFF from a broken
converter: none of them is text, and each breaks an XML feed or the database.
"""

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse

from aiwatch.core.text import without_control_characters
from articles.filters import ArticleFilter
from articles.forms import ImportForm
from articles.models import Article
from entities.models import Alias, Entity
from tests.admin_forms import form_values
from tests.factories import ArticleFactory, EntityFactory

pytestmark = pytest.mark.django_db

# Every kind the forms drop: C0 controls but tab and line breaks, DEL, the two
# noncharacters XML refuses, and a lone surrogate.
DROPPED = [
    *(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r\x0b\x0c"),
    "\x7f",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\udfff",
]


@pytest.mark.parametrize("char", DROPPED, ids=lambda c: f"U+{ord(c):04X}")
def test_each_control_character_is_dropped(char):
    assert without_control_characters(f"Open{char}AI") == "OpenAI"


@pytest.mark.parametrize("char", ["\x0b", "\x0c"], ids=["vertical tab", "form feed"])
def test_a_vertical_tab_or_form_feed_becomes_a_space(char):
    # Slides and word processors paste a line break inside a paragraph as a vertical tab.
    assert without_control_characters(f"OpenAI{char}cuts off China") == "OpenAI cuts off China"


def test_text_is_otherwise_unchanged():
    text = "Tab\there,\r\nlines\n商汤科技 — “quotes” ‘’ 😀 \u00a0 \u200b \ue000 \U0010fffd"
    assert without_control_characters(text) == text


def test_a_vertical_tab_pasted_into_an_article_title_in_the_admin_is_dropped(editor_client):
    article = ArticleFactory(title="OpenAI cuts off China")
    change = reverse("admin:articles_article_change", args=[article.pk])
    data = form_values(editor_client.get(change).content, "article_form")
    data["title"] = ["OpenAI\x0bcuts off\x01 China\x7f\uffff"]
    response = editor_client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.title == "OpenAI cuts off China"


def test_control_characters_in_an_inline_row_and_a_long_text_are_dropped(editor_client):
    entity = EntityFactory(name="SenseTime")
    change = reverse("admin:entities_entity_change", args=[entity.pk])
    data = form_values(editor_client.get(change).content, "entity_form")
    data["aliases-0-name"] = ["商汤\x08科技"]
    data["aliases-0-language"] = ["zh-Hans"]
    data["description"] = ["A company.\x0b\r\nIt makes\x1b models."]
    response = editor_client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Alias.objects.get(entity=entity).name == "商汤科技"
    assert Entity.objects.get(pk=entity.pk).description == "A company. \r\nIt makes models."


def test_a_title_of_control_characters_only_is_refused_as_blank(editor_client):
    article = ArticleFactory(title="OpenAI cuts off China")
    change = reverse("admin:articles_article_change", args=[article.pk])
    data = form_values(editor_client.get(change).content, "article_form")
    data["title"] = ["\x01\x02\x7f"]
    response = editor_client.post(change, data)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "OpenAI cuts off China"


def test_the_form_shown_again_shows_the_value_without_them(editor_client):
    article = ArticleFactory()
    change = reverse("admin:articles_article_change", args=[article.pk])
    data = form_values(editor_client.get(change).content, "article_form")
    data["title"] = ["Clean\x0btitle"]
    data["slug"] = ["not a slug!"]
    page = editor_client.post(change, data).content.decode()
    assert 'value="Clean title"' in page


def test_the_import_forms_pasted_capture_loses_them():
    form = ImportForm(
        data={
            "text": "OpenAI\x0bblocks its API\x01 in\x00 China\nJuly 9, 2024\n"
            "OpenAI began blocking API traffic from mainland China on Tuesday.\x7f\n"
            "Developers in Shenzhen said they were moving to domestic models.\n"
        }
    )
    assert form.is_valid(), form.errors
    [extracted] = form.cleaned_data["extracted"]
    assert extracted.title.value == "OpenAI blocks its API in China"
    assert not {"\x00", "\x01", "\x7f"} & set(extracted.raw)


def test_any_form_drops_them_not_only_the_admins():
    class Plain(forms.Form):
        name = forms.CharField()
        names = forms.MultipleChoiceField(choices=[("a", "a"), ("b", "b")])

    form = Plain(data={"name": "a\x00b\x1fc", "names": ["a\x01", "b"]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"name": "abc", "names": ["a", "b"]}


def test_a_password_is_checked_as_typed(client):
    # A secret is compared, never shown: what was typed is what is checked.
    get_user_model().objects.create_user(username="ed", password="correct\x01horse", is_staff=True)
    login = reverse("admin:login")
    refused = client.post(login, {"username": "ed", "password": "correcthorse"})
    assert refused.status_code == 200
    accepted = client.post(login, {"username": "ed", "password": "correct\x01horse"})
    assert accepted.status_code == 302


def test_a_public_filter_form_reads_its_values_without_them():
    filterset = ArticleFilter({"language": "z\x0bh\x01"}, queryset=Article.objects.all())
    assert filterset.form.is_valid(), filterset.form.errors
    assert filterset.form.cleaned_data["language"] == "z h"
