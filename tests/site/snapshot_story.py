"""A small story with something of every kind held back: drafts, suggestions, hidden ends."""

from aiwatch.core.publishing import Status
from articles.models import Republication
from entities.models import (
    ClaimAppearance,
    ClaimEntity,
    ClaimRelation,
    EventSource,
    Mention,
    Participation,
)
from tests.factories import (
    AliasFactory,
    ArticleFactory,
    ClaimFactory,
    EntityFactory,
    EventFactory,
    RepublicationFactory,
    SourceFactory,
)

DRAFT = Status.DRAFT


def make_story() -> dict:
    """Published rows, and beside each a hidden one whose text says HIDDEN."""
    outlet = SourceFactory(name="Open Outlet")
    article = ArticleFactory(title="Open article on free tokens", source=outlet)
    copy = ArticleFactory(title="Open copy of the article", source=outlet)
    draft_article = ArticleFactory(
        title="HIDDEN draft article",
        source=SourceFactory(name="HIDDEN outlet with drafts only"),
        status=DRAFT,
    )
    openai = EntityFactory(name="OpenAI")
    zhipu = EntityFactory(name="Zhipu AI")
    hidden_entity = EntityFactory(name="HIDDEN draft entity", status=DRAFT)
    AliasFactory(entity=zhipu, name="智谱")
    AliasFactory(entity=hidden_entity, name="HIDDEN alias")
    event = EventFactory(title="Open event: the block begins")
    EventFactory(title="HIDDEN draft event", status=DRAFT)
    Participation.objects.create(event=event, entity=openai, role="blocked access")
    Participation.objects.create(event=event, entity=hidden_entity, role="HIDDEN role")
    EventSource.objects.create(event=event, article=article)
    EventSource.objects.create(event=event, article=draft_article)
    Mention.objects.create(article=article, entity=openai)
    Mention.objects.create(article=article, entity=zhipu, status="suggested")
    Mention.objects.create(article=draft_article, entity=openai)
    claim = ClaimFactory(
        statement="Open claim: OpenAI blocks China", claimant=openai, article=article
    )
    deprecated = ClaimFactory(
        statement="Open claim, since retracted",
        claimant=zhipu,
        article=article,
        standing="deprecated",
        deprecation="retracted",
        standing_reason="The outlet retracted it on 12 July.",
    )
    hidden_claimant = ClaimFactory(
        statement="HIDDEN claim by a draft entity", claimant=hidden_entity, article=article
    )
    ClaimFactory(
        statement="HIDDEN claim from a draft article", claimant=openai, article=draft_article
    )
    ClaimFactory(statement="HIDDEN draft claim", claimant=openai, article=article, status=DRAFT)
    ClaimEntity.objects.create(claim=claim, entity=zhipu)
    ClaimEntity.objects.create(claim=claim, entity=hidden_entity)
    ClaimRelation.objects.create(source=claim, target=deprecated, kind="contradicts")
    ClaimRelation.objects.create(source=claim, target=hidden_claimant, kind="supports")
    restated = "OpenAI will block API traffic from China"
    ClaimAppearance.objects.create(claim=claim, article=copy, quote=restated)
    ClaimAppearance.objects.create(claim=claim, article=draft_article, quote=restated)
    RepublicationFactory(copy=copy, original=article)
    RepublicationFactory(
        copy=draft_article, original=article, status=Republication.Status.CONFIRMED
    )
    return {
        "article": article,
        "copy": copy,
        "openai": openai,
        "zhipu": zhipu,
        "event": event,
        "claim": claim,
        "deprecated": deprecated,
    }
