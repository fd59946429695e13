"""A claim's quote must be in its article; edits that lose it flag the claim, never fail."""

import pytest
from django.core.exceptions import ValidationError

from entities.article_edits import recheck_quotes
from entities.evidence import locate_quote
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db
BODY = "OpenAI’s move — seen as “precautionary” — took effect on\n9 July."


@pytest.mark.parametrize(
    "quote",
    [
        "OpenAI’s move — seen as “precautionary”",
        'OpenAI\'s move - seen as "precautionary"',  # straight quotes, a hyphen
        "took effect on 9 July.",  # a line break in the body, a space in the quote
        "  took   effect  on 9 July. ",
    ],
)
def test_typography_differences_are_forgiven(quote):
    start, end = locate_quote(BODY, quote)
    assert BODY[start:end].replace("\n", " ").startswith(quote.strip()[:5])


@pytest.mark.parametrize("quote", ["took effect on 10 July.", "OpenAIs move", ""])
def test_other_differences_are_not(quote):
    assert locate_quote(BODY, quote) is None


def test_the_position_is_stored_for_the_reader():
    article = ArticleFactory(body=BODY)
    claim = ClaimFactory(article=article, quote="took effect on 9 July")
    assert article.body[claim.quote_start : claim.quote_end] == "took effect on\n9 July"
    assert claim.needs_review is False


def test_saving_a_quote_that_is_not_there_is_a_clear_error():
    claim = ClaimFactory.build(article=ArticleFactory(body=BODY), quote="OpenAI left on 1 July")
    with pytest.raises(ValidationError, match="not in the article"):
        claim.full_clean(exclude=["claimant", "slug"])


def test_editing_the_article_flags_the_claim_but_saves_the_edit():
    article = ArticleFactory(body=BODY)
    claim = ClaimFactory(article=article, quote="took effect on 9 July")
    article.body = "OpenAI’s move took effect in July."
    article.save()
    claim.refresh_from_db()
    article.refresh_from_db()
    assert article.body == "OpenAI’s move took effect in July."
    assert claim.needs_review is True and claim.quote_start is None
    article.body = BODY + " More text."
    article.save()
    claim.refresh_from_db()
    assert claim.needs_review is False and claim.quote_start is not None
    assert recheck_quotes(article=article) == 0
