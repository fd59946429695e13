"""A claim reached from a shared link, then its quote found in place in the article."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_shared_claim_link_leads_to_the_quote_in_its_article(site, story):
    page = site.page
    site.visit(story.claim_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(story.claim_statement)
    expect(page.locator("blockquote")).to_contain_text(story.claim_quote)
    site.assert_no_console_errors()  # axe checks the claim page in test_pages_accessible

    page.get_by_role("link", name="see the quote in place").click()
    page.wait_for_url(re.compile(re.escape(f"{story.article_url}#{story.claim_anchor}") + "$"))

    mark = page.locator(f"mark#{story.claim_anchor}")
    expect(mark).to_be_visible()
    expect(mark).to_be_in_viewport()
    expect(mark).to_contain_text(story.claim_quote)
    assert mark.evaluate("el => el.matches(':target')"), "the quote is not the :target"
    # The quote sits far down the article: the browser had to scroll to it.
    assert page.evaluate("window.scrollY") > 0
    # The quote in place is highlighted, not only scrolled to.
    assert mark.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    site.screenshot("article-quote-in-place", full_page=False)
    site.check()


def test_jump_to_the_quote_from_the_articles_claim_list(site, story):
    page = site.page
    site.visit(story.article_url)
    page.locator("aside").get_by_role(
        "link", name=f"Jump to the quote for: {story.claim_statement}"
    ).click()
    page.wait_for_url(re.compile(re.escape(f"#{story.claim_anchor}") + "$"))
    mark = page.locator(f"mark#{story.claim_anchor}")
    expect(mark).to_be_in_viewport()
    assert mark.evaluate("el => el.matches(':target')")
    # And the quote links back to its claim.
    mark.get_by_role("link", name=f"Claim: {story.claim_statement}").click()
    page.wait_for_url(re.compile(re.escape(story.claim_url) + "$"))
    site.assert_no_console_errors()
