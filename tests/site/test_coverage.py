"""/coverage/: articles per outlet per week, events per month; republications counted once."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from articles.models import Republication
from entities.models import Mention, Participation
from tests.factories import (
    ArticleFactory,
    EntityFactory,
    EventFactory,
    RepublicationFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db
JULY_1, JULY_8 = datetime.date(2024, 7, 1), datetime.date(2024, 7, 8)


@pytest.fixture
def coverage():
    wire, daily = SourceFactory(name="Wire"), SourceFactory(name="Daily")
    story = ArticleFactory(source=wire, published_on=JULY_1 + datetime.timedelta(days=2))
    ArticleFactory(source=wire, published_on=JULY_1)
    ArticleFactory(source=wire, published_on=JULY_8, role="analysis")
    copy = ArticleFactory(source=daily, published_on=JULY_8)
    RepublicationFactory(copy=copy, original=story, status=Republication.Status.CONFIRMED)
    ArticleFactory(source=daily, published_on=JULY_8, status="draft")
    ArticleFactory(source=daily, published_on=None)
    openai = EntityFactory(name="OpenAI")
    Mention.objects.create(article=story, entity=openai)
    block = EventFactory(date=datetime.date(2024, 7, 9))
    EventFactory(date=datetime.date(2024, 6, 25))
    EventFactory(date=datetime.date(2024, 6, 1), date_precision="month")
    EventFactory(date=datetime.date(2023, 1, 1), date_precision="year")
    EventFactory(date=datetime.date(2024, 6, 3), status="draft")
    Participation.objects.create(event=block, entity=openai, role="blocked access")
    return {"openai": openai}


def rows(soup, caption):
    table = soup.find("caption", string=lambda s: s and s.startswith(caption)).parent
    return [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])] for tr in table.tbody("tr")]


def get(client, **params):
    response = client.get(reverse("coverage"), params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_articles_per_outlet_per_week_count_a_republication_once(client, coverage):
    soup = get(client)
    assert rows(soup, "Articles per outlet per week") == [
        ["Wire", "1 July 2024", "2"],
        ["Wire", "8 July 2024", "1"],
    ]
    text = soup.main.get_text(" ", strip=True)
    assert "1 republication left out" in text
    assert "1 article without a publication date is not counted" in text
    bars = [t.text for t in soup.select("#articles-heading ~ figure rect title")]
    assert bars == [
        "Wire, week of 1 July 2024: 2 articles",
        "Wire, week of 8 July 2024: 1 article",
    ]


def test_events_per_month_keep_the_year_only_ones_apart(client, coverage):
    soup = get(client)
    assert rows(soup, "The number of events in each month") == [
        ["June 2024", "2"],
        ["July 2024", "1"],
    ]
    assert "1 event known only to the year is not in the chart" in soup.main.get_text(" ")
    assert [t.text for t in soup.select("#events-heading ~ figure rect title")] == [
        "June 2024: 2 events",
        "July 2024: 1 event",
    ]


def test_an_entity_narrows_both_charts(client, coverage):
    soup = get(client, entity="openai")
    assert rows(soup, "Articles per outlet per week") == [["Wire", "1 July 2024", "1"]]
    assert rows(soup, "The number of events in each month") == [["July 2024", "1"]]
    assert soup.find(id="articles-heading").text.endswith("about OpenAI")


def test_a_role_narrows_the_articles(client, coverage):
    soup = get(client, role="analysis")
    assert rows(soup, "Articles per outlet per week") == [["Wire", "8 July 2024", "1"]]


def test_a_filter_it_cannot_read_is_reported_and_left_out(client, coverage):
    soup = get(client, entity="nobody", role="gossip")
    assert "were not understood and were ignored" in soup.find(role="alert").text
    assert len(rows(soup, "Articles per outlet per week")) == 2


def test_with_nothing_published_the_page_says_so(client):
    soup = get(client)
    assert "No published article matches these filters." in soup.main.text
    assert "No published event matches these filters." in soup.main.text


def test_the_page_costs_the_same_queries_however_many_articles(
    client, coverage, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6) as few:
        get(client, entity="openai")
    ArticleFactory.create_batch(8, published_on=JULY_8)
    with django_assert_max_num_queries(6) as many:
        get(client, entity="openai", again="1")
    assert len(many) == len(few)


def test_a_copy_whose_original_is_not_charted_counts_in_its_own_row(client, coverage):
    hidden = ArticleFactory(source=SourceFactory(name="Hidden"), status="draft")
    copy = ArticleFactory(source=SourceFactory(name="Reprint"), published_on=JULY_8)
    RepublicationFactory(copy=copy, original=hidden, status=Republication.Status.CONFIRMED)
    soup = get(client)
    assert ["Reprint", "8 July 2024", "1"] in rows(soup, "Articles per outlet per week")


def test_the_filters_that_validate_apply_beside_one_that_does_not(client, coverage):
    soup = get(client, entity="nobody", role="analysis")
    assert soup.find(role="alert") is not None
    assert rows(soup, "Articles per outlet per week") == [["Wire", "8 July 2024", "1"]]
