"""factory_boy factories for every model; published by default so pages show them."""

import datetime

import factory

from aiwatch.core.publishing import Status
from articles.models import Article, Original, Republication, Source
from entities import models as m


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Outlet {n}")
    homepage = factory.LazyAttribute(lambda o: f"https://{o.name.lower().replace(' ', '')}.test/")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"OpenAI restricts API access, report {n}")
    source = factory.SubFactory(SourceFactory)
    original_url = factory.Sequence(lambda n: f"https://news.test/story-{n}")
    published_on = datetime.date(2024, 7, 5)
    body = factory.Sequence(
        lambda n: (
            f"OpenAI will block API traffic from China starting July 9 (story {n}).\n\n"
            "Developers in Hong Kong said they would move to domestic models."
        )
    )
    raw = factory.LazyAttribute(lambda o: f"{o.title}\n\n{o.body}")
    status = Status.PUBLISHED


class OriginalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Original

    article = factory.SubFactory(ArticleFactory)
    content = b"<html><body><h1>OpenAI blocks China</h1></body></html>"
    media_type = "text/html"
    filename = "story.html"


class RepublicationFactory(factory.django.DjangoModelFactory):
    """`copy` republishes `original`: suggested by the importer unless said otherwise."""

    class Meta:
        model = Republication

    copy = factory.SubFactory(ArticleFactory)
    original = factory.SubFactory(ArticleFactory)
    similarity = 0.83
    status = Republication.Status.SUGGESTED


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Entity

    name = factory.Sequence(lambda n: f"Entity {n}")
    kind = m.EntityKind.COMPANY
    status = Status.PUBLISHED


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Alias

    entity = factory.SubFactory(EntityFactory)
    name = factory.Sequence(lambda n: f"别名{n}")
    language = "zh-Hans"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Event

    title = factory.Sequence(lambda n: f"Event {n}")
    date = datetime.date(2024, 7, 9)
    status = Status.PUBLISHED


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Claim

    statement = factory.Sequence(lambda n: f"OpenAI blocks API access from China ({n}).")
    claimant = factory.SubFactory(EntityFactory)
    article = factory.SubFactory(ArticleFactory)
    quote = "OpenAI will block API traffic from China"
    kind = m.ClaimKind.FACT
    status = Status.PUBLISHED


class MentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Mention

    article = factory.SubFactory(ArticleFactory)
    entity = factory.SubFactory(EntityFactory)
