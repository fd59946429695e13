"""A saved HTML page reduced to an article: trafilatura finds the text, the metadata the rest.

What the page declares about itself (JSON-LD, Open Graph and other meta tags,
its lang attribute, its canonical link) beats anything guessed from the text,
and each value is reported with where it came from. trafilatura reads the
metadata, and htmldate the dates; the only walk of the page here is the
report of the blocks left out, so an editor can see what was dropped and why.
"""

import datetime
import html
import itertools
import re
import textwrap

from articles.cleaning import (
    DroppedLine,
    boilerplate_reason,
    is_heading_like,
    page_speech,
    read_date_line,
    word_count,
)
from articles.intake.files import CaptureError
from articles.intake.result import NOT_FOUND, Extracted, Found

# Ancestors that say why a block of the page is not the article.
_REASONS = (
    ("nav", "navigation"),
    ("header", "page header"),
    ("footer", "page footer"),
    ("aside", "sidebar"),
    ("form", "form"),
    ("figcaption", "photo caption"),
    ("figure", "photo caption"),
    ("noscript", "script fallback"),
)
# Elements that hold a block of text; the innermost ones are the blocks reported.
_BLOCKS = frozenset(
    """p h1 h2 h3 h4 h5 h6 li dt dd blockquote figcaption td th pre address caption summary
    div section header footer nav aside form main article figure button label""".split()  # noqa: SIM905
)
_SPACE = re.compile(r"\s+")
# Fewer words than this is a menu or a link, not an article: the page is refused.
MIN_ARTICLE_WORDS = 15
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", "｜", "_", " » ")


def extract(
    *,
    label: str,
    text: str,
    url: str = "",
) -> Extracted:
    """The article in the page `text`. Raises CaptureError when the page has no article text."""
    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    tree = load_html(text)
    if tree is None:
        raise CaptureError(f"{label}: is not an HTML page that can be parsed")
    # Precision first: on a short page trafilatura's recall-minded fallback runs the
    # headline, date line and paragraphs into one block. Recall only when that finds nothing.
    document = None
    for favor_precision in (True, False):
        document = bare_extraction(
            _without_layout_tables(load_html(text)),
            url=url or None,
            favor_precision=favor_precision,
            include_comments=False,
            include_tables=True,
            with_metadata=False,
            deduplicate=False,
        )
        if document is not None and document.text and document.text.strip():
            break
    # Each block of the page, with its text: read once, for headings, boxes, dates and the report.
    blocks = _page_blocks(tree)
    lines = _restore_headings(blocks, _lines(document.text if document is not None else ""))
    if sum(word_count(line) for line in lines) < MIN_ARTICLE_WORDS:
        raise CaptureError(
            f"{label}: this HTML page has no article text (no main content once menus, "
            "headers, footers, sidebars and forms are left out)"
        )
    meta = _metadata(tree, blocks, url=url, source=text)
    title = meta["title"]
    # trafilatura keeps the headline as the text's first line: it is the title, not the body.
    if not title and is_heading_like(lines[0]):
        title = Found(lines[0], "the page's first line")
    elif not title:
        # No title anywhere, and the text starts with a paragraph: that stays in the body.
        title = Found(textwrap.shorten(lines[0], width=120, placeholder=" …"), "the first sentence")
        meta["warnings"].append("the page declares no title; its first sentence stands in for one")
    if _same(lines[0], str(title.value)):
        lines = lines[1:]
    author = str(meta["author"].value or "")
    reasons = {_key(lines[i]): why for i, why in page_speech(lines, author=author).items()}
    reasons |= _in_widgets(blocks, lines)
    lines = [line for line in lines if _key(line) not in reasons]
    if not lines:
        raise CaptureError(f"{label}: this HTML page has a headline but no article text")
    body = "\n\n".join(lines)
    return Extracted(
        label=label,
        kind="html",
        raw=body,
        body=body,
        title=title,
        published_on=meta["published_on"],
        modified_on=meta["modified_on"],
        author=meta["author"],
        language=meta["language"],
        url=meta["url"],
        site_name=meta["site_name"],
        dropped=_dropped_blocks(
            blocks, kept={_key(line) for line in lines}, title=str(title.value), reasons=reasons
        ),
        warnings=meta["warnings"],
        media_type="text/html",
    )


_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th")
_TEXT_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol")


