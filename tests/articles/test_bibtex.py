"""The BibTeX block survives any title: LaTeX's special characters are escaped, braces balance."""

import datetime
import re

import pytest

from articles.citation import Citable, bibtex, latex_escape
from tests.factories import ArticleFactory, ClaimFactory, SourceFactory

SPECIALS = "\\{}$&#^_~%"
# What latex_escape may write: each special character as a command LaTeX prints it with.
ESCAPES = re.compile(
    r"\\(?:textbackslash|textbraceleft|textbraceright|textasciicircum|textasciitilde)\{\}"
    r"|\\[$&#_%]"
)
ACCESSED = datetime.date(2026, 1, 2)


def fields(entry: str) -> dict[str, str]:
    """The entry's fields, read as BibTeX reads them: every brace counts, escaped or not."""
    head, _, rest = entry.partition("{")
    assert head == "@online" and rest.endswith("}")
    values, depth, name, value = {}, 0, "", ""
    for char in rest[rest.index(",") + 1 : -1]:
        if depth == 0 and char == "{":
            depth, value = 1, ""
            continue
        if depth == 0:
            name += char
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            values[name.strip(" \n,=")] = value
            name = ""
        else:
            value += char
    assert depth == 0 and not name.strip(" \n,"), entry
    return values


def unescaped(value: str) -> set[str]:
    return set(ESCAPES.sub("", value)) & set(SPECIALS)


@pytest.mark.parametrize(
    "title",
    [
        "Ends in a backslash \\",
        "A { lone brace",
        "A } closing brace",
        "50% of $5 & #1 ^ _ ~ {x} \\emph{y}",
        "}{",
    ],
)
def test_a_hostile_title_stays_inside_its_field(title):
    entry = bibtex(Citable(key="k", title=title, url="https://x.test/", author=title), ACCESSED)
    values = fields(entry)
    assert set(values) == {"title", "author", "url", "urldate"}
    assert not unescaped(values["title"]) and not unescaped(values["author"])


def test_latex_escape_writes_each_special_character_as_latex_prints_it():
    assert latex_escape("\\") == "\\textbackslash{}"
    assert latex_escape("{}") == "\\textbraceleft{}\\textbraceright{}"
    assert latex_escape("$&#_%") == "\\$\\&\\#\\_\\%"
    assert latex_escape("^~") == "\\textasciicircum{}\\textasciitilde{}"
    assert latex_escape("OpenAI blocks China: 商汤") == "OpenAI blocks China: 商汤"


def test_a_url_and_a_key_cannot_break_the_block():
    entry = bibtex(
        Citable(key="aiwatch-a,b}{", title="T", url="https://x.test/a}b{c\\d e%20"),
        ACCESSED,
    )
    assert entry.startswith("@online{aiwatch-ab,\n")
    assert fields(entry)["url"] == "https://x.test/a%7Db%7Bc%5Cd%20e%20"


@pytest.mark.django_db
def test_the_pages_bibtex_blocks_escape_their_titles(client):
    article = ArticleFactory(title="Tokens at 50% off \\", source=SourceFactory(name="R&D {news}"))
    page = client.get(article.get_absolute_url()).content.decode()
    assert "title = {Tokens at 50\\% off \\textbackslash{}}" in page
    assert "organization = {R\\&amp;D \\textbraceleft{}news\\textbraceright{}}" in page
    claim = ClaimFactory(statement="Prices fall ~50% \\")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Prices fall \\textasciitilde{}50\\% \\textbackslash{}}" in page
