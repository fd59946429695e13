import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from aiwatch.core import registry
from aiwatch.core.dates import display_date
from aiwatch.site import network
from aiwatch.site import timeline as drawing
from aiwatch.site.snapshots import store

register = template.Library()

# The same escaping as Django's json_script: nothing in the data can close the tag.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def jsonld(context, obj):
    """A <script type="application/ld+json"> block for a detail page's object.

    A data block is not executed, so the Content-Security-Policy allows it.
    """
    kind = registry.find(obj)
    data = kind and kind.as_jsonld(obj, context["request"].build_absolute_uri)
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.inclusion_tag("includes/timeline_svg.html")
def timeline(events):
    """The events (already in date order) drawn as an SVG strip; nothing when there are none."""
    return {"timeline": drawing.layout(events)}


@register.inclusion_tag("includes/claim_list.html")
def claim_list(claims, to_quote=False):
    """Claims as a list, those deprecated (superseded or retracted) folded away below it,
    as Wikidata shows a deprecated statement only when asked. Claims in, no query."""
    standing, deprecated = [], []
    for claim in claims:
        (deprecated if claim.standing == "deprecated" else standing).append(claim)
    return {"standing": standing, "deprecated": deprecated, "to_quote": to_quote}


@register.filter
def precise_date(value, precision="day"):
    """A date as precisely as it is known: '9 July 2024', 'July 2024' or '2024'."""
    return display_date(value, precision)


@register.simple_tag
def latest_snapshot():
    """The newest dataset snapshot, for the footer; reads one small file, no query."""
    return store.latest()


@register.inclusion_tag("includes/entity_network.html")
def entity_network(entity):
    """The entity among its strongest links, as SVG and a table.

    Hides the network's three queries and its layout when the cache lacks this
    content version's (aiwatch.site.network.graph).
    """
    g = network.graph()
    return {
        "entity": entity,
        "drawing": network.drawing(g, centre=entity.pk),
        "rows": network.table(g, centre=entity.pk)[: network.NEIGHBOURS],
    }
