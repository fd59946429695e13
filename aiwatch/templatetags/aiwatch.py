import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from aiwatch import structured_data

register = template.Library()

# The same escaping as Django's json_script: nothing in the data can close the tag.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def jsonld(context, obj):
    """A <script type="application/ld+json"> block for a detail page's object.

    A data block is not executed, so the Content-Security-Policy allows it.
    """
    data = structured_data.for_object(obj, context["request"].build_absolute_uri)
    if data is None:
        return ""
    text = json.dumps(data, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def precise_date(value, precision="day"):
    """A date as precisely as it is known: '9 July 2024', 'July 2024' or '2024'."""
    if not value:
        return ""
    fmt = {"day": "%-d %B %Y", "month": "%B %Y", "year": "%Y"}.get(precision, "%-d %B %Y")
    return value.strftime(fmt)
