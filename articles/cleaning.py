"""Turn a raw text capture of a web page into an article's title, date and body.

A capture is the text of a whole page: the article's paragraphs, one per line,
mixed with the page's furniture (menus, breadcrumbs, share buttons, sign-up
boxes, comment forms). Telling them apart is heuristic, so every line left
out is reported with a short reason for an editor to check, and every kept
line is kept verbatim: quotes checked against the body must match the capture.

Pure functions: no database, no network.
"""

import datetime
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DroppedLine:
    number: int  # 1-based line number in the raw capture
    text: str
    reason: str


@dataclass(frozen=True)
class CleanedCapture:
    title: str
    published_on: datetime.date | None
    language: str
    body: str
    dropped: list[DroppedLine]
    title_line: int = 0
    date_line: int | None = None
    author: str = ""
    author_line: int | None = None
    warnings: list[str] = ()


@dataclass
class _Line:
    number: int
    text: str
    reason: str = ""  # why the line is dropped; "" while it is kept
    date: datetime.date | None = None
    is_update: bool = False  # the date is an "Updated …" date, not the publication date
    starts_section: str = ""  # "comments" or "related": the page's tail begins here

    @property
    def kept(self) -> bool:
        return not self.reason


# --- measuring a line -------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_OR_WIDE_PUNCTUATION = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\uffef]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CLOSERS = "\"'’”)]）」』 "
_SENTENCE_ENDS = (".", ",", ";", ":", "。", "，", "；", "：")

HEADING_MAX_WORDS = 25
SUBSTANTIAL_TITLE_WORDS = 5
BREADCRUMB_MAX_WORDS = 6  # "Home Community Insights" before a headline


def _word_count(text: str) -> int:
    """Words, counting two CJK characters as one: Chinese has no spaces to split on."""
    cjk = len(_CJK.findall(text))
    latin_words = len(_CJK_OR_WIDE_PUNCTUATION.sub(" ", text).split())
    return latin_words + (cjk + 1) // 2


def _ends_like_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    # A trailing ellipsis marks a truncated headline, not a finished sentence.
    if stripped.endswith(("...", "…")):
        return False
    return stripped.endswith(_SENTENCE_ENDS)


def _is_heading_like(text: str) -> bool:
    return not _ends_like_sentence(text) and _word_count(text) <= HEADING_MAX_WORDS


