"""The JSON twin of every public page (?format=json), for researchers' scripts.

Each function turns an already fetched object (with the relations the page
prefetched) into plain data; none of them queries on its own beyond what the
page's queryset loaded, so a JSON page costs what its HTML page costs.
"""

from articles.models import Article, Source
from entities.models import Claim, Entity, Event


def _date(value):
    return value.isoformat() if value else None


def ref(obj, absolute) -> dict:
    """A short reference to another page."""
    name = getattr(obj, "name", None) or getattr(obj, "title", None) or obj.statement
    return {"name": name, "url": absolute(obj.get_absolute_url())}


def article(a: Article, absolute, *, full=False) -> dict:
    data = {
        "title": a.title,
        "url": absolute(a.get_absolute_url()),
        "outlet": a.source.name if a.source else None,
        "author": a.author or None,
        "published_on": _date(a.published_on),
        "language": a.language,
        "original_url": a.original_url or None,
    }
    if full:
        data.update(
            summary=a.summary,
            body=a.body,
            raw_url=absolute(a.get_absolute_url() + "raw/"),
            entities=[ref(m.entity, absolute) for m in a.mentions.all()],
            events=[ref(e, absolute) for e in a.events.all()],
            claims=[claim(c, absolute) for c in a.claims.all()],
        )
    return data


def entity(e: Entity, absolute, *, context=None) -> dict:
    data = {
        "name": e.name,
        "kind": e.kind,
        "url": absolute(e.get_absolute_url()),
    }
    if context is not None:
        data.update(
            aliases=[{"name": a.name, "language": a.language} for a in e.aliases.all()],
            description=e.description,
            website=e.website or None,
            wikidata_id=e.wikidata_id or None,
            events=[
                {**event(p.event, absolute), "role": p.role} for p in context["participations"]
            ],
            claims_made=[claim(c, absolute) for c in context["claims_made"]],
            claims_about=[claim(c, absolute) for c in context["claims_about"]],
            articles=[article(a, absolute) for a in context["articles"]],
            related_entities=[
                {**ref(r, absolute), "shared_articles": r.shared} for r in context["related"]
            ],
        )
    return data


def event(e: Event, absolute, *, full=False) -> dict:
    data = {
        "title": e.title,
        "url": absolute(e.get_absolute_url()),
        "date": _date(e.date),
        "date_precision": e.date_precision,
        "date_display": e.date_display,
        "end_date": _date(e.end_date),
    }
    if full:
        data.update(
            description=e.description,
            participants=[
                {**ref(p.entity, absolute), "role": p.role} for p in e.participations.all()
            ],
            sources=[article(a, absolute) for a in e.sources.all()],
            claims=[claim(c, absolute) for c in e.claims.all()],
        )
    return data


def claim(c: Claim, absolute, *, full=False) -> dict:
    data = {
        "statement": c.statement,
        "url": absolute(c.get_absolute_url()),
        "claimant": c.claimant.name,
        "kind": c.kind,
        "verification": c.verification,
        "quote": c.quote,
        "article": absolute(c.article.get_absolute_url()),
        "quote_url": absolute(f"{c.article.get_absolute_url()}#claim-{c.pk}"),
    }
    if full:
        data.update(
            verification_reason=c.verification_reason,
            about_entities=[ref(e, absolute) for e in c.about_entities.all()],
            about_events=[ref(e, absolute) for e in c.about_events.all()],
            relations=[
                {"kind": r.kind, "direction": "outgoing", "claim": ref(r.target, absolute)}
                for r in c.relations_out.all()
            ]
            + [
                {"kind": r.kind, "direction": "incoming", "claim": ref(r.source, absolute)}
                for r in c.relations_in.all()
            ],
        )
    return data


def source(s: Source, absolute) -> dict:
    return {"name": s.name, "url": absolute(s.get_absolute_url()), "homepage": s.homepage or None}
