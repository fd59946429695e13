"""One registry of content kinds: every public model is declared once, and each layer reads it."""

import datetime

import pytest
import reversion
from django.apps import apps
from django.core import checks
from django.template import Context, Template
from django.urls import reverse

from aiwatch.core import registry
from aiwatch.core.dates import display_date, iso_date
from aiwatch.search.checks import search_kinds_match
from articles.models import Article, Original, Source
from entities.models import Alias, Claim, Entity, Event
from tests.factories import ArticleFactory, ClaimFactory, EntityFactory, EventFactory


def test_every_model_with_a_public_page_is_a_registered_kind():
    assert [kind.model for kind in registry.kinds()] == [Source, Article, Entity, Event, Claim]
    assert registry.of(Claim).key == "claim"
    assert registry.by_key("article").model is Article


def test_every_content_and_link_model_is_in_the_history():
    content = [
        m
        for m in apps.get_models()
        if m._meta.app_label in ("articles", "entities")
        # An imported file never changes (the database refuses it): no history to keep.
        and m is not Original
    ]
    assert content, "the apps define models"
    assert [m for m in content if not reversion.is_registered(m)] == []


def test_a_version_carries_the_links_its_kind_declares():
    # The admin registers its models with reversion first; the kind's declaration must win.
    for kind in registry.kinds():
        assert reversion.revisions._get_options(kind.model).follow == kind.follow, kind
    assert "aliases" in registry.of(Entity).follow


def test_the_sitemap_sections_come_from_the_kinds(client, db):
    ArticleFactory(title="Listed article")
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    sections = response.context["urlset"]
    priorities = {str(url["priority"]) for url in sections}
    # Articles (0.8) are listed; outlets have no priority, so no section.
    assert "0.8" in priorities
    assert not any("/sources/" in url["location"] for url in sections)


class _Unindexed(registry.ContentKind):
    key = "statement"

    def indexed(self):
        return Article.objects.none()


def test_a_searched_kind_without_a_search_kind_value_fails_the_checks(monkeypatch):
    assert search_kinds_match(None) == []
    fake = _Unindexed()
    fake.model = type("Statement", (), {})
    monkeypatch.setitem(registry._kinds, fake.model, fake)
    errors = search_kinds_match(None)
    assert [e.id for e in errors] == ["search.E001"]
    assert isinstance(errors[0], checks.Error)
    assert "statement" in errors[0].msg


@pytest.mark.django_db
def test_a_change_names_the_entries_that_carry_its_text():
    claimant = EntityFactory(name="Zhipu AI")
    event = EventFactory(title="Free tokens offered")
    event.participations.create(entity=claimant, role="offered tokens")
    claim = ClaimFactory(claimant=claimant)
    affected = set(registry.affected(claimant))
    assert ("entity", claimant.pk) in affected
    assert ("claim", claim.pk) in affected
    assert ("event", event.pk) in affected
    # An article's claims carry its date and outlet.
    assert ("claim", claim.pk) in set(registry.affected(claim.article))


@pytest.mark.parametrize(
    ("precision", "shown", "iso"),
    [
        ("day", "9 July 2024", "2024-07-09"),
        ("month", "July 2024", "2024-07"),
        ("year", "2024", "2024"),
    ],
)
def test_a_date_is_shown_as_precisely_as_it_is_known(precision, shown, iso):
    day = datetime.date(2024, 7, 9)
    assert display_date(day, precision) == shown
    assert iso_date(day, precision) == iso


def test_no_date_shows_nothing():
    assert display_date(None) == ""


def test_jsonld_of_something_that_is_not_content_renders_nothing(rf):
    template = Template("{% load aiwatch %}[{% jsonld obj %}]")
    assert template.render(Context({"request": rf.get("/"), "obj": None})) == "[]"


def test_a_model_watched_after_search_connected_fails_the_checks(monkeypatch):
    monkeypatch.setitem(registry._watchers, Alias, [])
    assert search_kinds_match(None) == []  # Alias is connected at start-up
    late = type("LateLink", (), {"_meta": type("Meta", (), {"label": "late.Link"})})
    monkeypatch.setitem(registry._watchers, late, [])
    assert [e.id for e in search_kinds_match(None)] == ["search.E003"]


@pytest.mark.django_db
def test_emptying_the_index_is_one_statement(django_assert_max_num_queries):
    # No delete receiver on SearchEntry: Django's fast delete, not a fetch of every row.
    from aiwatch.search.indexing import rebuild
    from aiwatch.search.models import SearchEntry

    EntityFactory(name="Baichuan")
    EntityFactory(name="Moonshot AI")
    assert rebuild() == 2
    with django_assert_max_num_queries(1):
        SearchEntry.objects.all().delete()
    assert not SearchEntry.objects.exists()
