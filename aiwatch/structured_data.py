"""schema.org JSON-LD for each kind of page, so shared links preview and index well."""

from articles.models import Article
from entities.models import Claim, Entity, EntityKind, Event

ENTITY_TYPES = {
    EntityKind.COMPANY: "Corporation",
    EntityKind.ORGANIZATION: "Organization",
    EntityKind.PERSON: "Person",
    EntityKind.GOVERNMENT: "GovernmentOrganization",
    EntityKind.PLACE: "Place",
    EntityKind.AI_MODEL: "SoftwareApplication",
}
# A "July 2024" event is 2024-07 in ISO 8601, not 2024-07-01.
DATE_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
RATINGS = {"corroborated": "True", "disputed": "Mixture", "refuted": "False"}


def for_object(obj, absolute) -> dict | None:
    """The JSON-LD of a detail page; `absolute` turns a path into a full URL."""
    match obj:
        case Article():
            return _article(obj, absolute)
        case Entity():
            return _entity(obj, absolute)
        case Event():
            return _event(obj, absolute)
        case Claim():
            return _claim(obj, absolute)
    return None


def _article(a: Article, absolute) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "url": absolute(a.get_absolute_url()),
        "inLanguage": a.language,
    }
    if a.published_on:
        data["datePublished"] = a.published_on.isoformat()
    if a.author:
        data["author"] = {"@type": "Person", "name": a.author}
    if a.source:
        data["publisher"] = {"@type": "Organization", "name": a.source.name}
    if a.original_url:
        data["isBasedOn"] = a.original_url
    return data


def _entity(e: Entity, absolute) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": ENTITY_TYPES.get(e.kind, "Thing"),
        "name": e.name,
        "url": absolute(e.get_absolute_url()),
    }
    aliases = [a.name for a in e.aliases.all()]
    if aliases:
        data["alternateName"] = aliases
    same_as = [u for u in (e.wikidata_url, e.website) if u]
    if same_as:
        data["sameAs"] = same_as
    if e.description:
        data["description"] = e.description
    return data


def _event(e: Event, absolute) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": e.title,
        "url": absolute(e.get_absolute_url()),
        "startDate": e.date.strftime(DATE_FORMATS[e.date_precision]),
        "eventStatus": "https://schema.org/EventScheduled",
    }
    if e.end_date:
        data["endDate"] = e.end_date.isoformat()
    if e.description:
        data["description"] = e.description
    return data


def _claim(c: Claim, absolute) -> dict:
    claim = {
        "@type": "Claim",
        "text": c.statement,
        "url": absolute(c.get_absolute_url()),
        "author": {"@type": ENTITY_TYPES.get(c.claimant.kind, "Thing"), "name": c.claimant.name},
        "appearance": {
            "@type": "CreativeWork",
            "url": absolute(c.article.get_absolute_url()),
            "headline": c.article.title,
            "text": c.quote,
        },
    }
    if c.verification not in RATINGS:
        return {"@context": "https://schema.org", **claim}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute(c.get_absolute_url()),
        "claimReviewed": c.statement,
        "itemReviewed": claim,
        "reviewRating": {"@type": "Rating", "alternateName": RATINGS[c.verification]},
        "reviewBody": c.verification_reason,
        "author": {"@type": "Organization", "name": "aiwatch"},
    }
