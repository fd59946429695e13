"""The database itself keeps the graph consistent, whatever code writes to it."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from entities.models import Alias, ClaimRelation, Entity, Mention, Participation
from tests.factories import ArticleFactory, ClaimFactory, EntityFactory, EventFactory

pytestmark = pytest.mark.django_db


def refused(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_a_claim_cannot_relate_to_itself():
    claim = ClaimFactory()
    refused(lambda: ClaimRelation.objects.create(source=claim, target=claim, kind="supports"))


def test_the_same_relation_cannot_be_recorded_twice():
    a, b = ClaimFactory(), ClaimFactory()
    ClaimRelation.objects.create(source=a, target=b, kind="supports")
    refused(lambda: ClaimRelation.objects.create(source=a, target=b, kind="supports"))
    # A different kind between the same pair is a different statement and is allowed.
    ClaimRelation.objects.create(source=a, target=b, kind="updates")


def test_an_entity_is_mentioned_once_per_article():
    mention = Mention.objects.create(article=ArticleFactory(), entity=EntityFactory())
    refused(lambda: Mention.objects.create(article=mention.article, entity=mention.entity))


def test_an_event_cannot_end_before_it_starts():
    refused(
        lambda: EventFactory(date=datetime.date(2024, 7, 9), end_date=datetime.date(2024, 7, 1))
    )


@pytest.mark.parametrize(
    ("precision", "date"),
    [("month", datetime.date(2024, 7, 9)), ("year", datetime.date(2024, 7, 1))],
)
def test_an_imprecise_date_is_stored_as_the_start_of_its_period(precision, date):
    refused(lambda: EventFactory(date=date, date_precision=precision))


def test_month_precision_on_the_first_is_accepted():
    event = EventFactory(date=datetime.date(2024, 7, 1), date_precision="month")
    assert event.date_display == "July 2024"


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("entities_entity", "kind", "'planet'"),
        ("entities_claim", "kind", "'rumour'"),
        ("entities_claim", "verification", "'maybe'"),
        ("entities_event", "date_precision", "'week'"),
        ("entities_entity", "status", "'secret'"),
        ("articles_article", "status", "'secret'"),
    ],
)
def test_choices_are_enforced_by_the_database(table, column, value):
    ClaimFactory()
    EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = {value}")


def test_a_verdict_needs_a_reason():
    refused(lambda: ClaimFactory(verification="refuted", verification_reason=""))
    claim = ClaimFactory(verification="refuted", verification_reason="The block began on 9 July.")
    assert claim.get_verification_display() == "Refuted"


def test_wikidata_ids_look_like_wikidata_ids():
    refused(lambda: EntityFactory(wikidata_id="openai"))
    assert EntityFactory(wikidata_id="Q21708200").wikidata_url.endswith("/Q21708200")


def test_deleting_a_linked_entity_is_refused_and_keeps_the_links():
    entity = EntityFactory()
    event = EventFactory()
    Participation.objects.create(event=event, entity=entity, role="blocked access")
    with pytest.raises(ProtectedError):
        entity.delete()
    assert Participation.objects.filter(entity=entity).exists()


def test_deleting_an_article_with_claims_is_refused():
    claim = ClaimFactory()
    with pytest.raises(ProtectedError):
        claim.article.delete()
    assert Entity.objects.filter(pk=claim.claimant_id).exists()


def test_deleting_an_unlinked_entity_takes_its_aliases_with_it():
    entity = EntityFactory()
    entity.aliases.create(name="商汤科技", language="zh-Hans")
    pk = entity.pk
    entity.delete()
    assert not Alias.objects.filter(entity_id=pk).exists()


def test_participation_roles_are_unique_per_event_and_entity():
    event, entity = EventFactory(), EntityFactory()
    Participation.objects.create(event=event, entity=entity, role="blocked access")
    refused(lambda: Participation.objects.create(event=event, entity=entity, role="blocked access"))


def test_slugs_are_unique_and_readable():
    first = EntityFactory(name="Zhipu AI")
    second = EntityFactory(name="Zhipu AI ")
    assert first.slug == "zhipu-ai"
    assert second.slug == "zhipu-ai-2"


def test_a_chinese_name_still_gets_a_stable_slug():
    entity = EntityFactory(name="智谱")
    assert entity.slug.startswith("x-")
    assert EntityFactory(name="智谱").slug == entity.slug + "-2"
