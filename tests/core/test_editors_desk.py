"""The admin's home is an editor's desk: what waits for them, counted, each line a filtered list."""

import pytest
from axes.models import AccessAttempt
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from articles.models import Republication
from entities.models import Mention
from tests.admin_forms import form_values
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EntityFactory,
    EventFactory,
    MentionFactory,
    RepublicationFactory,
)

pytestmark = pytest.mark.django_db
INDEX = reverse("admin:index")

ARTICLES = "Articles in review"
ENTITIES = "Entities in review"
EVENTS = "Events in review"
CLAIMS = "Claims in review"
FLAGGED = "Claims whose quote is no longer in the article"
MENTIONS = "Suggested mentions to accept or reject"
LINKS = "Suggested republication links to confirm or reject"
LOCKOUTS = "Sign-in lockouts in force"


def locked_out(username, ip, failures=5, minutes_ago=0):
    attempt = AccessAttempt.objects.create(
        username=username,
        ip_address=ip,
        user_agent="test",
        http_accept="*/*",
        path_info="/admin/login/",
        get_data="",
        post_data="",
        failures_since_start=failures,
    )
    when = timezone.now() - timezone.timedelta(minutes=minutes_ago)
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=when)


def fill_the_desk(n=1):
    for _ in range(n):
        ArticleFactory(status="review")
        ArticleFactory(status="draft")
        EntityFactory(status="review")
        EventFactory(status="review")
        ClaimFactory(status="review")
        ClaimFactory(quote="Words the article never said.")  # flagged on save
        MentionFactory(status="suggested")
        MentionFactory(status="accepted")
        RepublicationFactory()
        RepublicationFactory(status="confirmed")
    locked_out("ed", "203.0.113.5")
    locked_out("old", "203.0.113.6", minutes_ago=30)  # lifted already
    locked_out("typo", "203.0.113.7", failures=2)  # not locked


def desk(client) -> dict[str, tuple[int, str]]:
    """Each line of the desk: its count and where it leads."""
    page = BeautifulSoup(client.get(INDEX).content, "html.parser")
    box = page.find(id="editors-desk")
    assert box is not None, "the admin's home has no desk"
    lines = {}
    for row in box.select("tr.desk-line"):
        link = row.find("a")
        lines[link.get_text(" ", strip=True)] = (
            int(row.select_one(".desk-count").get_text()),
            link["href"],
        )
    return lines


def test_the_desk_counts_what_waits_and_each_line_opens_that_list(client, editor):
    fill_the_desk()
    client.force_login(editor)
    lines = desk(client)
    suggested = Mention.objects.filter(status="suggested").count()
    links = Republication.objects.filter(status="suggested").count()
    expected = {
        ARTICLES: 1,
        ENTITIES: 1,
        EVENTS: 1,
        CLAIMS: 1,
        FLAGGED: 1,
        MENTIONS: suggested,
        LINKS: links,
        LOCKOUTS: 1,
    }
    assert {name: count for name, (count, _) in lines.items()} == expected
    for name, (count, href) in lines.items():
        response = client.get(href)
        assert response.status_code == 200, name
        assert "?e=" not in response.get("Location", ""), name
        assert response.context["cl"].result_count == count, name


def test_an_editor_sees_the_work_but_not_the_lockouts(client, editor_only):
    fill_the_desk()
    client.force_login(editor_only)
    lines = desk(client)
    assert {ARTICLES, ENTITIES, EVENTS, CLAIMS, FLAGGED, MENTIONS, LINKS} <= set(lines)
    assert LOCKOUTS not in lines


def test_an_editor_can_confirm_a_suggested_republication_link(client, editor_only):
    link = RepublicationFactory()
    client.force_login(editor_only)
    url = reverse("admin:articles_republication_change", args=[link.pk])
    values = form_values(client.get(url).content, "republication_form")
    values["status"] = ["confirmed"]
    response = client.post(url, values)
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.status == "confirmed"


def test_a_chief_editor_sees_the_lockouts(client, chief_editor):
    fill_the_desk()
    client.force_login(chief_editor)
    count, href = desk(client)[LOCKOUTS]
    assert count == 1
    assert client.get(href).context["cl"].result_count == 1


def test_an_empty_desk_says_nothing_waits(client, editor):
    client.force_login(editor)
    page = client.get(INDEX).content.decode()
    assert "Nothing is waiting for you" in page
    assert all(count == 0 for count, _ in desk(client).values())


@pytest.mark.parametrize("rows", [1, 6])
def test_the_desk_costs_the_same_queries_however_much_waits(
    client, editor, django_assert_max_num_queries, rows
):
    fill_the_desk(rows)
    client.force_login(editor)
    # The session, the user, the recent actions, and one count for each of the eight lines.
    with django_assert_max_num_queries(11):
        response = client.get(INDEX)
    assert 'id="editors-desk"' in response.content.decode()
