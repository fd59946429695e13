"""Every kind of page: no console errors (CSP violations included) and no axe violations."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ZERO_RESULTS = "/search/?q=zzqxjvunfindable"

# (screenshot name, the page's path from the story, expected status)
PAGES = [
    ("home", lambda story: "/", 200),
    ("article-list", lambda story: "/articles/", 200),
    ("article", lambda story: story.article_url, 200),
    ("entity-list", lambda story: "/entities/", 200),
    ("entity-sensetime", lambda story: story.sensetime_url, 200),
    ("timeline", lambda story: "/events/", 200),
    ("event", lambda story: story.busiest_event.url, 200),
    ("claim-list", lambda story: "/claims/", 200),
    ("claim", lambda story: story.claim_url, 200),
    ("search-results", lambda story: "/search/?q=sensetime", 200),
    ("search-zero-results", lambda story: ZERO_RESULTS, 200),
    ("coverage", lambda story: "/coverage/", 200),
    ("coverage-filtered", lambda story: "/coverage/?entity=openai&role=analysis", 200),
    ("network", lambda story: "/network/", 200),
    ("data", lambda story: "/data/", 200),
    ("data-version", lambda story: "/data/v1/", 200),
    ("not-found", lambda story: "/no-such-page/", 404),
]


@pytest.mark.parametrize(("name", "path", "status"), PAGES, ids=[p[0] for p in PAGES])
def test_page_is_accessible_and_error_free(site, story, name, path, status):
    site.visit(path(story), status=status)
    site.check(name)


def test_search_pages_show_what_they_should(site):
    site.visit("/search/?q=sensetime")
    assert site.page.locator("ol.results > li").count() > 0
    site.visit(ZERO_RESULTS)
    assert site.page.locator("ol.results > li").count() == 0
    assert site.page.get_by_text("Nothing matched").is_visible()
