"""The article reader: names linked in the text, quotes marked in place, cite-this blocks."""

import datetime
import json

import pytest

from articles.citation import Citable, all_formats
from articles.reader import Link, Quote, annotate, is_heading
from entities.models import Mention
from tests.factories import AliasFactory, ArticleFactory, ClaimFactory, EntityFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_annotate_links_names_as_words_and_marks_quotes():
    html = annotate(
        "Zhipu AI and 商汤科技 offered free tokens. Metadata is not Meta.",
        [
            Link("Zhipu AI", "/z/", "Zhipu AI"),
            Link("AI", "/ai/", "AI"),
            Link("商汤科技", "/s/", "SenseTime"),
            Link("Meta", "/m/", "Meta"),
        ],
        [Quote("offered free tokens", "claim-7", "/c/7/", "Free tokens")],
    )
    assert '<a class="mention" href="/z/" title="Zhipu AI">Zhipu AI</a>' in html
    assert 'href="/ai/"' not in html  # inside the longer name
    assert 'title="SenseTime">商汤科技</a>' in html
    assert html.count('href="/m/"') == 1  # "Metadata" is not a mention of Meta
    assert '<mark class="quote" id="claim-7">offered free tokens' in html


def test_annotate_escapes_the_text():
    assert "&lt;script&gt;" in annotate("<script>x</script> Meta", [Link("Meta", "/m/", "M")], [])


def test_headings_are_told_from_paragraphs():
    assert is_heading("Impact on the Chinese AI Community")
    assert not is_heading("OpenAI has notified its users in China that they will be blocked.")


def test_the_reader_links_mentions_and_anchors_each_claim(client):
    article = ArticleFactory(
        body="SenseTime offered free tokens to developers.\n\nLong-Term Implications"
    )
    sensetime = EntityFactory(name="SenseTime")
    AliasFactory(entity=sensetime, name="商汤")
    Mention.objects.create(article=article, entity=sensetime)
    claim = ClaimFactory(article=article, quote="offered free tokens")
    hidden = ClaimFactory(article=article, quote="to developers", status="draft")
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{sensetime.get_absolute_url()}"' in page
    assert f'id="claim-{claim.pk}"' in page and f'href="#claim-{claim.pk}"' in page
    assert f'id="claim-{hidden.pk}"' not in page
    assert "<h2>Long-Term Implications</h2>" in page


def test_the_claim_page_links_to_its_quote_in_place(client):
    claim = ClaimFactory()
    page = client.get(claim.get_absolute_url()).content.decode()
    assert f'href="{claim.article.get_absolute_url()}#claim-{claim.pk}"' in page


def test_cite_this_article_in_three_formats(client):
    article = ArticleFactory(
        title="OpenAI blocks China",
        author="A. Writer",
        source=SourceFactory(name="Tekedia"),
        original_url="https://tekedia.test/openai",
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert (
        "A. Writer. (2024, July 5). OpenAI blocks China. Tekedia. https://tekedia.test/openai"
        in page
    )
    assert "@online{aiwatch-" in page and "organization = {Tekedia}" in page
    assert "Cite this article" in page


def test_csl_json_is_valid_and_complete():
    formats = all_formats(
        Citable(
            key="k",
            title="T",
            url="https://x.test/",
            author="A",
            container="C",
            issued=datetime.date(2024, 7, 5),
        ),
        accessed=datetime.date(2026, 1, 2),
    )
    item = json.loads(formats["CSL-JSON"])[0]
    assert item["issued"] == {"date-parts": [[2024, 7, 5]]}
    assert item["container-title"] == "C" and item["author"] == [{"literal": "A"}]
    assert formats["APA"] == "A. (2024, July 5). T. C. https://x.test/"
    undated = all_formats(Citable(key="k", title="T.", url="u"), accessed=datetime.date(2026, 1, 2))
    assert undated["APA"] == "T. (n.d.). Retrieved January 2, 2026, from u"


def test_cite_this_claim(client):
    claim = ClaimFactory(statement="OpenAI blocks China.")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Cite this claim" in page and "aiwatch-claim-" in page
