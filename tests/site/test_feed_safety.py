"""A feed reader has no Content-Security-Policy: every feed carries only sanitized HTML."""

from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from aiwatch.core.markup import ALLOWED_TAGS
from aiwatch.search.indexing import rebuild
from entities.models import Mention
from tests.factories import ArticleFactory, EntityFactory, EventFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"

# Markdown fields take raw HTML and links; plain-text fields are shown as text.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)></svg>",
    "[click](javascript:alert(4))",
    '<a href="javascript:alert(5)">x</a>',
    '<iframe src="javascript:alert(6)"></iframe>',
    "<details open ontoggle=alert(7)>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==">y</a>',
    '<style>body{background:url("javascript:alert(9)")}</style>',
    "<body onload=alert(10)>",
]
STORY = "tokens tokens "


class Markup(HTMLParser):
    """The tags and attributes an HTML fragment would make live in a reader."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += attrs


def live_markup(fragment: str) -> Markup:
    parser = Markup()
    parser.feed(fragment)
    parser.close()
    return parser


@pytest.fixture
def hostile():
    entity = EntityFactory(name="Tokens Lab")
    for n, payload in enumerate(PAYLOADS):
        with_summary = ArticleFactory(title=f"Tokens summary {n}", summary=f"{STORY}{payload}")
        plain = ArticleFactory(title=f"Tokens body {n}", summary="", body=f"{STORY}{payload}")
        EventFactory(title=f"Tokens event {n}", description=f"{STORY}{payload}")
        for article in (with_summary, plain):
            Mention.objects.create(article=article, entity=entity, status="accepted")
    rebuild()
    return entity


def feeds(entity):
    return [
        reverse("feeds:articles"),
        reverse("feeds:events"),
        reverse("feeds:entity", args=[entity.slug]),
        reverse("feeds:search") + "?q=tokens",
    ]


def test_no_feed_carries_live_script_or_handlers(client, hostile):
    for url in feeds(hostile):
        response = client.get(url)
        assert response.status_code == 200, url
        entries = ElementTree.fromstring(response.content).findall(f"{ATOM}entry")
        assert entries, url
        for entry in entries:
            for element in entry.iter():
                kind = element.get("type", "text")
                if kind == "text":
                    continue
                assert kind == "html", (url, element.tag)
                markup = live_markup(element.text or "")
                assert markup.tags <= ALLOWED_TAGS | {"mark"}, (url, element.text)
                for name, value in markup.attributes:
                    assert not name.startswith("on"), (url, element.text)
                    if name in ("href", "src"):
                        assert (value or "").startswith(("http:", "https:", "mailto:")), url


def test_article_and_event_summaries_are_the_pages_sanitized_html(client):
    ArticleFactory(title="Tokens summary", summary="Free **tokens** <script>alert(1)</script>")
    EventFactory(title="Tokens event", description="A [link](https://example.test/) <b>bold</b>")
    articles = client.get(reverse("feeds:articles")).content.decode()
    assert "&lt;strong&gt;tokens&lt;/strong&gt;" in articles
    assert "**tokens**" not in articles and "script" not in articles
    events = client.get(reverse("feeds:events")).content.decode()
    assert "&lt;a href=" in events and "[link]" not in events
    assert "&lt;b&gt;" not in events


def test_a_plain_text_body_reaches_the_reader_as_text(client):
    ArticleFactory(title="No summary", summary="", body="Ratio 3 < 4 & <b>not bold</b>")
    entry = ElementTree.fromstring(client.get(reverse("feeds:articles")).content).find(
        f"{ATOM}entry/{ATOM}summary"
    )
    # Once the XML is read, the HTML still escapes what the text says.
    assert "Ratio 3 &lt; 4 &amp; &lt;b&gt;not bold&lt;/b&gt;" in entry.text
    assert live_markup(entry.text).tags == set()
