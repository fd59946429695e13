"""Navigating the timeline: a dot in the SVG or an item in the list leads to the event."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def assert_on_event_page(site, event):
    page = site.page
    page.wait_for_url(re.compile(re.escape(event.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(event.title)
    section = page.locator("section", has=page.locator("#participants-heading"))
    expect(section.get_by_role("heading", level=2)).to_have_text("Who took part")
    listed = section.get_by_role("listitem")
    expect(listed).to_have_count(len(event.participants))
    for name in event.participants:
        expect(section.get_by_role("link", name=name, exact=True)).to_be_visible()


def test_a_dot_in_the_svg_timeline_leads_to_its_event(site, story):
    page = site.page
    event = story.latest_event
    site.visit("/events/")
    svg = page.locator(".timeline-svg svg")
    expect(svg).to_be_visible()
    dots = svg.locator("a")
    assert dots.count() > 1, "the SVG timeline shows no events"
    # Each dot is a link named by its <title>: the date and the event.
    dot = svg.get_by_role("link", name=re.compile(re.escape(event.title)))
    expect(dot).to_have_count(1)
    # A mouse can reach the dot: nothing is drawn over its centre.
    box = dot.bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hit = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('a')?.getAttribute('href')",
        list(centre),
    )
    assert hit == event.url, f"the dot for {event.url} is covered by {hit}"

    page.mouse.click(*centre)
    assert_on_event_page(site, event)
    site.check("event-from-timeline-dot")


def test_an_item_in_the_timeline_list_leads_to_its_event(site, story):
    page = site.page
    event = story.busiest_event
    site.visit("/events/")
    item = page.locator("ol.timeline-full > li", has_text=event.title)
    expect(item).to_have_count(1)
    expect(item.locator("time")).to_be_visible()
    item.get_by_role("link", name=event.title).click()
    assert_on_event_page(site, event)
    site.assert_no_console_errors()


def test_the_timeline_dots_can_be_reached_with_the_keyboard(site, story):
    page = site.page
    event = story.latest_event
    site.visit("/events/")
    dot = page.locator(".timeline-svg").get_by_role("link", name=re.compile(re.escape(event.title)))
    dot.focus()
    site.assert_focus_visible()
    page.keyboard.press("Enter")
    assert_on_event_page(site, event)


def test_every_dot_in_the_svg_timeline_can_be_clicked(site):
    site.visit("/events/")
    covered = site.page.evaluate(
        """() => [...document.querySelectorAll('.timeline-svg a')].filter(link => {
            const box = link.querySelector('circle').getBoundingClientRect();
            const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return hit?.closest('a') !== link;
        }).map(link => link.getAttribute('href'))"""
    )
    assert not covered, f"these events' dots are covered by others: {covered}"