def _without_layout_tables(tree):
    """`tree` with each table that lays out paragraphs turned into plain blocks.

    E-mail newsletters and older sites set the whole article inside table cells;
    trafilatura takes a table for data and gives it back as one "| … |" row.
    A table whose cells hold paragraphs or headings is layout, not data.
    """
    layout = [
        table
        for table in tree.iter("table")
        if any(table.find(f".//{tag}") is not None for tag in _TEXT_BLOCKS)
    ]
    for table in layout:
        for element in table.iter(*_TABLE_PARTS):
            element.tag = "div"
    return tree


_SUBHEADINGS = ("h2", "h3", "h4", "h5", "h6")
_STYLED_AS_HEADING = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)
_OUTSIDE_THE_TEXT = frozenset({"nav", "aside", "form", "footer", "header", "figure"})


def _restore_headings(blocks, lines: list[str]) -> list[str]:
    """Put back the subheadings trafilatura's precision drops between two of its paragraphs.

    Only a real heading element (h2 to h6), outside any menu, sidebar, form,
    header, footer or figure, that stands between two paragraphs kept one
    after the other: a heading inside the article's run of text.
    """
    if len(lines) < 2:
        return lines
    index = {}
    for position, line in enumerate(lines):
        index.setdefault(_key(line), position)
    before: dict[int, list[str]] = {}
    last, pending = None, []
    for element, text in blocks:
        key = _key(text)
        if not key:
            continue
        if key in index:
            if last is not None and pending and index[key] == last + 1:
                before[index[key]] = pending
            last, pending = index[key], []
        elif (
            last is not None
            and _is_restorable(element, text)
            and not boilerplate_reason(text)
            and not any(parent.tag in _OUTSIDE_THE_TEXT for parent in element.iterancestors())
        ):
            pending.append(text)
    if not before:
        return lines
    restored = []
    for position, line in enumerate(lines):
        restored.extend(before.get(position, []))
        restored.append(line)
    return restored


def _is_restorable(element, text: str) -> bool:
    """A subheading, or an item of a list in the text that is not a list of links.

    An e-mail's subheading is a table cell or block styled as one ("font-weight:
    bold; font-size: 20px"): e-mail clients ignore heading elements' styles.
    """
    if element.tag in _SUBHEADINGS or _STYLED_AS_HEADING.search(element.get("style") or ""):
        return is_heading_like(text) and not _mostly_links(element)
    return element.tag == "li" and not _mostly_links(element)