def _normalise(text: str) -> str:
    """The form in which two copies of a headline compare equal."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.casefold().split())


def _language(text: str) -> str:
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    return "zh" if cjk and cjk >= latin else "en"


# --- dates ------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
# Day-first and month-first numeric dates (05/07/2024) are ambiguous, so only
# year-first numbers and spelled-out months are read.
_DATE_PATTERNS = [
    re.compile(r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"),
    re.compile(r"(?<!\d)(?P<year>\d{4})([-/.])(?P<month>\d{1,2})\2(?P<day>\d{1,2})(?!\d)"),
    re.compile(
        rf"\b(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I
    ),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}){_ORDINAL},?\s+(?P<year>\d{{4}})\b", re.I),
]
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?\.?,?"
_DATE_LINE_PREFIX = re.compile(
    r"\s*(?:(?:first\s+)?(?:published|updated|last\s+updated|posted|modified|date[d]?)"
    r"(?:\s+on)?\s*[:：]?\s*)?"
    rf"(?:{_WEEKDAY}\s*)?"
    r"(?:(?:发布|更新)?(?:时间|日期)\s*[:：]?\s*)?",
    re.I,
)
_DATE_LINE_SUFFIX = re.compile(
    r",?\s*(?:(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:\(?(?:UTC|GMT)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?\)?|\(?[A-Z]{2,4}\)?)?)?"
    r"\s*(?:[|·•–—-]?\s*\d+\s*min(?:ute)?s?\s+read)?"
    r"\s*(?:by\s+\S.{0,60})?"
    r"\s*(?:(?:来源|作者|编辑|source)\s*[:：]\s*.{1,40})?\s*",
    re.I,
)
_UPDATED = re.compile(r"\s*(?:last\s+)?updated|\s*更新", re.I)


def _find_date(text: str) -> tuple[datetime.date, int, int] | None:
    """The earliest valid date written in `text`, with where it starts and ends."""
    found = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            month = match["month"]
            month = int(month) if month.isdigit() else _MONTHS[month[:3].lower()]
            try:
                date = datetime.date(int(match["year"]), month, int(match["day"]))
            except ValueError:
                continue  # 2024-02-31 and the like are not dates
            found.append((match.start(), match.end(), date))
            break
    if not found:
        return None
    start, end, date = min(found, key=lambda f: f[0])
    return date, start, end


def _date_line(text: str) -> tuple[datetime.date, bool] | None:
    """The date of a line that says nothing but a date (and a time, a prefix, a credit)."""
    found = _find_date(text)
    if not found:
        return None
    date, start, end = found
    before, after = text[:start], text[end:]
    if _DATE_LINE_PREFIX.fullmatch(before) and _DATE_LINE_SUFFIX.fullmatch(after):
        return date, bool(_UPDATED.match(before))
    return None


# --- boilerplate patterns ---------------------------------------------------


def _whole(*alternatives: str) -> re.Pattern:
    """A pattern that must match a whole line, give or take trailing punctuation."""
    return re.compile(r"(?:" + "|".join(alternatives) + r")[\s.:!?：。»›>*]*", re.I)


def _anywhere(*alternatives: str) -> re.Pattern:
    return re.compile("|".join(alternatives), re.I)


_SOCIAL = (
    r"facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|e-?mail|print|weibo"
    r"|wechat|微博|微信|qq(?:空间)?|豆瓣|copy link"
)
_NAVIGATION = _whole(
    r"skip to (?:the )?(?:main )?(?:content|navigation|article)",
    r"skip navigation",
    r"(?:toggle|open|close) (?:the )?(?:navigation|menu|search)",
    r"(?:main |site )?(?:menu|navigation)",
    r"search(?: this site| for)?",
    r"(?:back|go) to top",
    r"(?:previous|next) (?:article|post|story)(?:[:：].*)?",
    r"返回顶部",
    r"跳(?:转)?到(?:主要)?内容",
    r"(?:上一篇|下一篇)[:：].*",
    r"首页",
)
_NAVIGATION_WORDS = frozenset(
    """home homepage news latest world business tech technology science opinion opinions
    politics sport sports markets finance economy culture lifestyle life style health
    entertainment travel video videos podcast podcasts photos about contact us subscribe
    subscription login log in out sign up register account search menu more trending
    insights community events jobs careers newsletter newsletters shop advertise privacy
    policy terms sections topics features reviews guides blog blogs press startups ai
    crypto gadgets apps mobile security cloud enterprise asia europe americas africa local
    national international edition magazine deals weather games archive archives
    innovation research webinars donate support help faq products pricing developers
    tools explore & and""".split()  # noqa: SIM905 (a word list reads better as prose)
)
_MENU_SEPARATOR = re.compile(r"\s+[|•·]\s+|\s*｜\s*")
_BREADCRUMB_SEPARATOR = re.compile(r"\s*[›»→＞>]\s*|\s+/\s+")
_SHARE = _whole(
    r"share(?: (?:this|the) (?:article|story|post|page))?(?: (?:on|via|to|with) [\w ]{1,20})?",
    rf"share(?: this)?\s*[:：]?\s*(?:{_SOCIAL})(?:[\s,|·•/]+(?:{_SOCIAL}))*",
    rf"(?:share (?:on|via) (?:{_SOCIAL})[\s|·•,]*)+",
    rf"(?:{_SOCIAL})(?:[\s,|·•/]+(?:{_SOCIAL}))+",
    r"tweet(?: this)?",
    r"(?:email|print|save) (?:this )?(?:article|story|page)",
    r"copy link",
    r"follow us(?: on .{1,40})?",
    r"分享(?:到|至)?.{0,30}",
)
_ADVERTISEMENT = _whole(
    r"[-–—\s]*(?:advertisement|advertising|ad|ads|sponsored(?: content| post)?"
    r"|paid (?:content|post)|promoted(?: content)?|partner content)[-–—\s]*",
    r"(?:story|article) continues (?:below|after)(?: (?:this|the))?(?: advertisement| ad)?",
    r"continue reading (?:below|after the ad(?:vertisement)?)",
    r"scroll (?:down )?to continue(?: with content| reading)?",
    r"广告",
    r"推广",
)
_COOKIES = _anywhere(
    r"\bcookies?\b.*\b(?:use|uses|accept|consent|policy|settings|preferences|agree|experience)\b",
    r"\b(?:accept|manage|reject|allow)\b.*\bcookies?\b",
    r"^(?:accept(?: all)?|reject(?: all)?|decline|got it|i agree|allow all"
    r"|(?:manage|cookie) (?:preferences|settings))[\s.!]*$",
)
# The lines that open a comment form: whatever follows them is comments, not article.
_COMMENTS_START = _whole(
    r"leave a (?:reply|comment)(?: cancel reply)?",
    r"(?:post|add|submit|write) (?:a |your )?comment",
    r"join the (?:conversation|discussion)",
    r"\d+ (?:comments?|responses?|replies|thoughts? on .*)",
    r"comments are closed",
    r"your e-?mail address will not be published.*",
    r"please (?:enter|type|provide) (?:your |a valid )?comment(?: here)?",
    r"发表评论",
    r"我要评论",
    r"网友评论",
)
_COMMENT_FORM = _whole(
    r"required fields are marked.*",
    r"please (?:enter|type|provide) (?:your |a valid )?(?:name|e-?mail(?: address)?|website)"
    r"(?: here)?",
    r"you have entered an incorrect e-?mail address",
    r"save my name,? e-?mail,? and website.*",
    r"notify me of .*(?:comments|posts).*",
    r"(?:name|e-?mail|website|comment|message)\s*\(?(?:required)?\)?",
    r"comments?(?: \(\d+\))?",
    r"cancel reply",
    r"reply",
    r"log ?in to (?:reply|comment|post a comment)",
    r"this site uses akismet.*",
    r"(?:登录|注册)后(?:参与)?评论.*",
)
_NEWSLETTER = _anywhere(
    r"\bnewsletters?\b.*\b(?:sign up|subscribe|inbox|join|delivered)\b",
    r"\b(?:sign up|subscribe)\b.*\bnewsletters?\b",
    r"\bin your inbox\b",
    r"\benter your e-?mail(?: address)?\b",
    r"\bsubscribe (?:now|today|for free|to (?:our|the) )",
    r"^subscribe[\s.!]*$",
    r"订阅.{0,10}(?:新闻|邮件|周刊|简报|日报)",
)
_PROMOTION = _anywhere(
    r"\bregister (?:today|now|here|for free)\b",
    r"\b(?:opens?|opened|started|starts|closing|closes) registrations?\b",
    r"\bregistrations? (?:are |is )?(?:now )?(?:open|closing)\b",
    r"\bearly[- ]bird\b",
    r"\bclick here\b",
    r"\b(?:promo|coupon|discount) code\b",
    r"\blimited[- ]time offer\b",
    r"\bbuy now\b",
    r"^(?:join|subscribe|sign up|register|enrol+|apply|download|get|try|buy|order|book|follow"
    r"|invest|learn more|grab)\b.*\b(?:here|today|now)\W*$",
    r"扫码(?:关注|下载|加入)",
    r"点击(?:这里|此处|下载|订阅)",
    r"立即(?:报名|注册|下载|订阅)",
)
_EMPTY_WIDGET = _whole(
    r"no (?:posts|articles|comments|results|items|stories|entries)"
    r" (?:to display|to show|found|yet)",
    r"nothing (?:to display|found)",
    r"loading(?:\.\.\.|…)?",
    r"暂无(?:内容|评论|数据)",
)
_RELATED = _whole(
    r"(?:related|more)(?: articles| posts| stories| news| reading| coverage| content)?",
    r"you (?:may|might) also (?:like|be interested in)",
    r"read (?:more|next|also)(?:[:：].*)?",
    r"recommended(?: for you| stories| reading)?",
    r"(?:most )?popular(?: now| stories| articles)?",
    r"trending(?: now| stories)?",
    r"more (?:from|on|in) .{1,40}",
    r"相关(?:阅读|新闻|文章|推荐|报道)",
    r"(?:推荐|延伸)阅读",
    r"热门(?:文章|新闻|推荐)",
)
_FOOTER = _anywhere(
    r"^(?:©|\(c\)\s|copyright\b)",
    r"\ball rights reserved\b",
    r"版权所有",
    r"^免责声明",
    r"^powered by\b",
    r"^(?:privacy(?: policy)?|terms(?: of (?:use|service)| (?:and|&) conditions)?|cookie policy"
    r"|about(?: us)?|contact(?: us)?|advertise(?: with us)?|site ?map|rss(?: feed)?"
    r"|关于我们|联系我们|隐私政策)[\s.]*$",
)
_TAGS = _whole(
    r"(?:tags?|topics?|filed under|categor(?:y|ies)|keywords|标签|关键词|关键字)\s*[:：].*"
)
_IMAGE_CAPTION = _anywhere(
    r"^(?:photo|image|picture|photograph|file photo|illustration|credit|图片?(?:来源)?|图源|摄影)"
    r"\s*[:：]",
    r"\((?:photo|image|credit|file photo|illustration)\b[^)]*\)\s*$",
    r"\b(?:getty images|shutterstock|istock)\b",
)
_READING_TIME = _whole(r"[\W]*\d+\s*(?:min(?:ute)?s?|分钟)\s*(?:read|阅读)?")
_COUNTER = _whole(
    r"[\d\s.,kKmM|·•]+",
    r"\d[\d,.]*[kKmM]?\s*(?:views?|shares?|likes?|reads?|次阅读|阅读|浏览)",
)
_BYLINE = _whole(
    r"(?:(?:posted|written|published|reported|words|story)\s+)?by\s+\S.*",
    r"authors?\s*[:：].{1,60}",
)
_CREDIT = _whole(
    r"(?:作者|记者|编辑|责任编辑|撰文|来源|原标题|审核|校对|通讯员)\s*[:：|｜].{0,40}",
    r"(?:source|edited by|reporting by|editing by|additional reporting by)\s*[:：]?\s*.{1,100}",
)

# Patterns matched anywhere in a line only apply to lines this short, so a
# paragraph that mentions cookies or a newsletter is not mistaken for a banner.
_BANNER_MAX_WORDS = 35
_BYLINE_MAX_WORDS = 14
_INLINE_LINK = re.compile(r"[:：]\s*\S")  # "Read more: <headline>"


def _is_navigation(text: str) -> bool:
    if _NAVIGATION.fullmatch(text):
        return True
    if not _is_heading_like(text):
        return False
    items = _MENU_SEPARATOR.split(text)
    if len(items) >= 3 and all(0 < _word_count(item) <= 3 for item in items):
        return True
    words = re.findall(r"[^\W\d_]+|&", text.casefold())
    if words and all(word in _NAVIGATION_WORDS for word in words) and len(words) <= 12:
        return any(word not in {"&", "and", "in", "up", "out", "us"} for word in words)
    # A Chinese menu: several short words separated by spaces.
    tokens = text.split()
    return len(tokens) >= 4 and all(_CJK.fullmatch(t[0]) and len(t) <= 4 for t in tokens)


def _is_breadcrumb(text: str) -> bool:
    if not _is_heading_like(text):
        return False
    crumbs = _BREADCRUMB_SEPARATOR.split(text)
    if len(crumbs) < 2 or not crumbs[0]:
        return False
    # The last crumb is often the headline itself, so only the trail before it must be short.
    return all(0 < _word_count(crumb) <= 4 for crumb in crumbs[:-1])


def _is_byline(text: str) -> bool:
    return (
        bool(_BYLINE.fullmatch(text))
        and _is_heading_like(text)
        and _word_count(text) <= _BYLINE_MAX_WORDS
    )


def _is_short(text: str) -> bool:
    return _word_count(text) <= _BANNER_MAX_WORDS


# Checked in order; the first that matches names the reason.
_LINE_RULES: list[tuple[str, Callable[[str], object]]] = [
    ("byline", _is_byline),
    ("credit line", lambda t: _CREDIT.fullmatch(t) and _word_count(t) <= 20),
    ("share buttons", _SHARE.fullmatch),
    ("breadcrumb", _is_breadcrumb),
    ("navigation", _is_navigation),
    ("advertisement", _ADVERTISEMENT.fullmatch),
    ("cookie banner", lambda t: _is_short(t) and _COOKIES.search(t)),
    ("comment form", _COMMENTS_START.fullmatch),
    ("comment form", _COMMENT_FORM.fullmatch),
    ("newsletter", lambda t: _is_short(t) and _NEWSLETTER.search(t)),
    ("promotion", lambda t: _is_short(t) and _PROMOTION.search(t)),
    ("empty widget", _EMPTY_WIDGET.fullmatch),
    ("related articles", _RELATED.fullmatch),
    ("footer", lambda t: _is_short(t) and _FOOTER.search(t)),
    ("tags", lambda t: _TAGS.fullmatch(t) and _word_count(t) <= 25),
    ("image caption", lambda t: _is_short(t) and _IMAGE_CAPTION.search(t)),
    ("reading time", _READING_TIME.fullmatch),
    ("counter", _COUNTER.fullmatch),
]


def _classify(line: _Line) -> None:
    """Mark a line that is page furniture whatever its neighbours are."""
    text = line.text
    dated = _date_line(text)
    if dated:
        line.reason = "date line"
        line.date, line.is_update = dated
        return
    for reason, rule in _LINE_RULES:
        if rule(text):
            line.reason = reason
            break
    if line.reason == "byline":
        found = _find_date(text)
        line.date = found[0] if found else None
    if _COMMENTS_START.fullmatch(text):
        line.starts_section = "comments"
    elif line.reason == "related articles" and not _INLINE_LINK.search(text):
        # "Read more: <headline>" is one link; a bare "Related articles" heads a list.
        line.starts_section = "related"


# --- the article's shape ----------------------------------------------------


def _mark_breadcrumbs_ending_in_a_line(lines: list[_Line]) -> list[_Line]:
    """Drop "Home Community Insights <headline>" lines; return the headlines they end with.

    Such a trail has no separators to spot, but it ends with another line of
    the capture, the headline, after a few short words.
    """
    headings = [line for line in lines if line.kept and _is_heading_like(line.text)]
    by_text = {}
    for line in headings:
        if _word_count(line.text) >= 3:
            by_text.setdefault(_normalise(line.text), line)
    targets = []
    for trail in headings:
        words = _normalise(trail.text).split(" ")
        for skip in range(1, min(len(words), BREADCRUMB_MAX_WORDS + 1)):
            headline = by_text.get(" ".join(words[skip:]))
            if headline:
                trail.reason = "breadcrumb"
                targets.append(headline)
                break
    return targets


def _first_prose(lines: list[_Line], after: int = 0) -> int:
    """The index of the first kept line that reads as a paragraph, or len(lines)."""
    for index in range(after, len(lines)):
        if lines[index].kept and not _is_heading_like(lines[index].text):
            return index
    return len(lines)


def _find_title(lines: list[_Line], breadcrumb_targets: list[_Line]) -> _Line | None:
    headings = [
        line
        for line in lines
        if line.kept and _is_heading_like(line.text) and _word_count(line.text) >= 2
    ]
    # A headline is often printed several times (page title, heading, social card).
    counts = Counter(_normalise(line.text) for line in headings)
    repeated = [line for line in headings if counts[_normalise(line.text)] >= 2]
    if repeated:
        return max(repeated, key=lambda line: counts[_normalise(line.text)])
    if breadcrumb_targets:
        return breadcrumb_targets[0]
    first_prose = _first_prose(lines)
    before_text = lines[first_prose].number if first_prose < len(lines) else lines[-1].number + 1
    header = [line for line in headings if line.number < before_text]
    substantial = [line for line in headings if _word_count(line.text) >= SUBSTANTIAL_TITLE_WORDS]
    for candidates in ([h for h in header if h in substantial], substantial):
        if candidates:
            return _without_site_name(candidates[0], headings)
    return max(header, key=lambda line: _word_count(line.text), default=None)


_SITE_NAME_SUFFIX = re.compile(r"\s*[|｜–—:·-]\s*\S.{0,60}")


def _with_site_name(line: _Line, headline: _Line) -> bool:
    """Whether `line` is `headline` followed by the outlet's name, as in a page's <title>."""
    text, key = _normalise(line.text), _normalise(headline.text)
    rest = text[len(key) :]
    return (
        line is not headline
        and text.startswith(key)
        and bool(_SITE_NAME_SUFFIX.fullmatch(rest))
        and _word_count(rest) <= 6
    )


def _without_site_name(candidate: _Line, headings: list[_Line]) -> _Line:
    for headline in headings:
        if _with_site_name(candidate, headline):
            return headline
    return candidate


def _mark_title(lines: list[_Line], title: _Line) -> None:
    """Drop every copy of the headline, and whatever page header comes before it."""
    key = _normalise(title.text)
    for line in lines:
        if not line.kept:
            continue
        text = _normalise(line.text)
        if line is title:
            line.reason = "title"
        elif text == key or _with_site_name(line, title):
            line.reason = "repeated title"
        elif line.number < title.number:
            line.reason = "page header"


def _mark_header_scraps(lines: list[_Line], title: _Line) -> None:
    """Drop the kicker, author name and such between the headline and the first paragraph."""
    start = lines.index(title)
    for line in lines[start : _first_prose(lines, start)]:
        if line.kept and _word_count(line.text) <= 4:
            line.reason = "page header"


def _mark_tail_sections(lines: list[_Line], start: int) -> None:
    """Drop comments, and related-article lists, once the article's text has begun.

    After a comment form everything is comments. After a "Related articles"
    heading the short lines are links, until a paragraph shows the article resumed.
    """
    section = ""
    for line in lines[start:]:
        if line.starts_section:
            section = "comments" if "comments" in (section, line.starts_section) else "related"
        if not line.kept:
            continue
        if section == "comments":
            line.reason = "comment section"
        elif section == "related" and _is_heading_like(line.text):
            line.reason = "related articles"
        else:
            section = ""


def _mark_page_footer(lines: list[_Line]) -> None:
    """Drop the short lines after the last paragraph: a heading there heads nothing."""
    for line in reversed(lines):
        if not line.kept:
            continue
        if not _is_heading_like(line.text):
            return
        line.reason = "page footer"


def _publication_date(lines: list[_Line]) -> datetime.date | None:
    dated = [line for line in lines if line.date]
    published = [line for line in dated if not line.is_update]
    return (published or dated)[0].date if dated else None


def _split_lines(raw: str) -> list[_Line]:
    # Split on "\n" only: str.splitlines() also splits on form feeds and
    # U+2028, which would shift the line numbers an editor looks up.
    numbered = enumerate(raw.split("\n"), start=1)
    return [_Line(number, text.strip()) for number, text in numbered if text.strip()]


def _no_article_text(lines: list[_Line]) -> ValueError:
    return ValueError(
        f"no article text: none of the {len(lines)} non-blank lines reads as a paragraph "
        "once menus, share buttons, comment forms and the like are left out"
    )


def normalise_line(text: str) -> str:
    return " ".join(text.casefold().split())


def boilerplate_reason(text: str) -> str:
    line = _Line(0, text.strip())
    _classify(line)
    return line.reason if line.reason not in ("date line",) else ""


def clean_capture(raw: str, *, outlet_lines=frozenset()) -> CleanedCapture:
    """Split a capture into headline, publication date, language and body.

    Raises ValueError when no headline or no paragraph of text is left.
    """
    lines = _split_lines(raw)
    if not lines:
        raise ValueError("the capture is empty")
    for line in lines:
        _classify(line)
    if _first_prose(lines) == len(lines):
        raise _no_article_text(lines)
    breadcrumb_targets = _mark_breadcrumbs_ending_in_a_line(lines)
    title = _find_title(lines, breadcrumb_targets)
    if title is None:
        raise ValueError(
            "no headline found: no short line without a final full stop "
            "is left once the page furniture is removed"
        )
    _mark_title(lines, title)
    _mark_header_scraps(lines, title)
    _mark_tail_sections(lines, _first_prose(lines))
    _mark_page_footer(lines)
    kept = [line.text for line in lines if line.kept]
    if _first_prose(lines) == len(lines):
        raise _no_article_text(lines)
    body = "\n\n".join(kept)
    return CleanedCapture(
        title=title.text,
        published_on=_publication_date(lines),
        language=_language(f"{title.text}\n{body}"),
        body=body,
        title_line=title.number,
        dropped=[DroppedLine(line.number, line.text, line.reason) for line in lines if line.reason],
    )
