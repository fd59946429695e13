"""Markdown to safe HTML.

Editors write markdown; readers get HTML that has been rendered by
python-markdown and then sanitized by nh3, so raw HTML in the source cannot
inject scripts, styles or event handlers.
"""

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

# nh3 drops a disallowed href (javascript:, data:) but keeps the <a>; such an
# anchor is a dead link, so it is unwrapped to its text. nh3's serializer
# always writes attributes as name="value", which keeps this pattern simple.
_ANCHOR_WITHOUT_HREF = re.compile(r'<a((?:\s+(?!href=)[a-z-]+="[^"]*")*)\s*>(.*?)</a>', re.DOTALL)


def render_markdown(text: str) -> str:
    if not text:
        return ""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return _ANCHOR_WITHOUT_HREF.sub(r"\2", cleaned)
