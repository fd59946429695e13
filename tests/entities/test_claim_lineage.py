"""A claim's lineage: its first known appearance, the articles that restate it, the chain of
updates and contradictions; and the admin's suggestions from quote similarity."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from entities import lineage
from entities.models import ClaimAppearance, ClaimRelation, Mention
from tests.admin_forms import form_values
from tests.factories import ArticleFactory, ClaimFactory, EntityFactory

pytestmark = pytest.mark.django_db
QUOTE = "OpenAI will block API traffic from China starting July 9"


@pytest.fixture
def claim():
    openai = EntityFactory(name="OpenAI")
    own = ArticleFactory(
        published_on=datetime.date(2024, 7, 5),
        body=f"{QUOTE}, the company said in a memo to developers.",
    )
    return ClaimFactory(claimant=openai, article=own, quote=QUOTE)


def restating(claim, day, *, language="en", words=None, status="published"):
    words = words or f"Reports said {QUOTE.lower()}."
    article = ArticleFactory(
        published_on=day, body=f"Earlier paragraph.\n\n{words}", language=language, status=status
    )
    return ClaimAppearance.objects.create(claim=claim, article=article, quote=words)


def test_the_lineage_is_every_published_appearance_oldest_first(claim):
    later = restating(claim, datetime.date(2024, 7, 8))
    earlier = restating(
        claim,
        datetime.date(2024, 7, 2),
        language="zh-Hans",
        words="OpenAI将于7月9日起封锁来自中国的API流量。",
    )
    restating(claim, datetime.date(2024, 7, 1), status="draft")
    found = lineage.appearances(claim)
    assert [a.article for a in found] == [earlier.article, claim.article, later.article]
    assert [a.language for a in found] == ["zh-Hans", "en", "en"]
    assert [a.original for a in found] == [False, True, False]


def test_the_claim_page_shows_the_first_known_appearance_and_each_restatement(client, claim):
    earlier = restating(
        claim,
        datetime.date(2024, 7, 2),
        language="zh-Hans",
        words="OpenAI将于7月9日起封锁来自中国的API流量。",
    )
    soup = BeautifulSoup(client.get(claim.get_absolute_url()).content, "html.parser")
    section = soup.find(id="lineage-heading").parent
    assert "Found in 2 articles." in section.p.text
    assert f"First known appearance: {earlier.article.title}, 2 July 2024." in section.p.text
    items = section.select("ol.lineage > li")
    assert [li.time.text for li in items] == ["2 July 2024", "5 July 2024"]
    assert "first known" in items[0].text and "quoted here" in items[1].text
    assert items[0].blockquote["lang"] == "zh-Hans"
    assert items[1].a["href"].endswith(f"#claim-{claim.pk}")


def test_the_chain_follows_updates_and_contradictions_through_published_claims(client, claim):
    update = ClaimFactory(statement="OpenAI extends the block to Macau")
    rebuttal = ClaimFactory(statement="A ministry calls the block discriminatory")
    second = ClaimFactory(statement="OpenAI clarifies the block covers Azure too")
    hidden = ClaimFactory(statement="Draft update", status="draft")
    ClaimRelation.objects.create(source=update, target=claim, kind="updates")
    ClaimRelation.objects.create(source=rebuttal, target=claim, kind="contradicts")
    ClaimRelation.objects.create(source=second, target=update, kind="updates")
    ClaimRelation.objects.create(source=hidden, target=claim, kind="updates")
    ClaimRelation.objects.create(source=ClaimFactory(), target=claim, kind="supports")
    links = lineage.chain(claim)
    assert [(link.source, link.kind, link.target) for link in links] == [
        (update, "updates", claim),
        (rebuttal, "contradicts", claim),
        (second, "updates", update),
    ]
    soup = BeautifulSoup(client.get(claim.get_absolute_url()).content, "html.parser")
    chain = soup.find("h3", string="Updates and contradictions").find_next("ol")
    assert [li.get_text(" ", strip=True).split(" ", 3)[3] for li in chain("li")] == [
        "OpenAI extends the block to Macau updates this claim",
        "A ministry calls the block discriminatory contradicts this claim",
        "OpenAI clarifies the block covers Azure too updates OpenAI extends the block to Macau",
    ]


def test_an_appearance_must_quote_its_own_article_and_not_the_claims(claim):
    other = ArticleFactory(body="Nothing about it here.")
    with pytest.raises(ValidationError, match="not in the article's text"):
        ClaimAppearance(claim=claim, article=other, quote=QUOTE).full_clean()
    with pytest.raises(ValidationError, match="the article the claim is quoted from"):
        ClaimAppearance(claim=claim, article=claim.article, quote=QUOTE).full_clean()


def test_suggestions_are_articles_naming_the_claimant_with_close_words(claim):
    close = ArticleFactory(
        body="Intro.\n\n"
        "The firm said it would block API traffic from China starting July 9. More follows."
    )
    far = ArticleFactory(body="Baidu released a new model on Tuesday.")
    unnamed = ArticleFactory(body=f"{QUOTE}.")  # close words, but not linked to OpenAI
    linked = ArticleFactory(body=f"{QUOTE}!")
    for article in (close, far, linked):
        Mention.objects.create(article=article, entity=claim.claimant)
    Mention.objects.create(article=claim.article, entity=claim.claimant)
    ClaimAppearance.objects.create(claim=claim, article=linked, quote=f"{QUOTE}!")
    found = lineage.suggestions(claim)
    assert [s.article for s in found] == [close]
    assert (
        found[0].passage == "The firm said it would block API traffic from China starting July 9."
    )
    assert found[0].score >= lineage.THRESHOLD
    assert unnamed not in [s.article for s in found]


def test_an_editor_links_a_suggested_appearance_from_the_claim_page(editor_client, claim):
    close = ArticleFactory(body=f"Analysts noted that {QUOTE.lower()}.")
    Mention.objects.create(article=close, entity=claim.claimant)
    page = editor_client.get(reverse("admin:entities_claim_change", args=[claim.pk])).content
    link = BeautifulSoup(page, "html.parser").find("a", string=close.title)
    params = parse_qs(urlsplit(link["href"]).query)
    assert params["claim"] == [str(claim.pk)] and params["article"] == [str(close.pk)]
    add = editor_client.get(link["href"]).content
    data = form_values(add)
    assert data["quote"] == [f"Analysts noted that {QUOTE.lower()}."]
    response = editor_client.post(reverse("admin:entities_claimappearance_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert claim.appearances.get().article == close


def test_the_claim_page_costs_the_same_queries_however_long_its_lineage(
    client, claim, django_assert_max_num_queries
):
    restating(claim, datetime.date(2024, 7, 8))
    with django_assert_max_num_queries(12) as few:
        client.get(claim.get_absolute_url(), {"n": 1})
    for day in range(10, 16):
        restating(claim, datetime.date(2024, 7, day))
    with django_assert_max_num_queries(12) as many:
        client.get(claim.get_absolute_url(), {"n": 2})
    assert len(many) == len(few)


def test_a_link_between_two_claims_already_in_the_chain_is_kept(claim):
    first = ClaimFactory(statement="First update")
    second = ClaimFactory(statement="Second update")
    ClaimRelation.objects.create(source=first, target=claim, kind="updates")
    ClaimRelation.objects.create(source=second, target=claim, kind="updates")
    ClaimRelation.objects.create(source=second, target=first, kind="contradicts")
    assert [(link.source, link.kind, link.target) for link in lineage.chain(claim)] == [
        (first, "updates", claim),
        (second, "updates", claim),
        (second, "contradicts", first),
    ]


def test_an_unpublished_source_article_is_not_in_the_lineage(claim):
    later = restating(claim, datetime.date(2024, 7, 8))
    claim.article.status = "draft"
    claim.article.save()
    assert [a.article for a in lineage.appearances(claim)] == [later.article]
