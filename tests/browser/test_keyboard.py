"""Keyboard only: the skip link, the search box and the menu, with the focus always visible."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NAV = ["Articles", "Entities", "Timeline", "Claims"]


def test_tab_order_from_the_top_of_the_page(site):
    site.visit("/")
    first = site.tab()
    assert first["classes"] == "skip-link", f"the first Tab went to {first}"
    assert first["name"] == "Skip to content"
    site.assert_focus_visible()  # the skip link shows itself when focused

    brand = site.tab()
    assert brand["href"] == "/", f"after the skip link came {brand}"
    site.assert_focus_visible()

    search = site.tab()
    assert search["id"] == "site-search", f"the search box did not come next but {search}"
    site.assert_focus_visible()

    button = site.tab()
    assert (button["tag"], button["name"]) == ("button", "Search")
    site.assert_focus_visible()

    for name in NAV:
        link = site.tab()
        assert link["inNav"] and link["name"] == name, f"expected the {name} link, got {link}"
        site.assert_focus_visible()
    site.screenshot("keyboard-focus-on-nav", full_page=False)


def test_the_skip_link_moves_on_to_the_content(site):
    site.visit("/")
    site.tab()
    site.page.keyboard.press("Enter")
    assert site.page.url.endswith("#main")
    after = site.tab()
    assert after["inMain"], f"Tab after the skip link went to {after}, outside <main>"
    site.assert_focus_visible()


def test_search_with_the_keyboard_only(site):
    page = site.page
    site.visit("/")
    focus = site.tab(3)  # skip link, home link, search box
    assert focus["id"] == "site-search"
    page.keyboard.type("sensetime")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=sensetime$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “sensetime”")
    expect(page.locator("ol.results > li").first).to_be_visible()
    # The query stays in the box for another try.
    expect(page.locator("#site-search")).to_have_value("sensetime")
    site.assert_no_console_errors()

    # From the results, the keyboard reaches a result and opens it.
    page.locator("#site-search").focus()
    for _ in range(60):
        focus = site.tab()
        if focus and "result-title" in focus["classes"]:
            break
    else:
        pytest.fail("Tab never reached a search result")
    site.assert_focus_visible()
    href = focus["href"]
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(href) + "$"))
    site.assert_no_console_errors()


def test_the_menu_works_with_the_keyboard(site):
    page = site.page
    site.visit("/")
    site.tab(4)  # skip link, home link, search box, search button
    focus = site.tab(3)  # Articles, Entities, Timeline
    assert focus["name"] == "Timeline"
    site.assert_focus_visible()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/events/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Timeline")
    # Back at the top of the new page, the same order holds.
    focus = site.tab()
    assert focus["classes"] == "skip-link"
    site.assert_no_console_errors()