def _mostly_links(element) -> bool:
    links = sum(len(a.text_content()) for a in element.iter("a"))
    return bool(links) and links >= 0.5 * len(element.text_content())


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def _key(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def _same(a: str, b: str) -> bool:
    return _key(a) == _key(b)


def _metadata(tree, blocks, *, url: str, source: str) -> dict:
    """Title, dates, author, language, URL and outlet, each from the most trusted place with it."""
    import htmldate
    from trafilatura.metadata import (
        examine_meta,
        extract_author,
        extract_meta_json,
        extract_sitename,
        extract_title,
    )
    from trafilatura.settings import Document

    declared = examine_meta(tree)
    try:
        linked = extract_meta_json(tree, Document())
    except Exception:
        linked = Document()

    def first(*candidates: tuple[object, str]) -> Found:
        for value, source in candidates:
            if value:
                # CMS plugins write entities into JSON-LD ("OpenAI&#8217;s"), which nothing decodes.
                return Found(" ".join(html.unescape(str(value)).split()), source)
        return NOT_FOUND

    site_name = first(
        (linked.sitename, "the page's JSON-LD publisher"),
        (declared.sitename, "the page's og:site_name meta tag"),
        (extract_sitename(tree), "the page's title"),
    )
    title = first(
        (linked.title, "the page's JSON-LD headline"),
        (declared.title, "the page's og:title meta tag"),
        (extract_title(tree), "the page's <title> or main heading"),
    )
    # The page's own headline, printed whole, keeps its tail: "… – as it happened".
    printed = any(_same(h1.text_content(), str(title.value)) for h1 in tree.iter("h1"))
    if title and not printed:
        title = Found(_without_site_name(str(title.value), site_name), title.source)
    author = first(
        (linked.author, "the page's JSON-LD author"),
        (declared.author, "the page's author meta tag"),
        (extract_author(tree), "a byline in the page"),
    )
    warnings: list[str] = []
    published = _date(
        htmldate, tree, blocks, original=True, url=url, page=source, warnings=warnings
    )
    modified = _date(htmldate, tree, blocks, original=False, url=url, page=source, warnings=[])
    if modified and published and modified.value <= published.value:
        modified = NOT_FOUND  # htmldate gives the published date when there is no update
    return {
        "title": title,
        "site_name": site_name,
        "author": author,
        "published_on": published,
        "modified_on": modified,
        "language": _language(tree),
        "url": _url(tree, declared, url),
        "warnings": warnings,
    }


def _date(
    htmldate, tree, blocks, *, original: bool, url: str, page: str, warnings: list[str]
) -> Found:
    """A date the page's markup declares, else one its visible date lines give, else htmldate's.

    A date the page writes only day/month-ambiguously (05/07/2024, and
    nowhere as 2024-07-05 in its markup) is flagged in `warnings`, not guessed.
    """
    found = htmldate.find_date(
        tree, extensive_search=False, original_date=original, url=url or None, min_date="1995-01-01"
    )
    if found and not _is_ambiguous(tree, page, datetime.date.fromisoformat(found), warnings):
        return Found(
            datetime.date.fromisoformat(found),
            "the page's date markup (meta tags, JSON-LD or <time>)",
        )
    if not original or warnings:
        return NOT_FOUND  # an updated date is only worth having when the page declares it
    # htmldate reads English dates in the text well, and "2024年7月10日" not at all.
    for _, text in blocks:
        date, ambiguous = read_date_line(text)
        if date:
            return Found(date, f"a date line in the page: {text[:60]!r}")
        if ambiguous:
            warnings.append(
                f"the date {ambiguous} is ambiguous (day or month first?); no date was taken"
            )
            return NOT_FOUND
    found = htmldate.find_date(
        tree, extensive_search=True, original_date=True, url=url or None, min_date="1995-01-01"
    )
    if found and not _is_ambiguous(tree, page, datetime.date.fromisoformat(found), warnings):
        return Found(datetime.date.fromisoformat(found), "the page's text (htmldate)")
    return NOT_FOUND


def _is_ambiguous(tree, page: str, date: datetime.date, warnings: list[str]) -> bool:
    if date.isoformat() in page:
        return False  # the markup says which reading it is
    ambiguous = _ambiguous_reading(tree, date)
    if ambiguous:
        warnings.append(
            f"the date {ambiguous} is ambiguous (day or month first?); no date was taken"
        )
    return bool(ambiguous)


_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?!\d)")


def _ambiguous_reading(tree, date: datetime.date) -> str:
    """The numeric date in the page that `date` is one of two readings of, or ""."""
    for match in _NUMERIC_DATE.finditer(tree.text_content()):
        first, second, year = (int(part) for part in match.groups())
        if first == second or first > 12 or second > 12 or year != date.year:
            continue
        if (date.month, date.day) in ((first, second), (second, first)):
            return match[0]
    return ""


def _language(tree) -> Found:
    lang = (
        tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    ).strip()
    if lang:
        return Found(_bcp47(lang), "the page's lang attribute")
    for meta in tree.iterfind(".//meta[@content]"):
        key = (meta.get("property") or meta.get("http-equiv") or meta.get("name") or "").lower()
        if key in ("og:locale", "content-language", "language"):
            return Found(_bcp47(meta.get("content")), f"the page's {key} meta tag")
    return NOT_FOUND


def _bcp47(tag: str) -> str:
    """A language tag as aiwatch stores it: zh-CN is zh-Hans, zh-TW and zh-HK zh-Hant."""
    tag = tag.strip().replace("_", "-")
    lower = tag.lower()
    if lower in ("zh-cn", "zh-sg", "zh-hans", "zh-hans-cn"):
        return "zh-Hans"
    if lower in ("zh-tw", "zh-hk", "zh-mo", "zh-hant", "zh-hant-tw", "zh-hant-hk"):
        return "zh-Hant"
    language, _, region = tag.partition("-")
    return (
        language.lower()[:16] if region.lower() in ("us", "gb", "au", "in", "sg", "") else tag[:16]
    )


def _url(tree, declared, url: str) -> Found:
    for link in tree.iterfind(".//link[@rel]"):
        if "canonical" in link.get("rel", "").lower().split() and _is_web_url(link.get("href")):
            return Found(link.get("href").strip(), "the page's canonical link")
    if _is_web_url(declared.url):
        return Found(declared.url.strip(), "the page's og:url meta tag")
    if url:
        return Found(url, "the web archive's target URI")
    return NOT_FOUND


