from django import template

from aiwatch.core.desk import waiting_for

register = template.Library()


@register.simple_tag(takes_context=True)
def editors_desk(context):
    """The desk's lines for the signed-in editor (aiwatch.core.desk), and how much waits."""
    request = context["request"]
    # The admin site rendering the page, for its URLs.
    lines = waiting_for(request.user, getattr(request, "current_app", None) or "admin")
    return {"lines": lines, "waiting": sum(line["count"] for line in lines)}
