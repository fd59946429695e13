"""A claim's statement reads as a sentence in the admin's list, not three words a line."""

import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse

from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db
STATEMENT = (
    "OpenAI's decision to block API access from mainland China and Hong Kong will push "
    "developers towards domestic large language models such as those of Zhipu, Moonshot "
    "and Baidu, which have announced free migration programmes for affected customers."
)


def test_the_statement_column_is_styled_and_keeps_the_full_text(client, editor):
    article = ArticleFactory(title="A very long headline " * 8)
    ClaimFactory(statement=STATEMENT, article=article)
    client.force_login(editor)
    page = BeautifulSoup(
        client.get(reverse("admin:entities_claim_changelist")).content, "html.parser"
    )
    cell = page.select_one(
        "#result_list td.field-statement_text, #result_list th.field-statement_text"
    )
    assert cell is not None, "the statement column has no class of its own"
    text = cell.select_one(".claim-statement")
    assert text["title"] == STATEMENT  # the whole sentence on hover
    assert text.get_text().endswith("…") and len(text.get_text()) <= 160
    stylesheets = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assert any(href.endswith("css/admin.css") for href in stylesheets)


def test_the_stylesheet_gives_the_statement_room():
    css = (settings.BASE_DIR / "static" / "css" / "admin.css").read_text()
    rule = re.search(r"\.claim-statement\s*\{([^}]*)\}", css)
    assert rule and "min-width" in rule.group(1)
