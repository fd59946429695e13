"""A phone-sized screen: nothing scrolls sideways, and the menu and search work by touch."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.browser_context_args(
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    ),
]

NAV = ["Articles", "Entities", "Timeline", "Claims"]

PHONE_PAGES = [
    ("home", lambda story: "/"),
    ("article-list", lambda story: "/articles/"),
    ("article", lambda story: story.article_url),
    ("entity-list", lambda story: "/entities/"),
    ("entity-sensetime", lambda story: story.sensetime_url),
    ("timeline", lambda story: "/events/"),
    ("event", lambda story: story.busiest_event.url),
    ("claim-list", lambda story: "/claims/"),
    ("claim", lambda story: story.claim_url),
    ("search-results", lambda story: "/search/?q=sensetime"),
]
SCREENSHOTS = {"home", "article", "timeline", "search-results"}


def assert_no_horizontal_scroll(page):
    width, client = page.evaluate(
        "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    if width > client:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > innerWidth + 0.5)
                .slice(-5).map(el => el.outerHTML.slice(0, 120))"""
        )
        pytest.fail(f"{page.url} scrolls sideways ({width}px > {client}px); too wide: {wide}")


@pytest.mark.parametrize(("name", "path"), PHONE_PAGES, ids=[p[0] for p in PHONE_PAGES])
def test_no_horizontal_scroll_on_a_phone(site, story, name, path):
    site.visit(path(story))
    assert_no_horizontal_scroll(site.page)
    site.check(f"phone-{name}" if name in SCREENSHOTS else None)


def test_the_menu_and_search_work_on_a_phone(site):
    page = site.page
    site.visit("/")
    nav = page.get_by_role("navigation", name="Main")
    for name in NAV:
        link = nav.get_by_role("link", name=name, exact=True)
        expect(link).to_be_in_viewport()
        box = link.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, f"{name} is too small to tap: {box}"

    nav.get_by_role("link", name="Claims", exact=True).tap()
    page.wait_for_url(re.compile(r"/claims/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims")

    search = page.get_by_role("searchbox", name="Search aiwatch")
    expect(search).to_be_in_viewport()
    box = search.bounding_box()
    assert box["height"] >= 24 and box["width"] >= 120, f"the search box is cramped: {box}"
    search.tap()
    search.fill("商汤")
    page.get_by_role("search").get_by_role("button", name="Search").tap()
    page.wait_for_url(re.compile(r"/search/\?q="))
    expect(page.locator("ol.results > li").first).to_be_visible()
    assert_no_horizontal_scroll(page)
    site.assert_no_console_errors()


def test_the_timeline_works_on_a_phone(site, story):
    page = site.page
    event = story.busiest_event
    site.visit("/events/")
    # The SVG chart is too small to read on a phone; the list says the same.
    expect(page.locator(".timeline-svg")).to_be_hidden()
    link = page.locator("ol.timeline-full").get_by_role("link", name=event.title)
    link.scroll_into_view_if_needed()
    link.tap()
    page.wait_for_url(re.compile(re.escape(event.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(event.title)
    assert_no_horizontal_scroll(page)
    site.assert_no_console_errors()
