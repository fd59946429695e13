"""Entities, events, claims and their links as every layer sees them.

Registered from EntitiesConfig.ready(); see aiwatch.core.registry for what
each part is used for. A change to a link or an alias refreshes the search
entries that carry its text: an event's entry names its participants, a
claim's its claimant and what it is about.
"""

from django.db.models import Prefetch

from aiwatch.core import registry
from aiwatch.core.dates import iso_date
from aiwatch.core.registry import ContentKind, Document
from articles.kinds import join_words, names
from articles.models import Article
from entities.models import (
    Alias,
    Claim,
    ClaimAppearance,
    ClaimEntity,
    ClaimEvent,
    ClaimRelation,
    Entity,
    EntityKind,
    Event,
    EventSource,
    Mention,
    Participation,
)

SCHEMA_TYPES = {
    EntityKind.COMPANY: "Corporation",
    EntityKind.ORGANIZATION: "Organization",
    EntityKind.PERSON: "Person",
    EntityKind.GOVERNMENT: "GovernmentOrganization",
    EntityKind.PLACE: "Place",
    EntityKind.AI_MODEL: "SoftwareApplication",
}
# A verdict as schema.org's ClaimReview rates it.
RATINGS = {"corroborated": "True", "disputed": "Mixture", "refuted": "False"}


def entity_affects(entity_id: int) -> list[tuple[str, int]]:
    """An entity's entry, and the entries that carry its name: claims, events, articles."""
    claims = Claim.objects.filter(claimant_id=entity_id).values_list("pk", flat=True)
    about = ClaimEntity.objects.filter(entity_id=entity_id).values_list("claim_id", flat=True)
    events = Participation.objects.filter(entity_id=entity_id).values_list("event_id", flat=True)
    articles = Mention.objects.filter(entity_id=entity_id).values_list("article_id", flat=True)
    return [
        ("entity", entity_id),
        *(("claim", c) for c in {*claims, *about}),
        *(("event", e) for e in events),
        *(("article", a) for a in articles),
    ]


class EntityContent(ContentKind):
    model = Entity
    key = "entity"
    follow = ("aliases", "mentions", "participations")
    sitemap_priority = 0.7

    def name(self, obj) -> str:
        return obj.name

    def indexed(self):
        return Entity.objects.published().prefetch_related("aliases")

    def document(self, obj) -> Document:
        return Document(
            title=obj.name,
            keywords=join_words(*(a.name for a in obj.aliases.all()), obj.get_kind_display()),
            body=obj.description,
            entity_ids=[obj.pk],
        )

    def affects(self, obj):
        return entity_affects(obj.pk)

    def as_json(self, obj, absolute, *, full=False, context=None) -> dict:
        data = {"name": obj.name, "kind": obj.kind, "url": absolute(obj.get_absolute_url())}
        if full:
            event, claim, article = (registry.of(m) for m in (Event, Claim, Article))
            data.update(
                aliases=[{"name": a.name, "language": a.language} for a in obj.aliases.all()],
                description=obj.description,
                website=obj.website or None,
                wikidata_id=obj.wikidata_id or None,
                events=[
                    {**event.as_json(p.event, absolute), "role": p.role}
                    for p in context["participations"]
                ],
                claims_made=[claim.as_json(c, absolute) for c in context["claims_made"]],
                claims_about=[claim.as_json(c, absolute) for c in context["claims_about"]],
                articles=[article.as_json(a, absolute) for a in context["articles"]],
                related_entities=[
                    {**registry.ref(r, absolute), "shared_articles": r.shared}
                    for r in context["related"]
                ],
            )
        return data

    def as_jsonld(self, obj, absolute) -> dict:
        data = {
            "@context": "https://schema.org",
            "@type": SCHEMA_TYPES.get(obj.kind, "Thing"),
            "name": obj.name,
            "url": absolute(obj.get_absolute_url()),
        }
        aliases = [a.name for a in obj.aliases.all()]
        if aliases:
            data["alternateName"] = aliases
        same_as = [u for u in (obj.wikidata_url, obj.website) if u]
        if same_as:
            data["sameAs"] = same_as
        if obj.description:
            data["description"] = obj.description
        return data


class EventContent(ContentKind):
    model = Event
    key = "event"
    follow = ("participations", "event_sources")
    sitemap_priority = 0.6

    def name(self, obj) -> str:
        return obj.title

    def indexed(self):
        return Event.objects.published().prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.of_published_entities().prefetch_related(
                    "entity__aliases"
                ),
            )
        )

    def document(self, obj) -> Document:
        parts = list(obj.participations.all())
        return Document(
            title=obj.title,
            # The date as words ("July 2024") lets "April 2023 breach" find the event.
            keywords=join_words(
                obj.date_display, names(p.entity for p in parts), *(p.role for p in parts)
            ),
            body=obj.description,
            date=obj.date,
            date_precision=obj.date_precision,
            entity_ids=[p.entity_id for p in parts],
        )

    def as_json(self, obj, absolute, *, full=False, context=None) -> dict:
        data = {
            "title": obj.title,
            "url": absolute(obj.get_absolute_url()),
            "date": obj.date.isoformat() if obj.date else None,
            "date_precision": obj.date_precision,
            "date_display": obj.date_display,
            "end_date": obj.end_date.isoformat() if obj.end_date else None,
        }
        if full:
            article, claim = registry.of(Article), registry.of(Claim)
            data.update(
                description=obj.description,
                participants=[
                    {**registry.ref(p.entity, absolute), "role": p.role}
                    for p in obj.participations.all()
                ],
                sources=[article.as_json(a, absolute) for a in obj.sources.all()],
                claims=[claim.as_json(c, absolute) for c in obj.claims.all()],
            )
        return data

    def as_jsonld(self, obj, absolute) -> dict:
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": obj.title,
            "url": absolute(obj.get_absolute_url()),
            # A "July 2024" event starts in 2024-07, not on 2024-07-01.
            "startDate": iso_date(obj.date, obj.date_precision),
            "eventStatus": "https://schema.org/EventScheduled",
        }
        if obj.end_date:
            data["endDate"] = obj.end_date.isoformat()
        if obj.description:
            data["description"] = obj.description
        return data


