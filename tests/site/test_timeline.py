"""The timeline: in date order, as precise as known, drawn as SVG without JavaScript."""

import datetime
import re

import pytest
from django.urls import reverse

from aiwatch.site import timeline
from entities.models import ClaimRelation, Participation
from tests.factories import ClaimFactory, EntityFactory, EventFactory

pytestmark = pytest.mark.django_db


def test_the_svg_places_events_by_date_and_links_each(client):
    early = EventFactory(title="Hack", date=datetime.date(2023, 1, 1), date_precision="year")
    late = EventFactory(title="Block", date=datetime.date(2024, 7, 9))
    page = client.get(reverse("entities:event-list")).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "<script" not in page.lower()
    xs = [float(x) for x in re.findall(r'<circle class="[^"]*" cx="([\d.]+)"', svg)]
    assert len(xs) == 2 and xs[0] < xs[1]
    assert (
        f'href="{early.get_absolute_url()}"' in svg and f'href="{late.get_absolute_url()}"' in svg
    )
    assert 'class="dot imprecise"' in svg  # the year-precise hack is drawn hollow
    assert "<title>2023: Hack</title>" in svg


def test_layout_spans_whole_years():
    events = [EventFactory(date=datetime.date(2024, 7, 9))]
    data = timeline.layout(events)
    assert [t.label for t in data["ticks"]] == ["2024", "2025"]
    assert data["ticks"][0].x < data["points"][0].x < data["ticks"][1].x
    assert timeline.layout([]) is None


def test_timeline_filters_by_kind_of_participant(client):
    person = EntityFactory(name="Winston Ma", kind="person")
    company = EntityFactory(name="Baidu", kind="company")
    talk = EventFactory(title="Ma speaks")
    offer = EventFactory(title="Baidu offers tokens")
    Participation.objects.create(event=talk, entity=person, role="commented")
    Participation.objects.create(event=offer, entity=company, role="offered")
    page = client.get(reverse("entities:event-list"), {"kind": "person"}).content.decode()
    assert "Ma speaks" in page and "Baidu offers tokens" not in page


def test_home_shows_the_timeline_strip_and_the_most_disputed_claims(client):
    EventFactory(title="Block")
    calm = ClaimFactory(statement="A calm claim")
    hot = ClaimFactory(statement="A hotly disputed claim")
    for _ in range(2):
        ClaimRelation.objects.create(source=ClaimFactory(), target=hot, kind="contradicts")
    ClaimRelation.objects.create(source=ClaimFactory(), target=calm, kind="supports")
    page = client.get(reverse("home")).content.decode()
    assert "<svg" in page and 'role="search"' in page
    section = page[page.index("Most disputed claims") :]
    assert section.index("A hotly disputed claim") < section.index("A calm claim")


def test_dots_that_would_overlap_are_stacked():
    same_day = [EventFactory(date=datetime.date(2024, 6, 1)) for _ in range(3)]
    data = timeline.layout(same_day)
    assert len({p.y for p in data["points"]}) == 3  # three rows, none hidden
    assert data["height"] > timeline.layout(same_day[:1])["height"]
