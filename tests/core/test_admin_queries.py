"""Admin change pages cost a fixed number of queries, however many links an item has."""

import pytest
from django.urls import reverse

from entities.models import ClaimEntity, ClaimRelation, Mention, Participation
from tests.factories import (
    AliasFactory,
    ArticleFactory,
    ClaimFactory,
    EntityFactory,
    EventFactory,
)

pytestmark = pytest.mark.django_db


def grow(entity, event, article, claim, n):
    for _ in range(n):
        Mention.objects.create(article=ArticleFactory(), entity=entity)
        Mention.objects.create(article=article, entity=EntityFactory())
        Participation.objects.create(event=EventFactory(), entity=entity, role="responded")
        Participation.objects.create(event=event, entity=EntityFactory(), role="responded")
        event.event_sources.create(article=ArticleFactory())
        AliasFactory(entity=entity)
        ClaimEntity.objects.create(claim=claim, entity=EntityFactory())
        claim.event_links.create(event=EventFactory())
        ClaimRelation.objects.create(source=claim, target=ClaimFactory(), kind="supports")


def test_change_pages_do_not_grow_with_their_links(editor_client, django_assert_max_num_queries):
    entity, event, article, claim = (
        EntityFactory(),
        EventFactory(),
        ArticleFactory(),
        ClaimFactory(),
    )
    urls = [
        reverse("admin:entities_entity_change", args=[entity.pk]),
        reverse("admin:entities_event_change", args=[event.pk]),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:entities_claim_change", args=[claim.pk]),
    ]
    grow(entity, event, article, claim, 1)
    baseline = {}
    for url in urls:
        with django_assert_max_num_queries(40) as captured:
            assert editor_client.get(url).status_code == 200
        baseline[url] = len(captured.captured_queries)
    grow(entity, event, article, claim, 6)
    for url in urls:
        with django_assert_max_num_queries(baseline[url]):
            assert editor_client.get(url).status_code == 200