class ClaimContent(ContentKind):
    model = Claim
    key = "claim"
    follow = ("entity_links", "event_links", "relations_out", "appearances")
    sitemap_priority = 0.6

    def name(self, obj) -> str:
        return obj.statement

    def indexed(self):
        return (
            Claim.objects.published()
            .select_related("claimant", "article")
            .prefetch_related(
                Prefetch(
                    "about_entities",
                    queryset=Entity.objects.published()
                    .only("id", "name")
                    .prefetch_related("aliases"),
                )
            )
        )

    def document(self, obj) -> Document:
        claimant_published = obj.claimant.is_published
        about = list(obj.about_entities.all())
        return Document(
            title=obj.statement,
            keywords=join_words(obj.claimant.name if claimant_published else "", names(about)),
            body="\n\n".join(filter(None, [obj.quote, obj.verification_reason])),
            # A claim is dated and placed by the article it was made in.
            date=obj.article.published_on,
            outlet_id=obj.article.source_id,
            entity_ids=[e.pk for e in about] + ([obj.claimant_id] if claimant_published else []),
            claim_kind=obj.kind,
            verification=obj.verification,
            standing=obj.standing,
        )

    def as_json(self, obj, absolute, *, full=False, context=None) -> dict:
        data = {
            "statement": obj.statement,
            "url": absolute(obj.get_absolute_url()),
            "claimant": obj.claimant.name,
            "kind": obj.kind,
            "verification": obj.verification,
            "standing": obj.standing,
            "deprecation": obj.deprecation or None,
            "quote": obj.quote,
            "article": absolute(obj.article.get_absolute_url()),
            "quote_url": absolute(f"{obj.article.get_absolute_url()}#claim-{obj.pk}"),
        }
        if full:
            ref = registry.ref
            data.update(
                verification_reason=obj.verification_reason,
                standing_reason=obj.standing_reason,
                about_entities=[ref(e, absolute) for e in obj.about_entities.all()],
                about_events=[ref(e, absolute) for e in obj.about_events.all()],
                relations=[
                    {"kind": r.kind, "direction": "outgoing", "claim": ref(r.target, absolute)}
                    for r in obj.relations_out.all()
                ]
                + [
                    {"kind": r.kind, "direction": "incoming", "claim": ref(r.source, absolute)}
                    for r in obj.relations_in.all()
                ],
            )
        return data

    def as_jsonld(self, obj, absolute) -> dict:
        claim = {
            "@type": "Claim",
            "text": obj.statement,
            "url": absolute(obj.get_absolute_url()),
            "author": {
                "@type": SCHEMA_TYPES.get(obj.claimant.kind, "Thing"),
                "name": obj.claimant.name,
            },
            "appearance": {
                "@type": "CreativeWork",
                "url": absolute(obj.article.get_absolute_url()),
                "headline": obj.article.title,
                "text": obj.quote,
            },
        }
        if obj.verification not in RATINGS:
            return {"@context": "https://schema.org", **claim}
        return {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": absolute(obj.get_absolute_url()),
            "claimReviewed": obj.statement,
            "itemReviewed": claim,
            "reviewRating": {"@type": "Rating", "alternateName": RATINGS[obj.verification]},
            "reviewBody": obj.verification_reason,
            "author": {"@type": "Organization", "name": "aiwatch"},
        }


def register() -> None:
    registry.register(EntityContent())
    registry.register(EventContent())
    registry.register(ClaimContent())
    # A claim's entry carries its article's date and outlet.
    registry.watch(
        Article,
        lambda article: [
            ("claim", pk) for pk in Claim.objects.in_article(article).values_list("pk", flat=True)
        ],
    )
    # By id: the entity may be mid-deletion (a cascade) or mid-recovery.
    registry.register_link(Alias, affects=lambda alias: entity_affects(alias.entity_id))
    registry.register_link(Mention, affects=lambda m: [("article", m.article_id)])
    registry.register_link(Participation, affects=lambda p: [("event", p.event_id)])
    registry.register_link(ClaimEntity, affects=lambda link: [("claim", link.claim_id)])
    registry.register_link(EventSource)
    registry.register_link(ClaimEvent)
    registry.register_link(ClaimRelation)
    registry.register_link(ClaimAppearance)