def _is_web_url(value) -> bool:
    return isinstance(value, str) and value.strip().startswith(("http://", "https://"))


def _without_site_name(title: str, site_name: Found) -> str:
    """ "Headline | Outlet" is "Headline": a page's title often carries the outlet's name."""
    name = str(site_name.value) if site_name else ""
    for separator in _TITLE_SEPARATORS:
        head, sep, tail = title.rpartition(separator)
        if not sep or not head.strip():
            continue
        tail = tail.strip()
        if name and (_same(tail, name) or _key(name) in _key(tail) or _key(tail) in _key(name)):
            return head.strip()
        if not name and word_count(tail) <= 4 and word_count(head) >= 4:
            return head.strip()
    return title


def _dropped_blocks(blocks, *, kept: set[str], title: str, reasons: dict[str, str]):
    """Each block of the page's body that is not in the article, with a reason.

    `reasons` says why for the blocks left out after trafilatura kept them.
    """
    dropped, seen = [], set(kept) | {_key(title)}
    for element, text in blocks:
        key = _key(text)
        if not key or key in seen:
            continue
        seen.add(key)
        dropped.append(DroppedLine(0, text, reasons.get(key) or _reason(element)))
    return dropped


_CONTROLS = ("button", "input", "select", "textarea")
WIDGET_MAX_BLOCKS = 5


def _in_widgets(blocks, lines: list[str]) -> dict[str, str]:
    """The kept lines that are a box's or a link's, not the story's, with why.

    A story's paragraph sits among many others; a box's blurb ("The day's top
    stories, every morning.") sits beside the button it sells. A heading that
    is all one link ("Ep. 110: The price war") is a teaser for another page.
    A text printed both as a link and in the story (a live blog's "Key
    events") is the story's.
    """
    wanted, found, in_the_story = {_key(line) for line in lines}, {}, set()
    for element, text in blocks:
        key = _key(text)
        if key in wanted and element.tag not in _CONTROLS:
            reason = _widget_reason(element, text)
            if reason:
                found.setdefault(key, reason)
            else:
                in_the_story.add(key)
    return {key: reason for key, reason in found.items() if key not in in_the_story}


def _widget_reason(element, text: str) -> str:
    parent = element.getparent()
    if parent is None:
        return ""
    # Counted only as far as a box's size: the story's container holds hundreds.
    inner = (child for child in parent.iterdescendants() if child.tag in _BLOCKS)
    small = sum(1 for _ in itertools.islice(inner, WIDGET_MAX_BLOCKS + 1)) <= WIDGET_MAX_BLOCKS
    if small and any(True for _ in parent.iter(*_CONTROLS)):
        return "beside a button or form field: a sign-up box"
    if is_heading_like(text) and any(a.tag == "a" for a in element.iterancestors()):
        return "a link to another page"
    if small and (_mostly_links(element) or _mostly_links(parent)):
        return "a teaser for another page"
    if element.tag in _SUBHEADINGS and _heads_a_list_of_links(element):
        return "the heading of a list of links"
    return ""


def _heads_a_list_of_links(heading) -> bool:
    """Whether what follows the heading ("Key events", "Related research") is all links."""
    following = heading.getnext()
    return (
        following is not None
        and following.tag in ("ul", "ol", "div", "nav")
        and (_mostly_links(following))
    )


def _blocks(body):
    """Each innermost block of `body` with its text, in the page's order."""
    for element in body.iter(*sorted(_BLOCKS)):
        yield element, " ".join(_own_text(element).split())


def _page_blocks(tree) -> list[tuple[object, str]]:
    body = tree.find(".//body")
    return list(_blocks(body)) if body is not None else []


def _own_text(element) -> str:
    """The text of `element` outside its inner blocks, which are reported on their own."""
    if not any(child.tag in _BLOCKS for child in element.iterdescendants()):
        return element.text_content()
    parts = [element.text or ""]
    for child in element:
        if child.tag not in _BLOCKS:
            parts.append(_own_text(child) if isinstance(child.tag, str) else "")
        parts.append(child.tail or "")
    return " ".join(parts)


def _reason(element) -> str:
    ancestors = {parent.tag for parent in element.iterancestors()} | {element.tag}
    for tag, reason in _REASONS:
        if tag in ancestors:
            return reason
    return "links" if _mostly_links(element) else "not part of the article's main text"
