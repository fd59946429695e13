"""Turn a raw text capture of a web page into an article's title, date and body.

A capture is the text of a whole page: the article's paragraphs, one per line,
mixed with the page's furniture (menus, breadcrumbs, share buttons, sign-up
boxes, comment forms). Telling them apart is heuristic, so every line left
out is reported with a short reason for an editor to check, and every kept
line is kept verbatim: quotes checked against the body must match the capture.

Furniture is recognised by what it is, in the spirit of jusText, not by
phrases seen on particular sites: each line is measured (length, sentence
punctuation, stop-word density, link-likeness, share of interface words,
whether other pages of the outlet carry it) and dropped when those say so;
the short lines left are settled by where they stand in the page.

Pure functions: no database, no network.
"""

import datetime
import functools
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field


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
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Line:
    number: int
    text: str
    reason: str = ""  # why the line is dropped; "" while it is kept
    published: datetime.date | None = None  # read from a date line or byline
    updated: datetime.date | None = None
    ambiguous: str = ""  # a day/month-ambiguous date written on the line, not read
    author: str = ""
    opens: str = ""  # "comments", "related" or "end": a tail section of the page begins here

    @property
    def kept(self) -> bool:
        return not self.reason


# --- measuring a line -------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_CJK_OR_WIDE_PUNCTUATION = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\uffef]")
_LATIN_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# A token between spaces with a letter or digit in it ([^\W_] is str.isalnum): "|" is none.
_COUNTED_TOKEN = re.compile(r"\S*?[^\W_]\S*")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CLOSERS = "\"'’”)]）」』】 "
_SENTENCE_ENDS = (".", "!", "?", "。", "！", "？")
# Headlines end in "?" or "!" often enough, in a full stop or a comma hardly ever.
_FULL_STOPS = (".", ",", ";", ":", "。", "，", "；", "：")

HEADING_MAX_WORDS = 25
SUBSTANTIAL_TITLE_WORDS = 5
REPEATED_TITLE_MIN_WORDS = 4
POST_TITLE_MAX_WORDS = 30  # a social post's first line, standing in for a headline
BREADCRUMB_MAX_WORDS = 6  # "Home Community Insights" before a headline
BOILERPLATE_MAX_WORDS = 40  # a longer line is never dropped for what it says alone


def word_count(text: str) -> int:
    """Words, counting two CJK characters as one: Chinese has no spaces to split on."""
    cjk = len(_CJK.findall(text))
    return len(_COUNTED_TOKEN.findall(_CJK_OR_WIDE_PUNCTUATION.sub(" ", text))) + (cjk + 1) // 2


def _latin_words(text: str) -> list[str]:
    return _LATIN_WORD.findall(_CJK_OR_WIDE_PUNCTUATION.sub(" ", text).casefold())


def _short(text: str, max_words: int) -> bool:
    """word_count(text) <= max_words, without counting a paragraph far longer than that."""
    return len(text) <= 10 * max_words and word_count(text) <= max_words


def _ends(text: str, endings: tuple[str, ...]) -> bool:
    stripped = text.rstrip(_CLOSERS)
    # A trailing ellipsis marks a truncated headline, not a finished sentence.
    return stripped.endswith(endings) and not stripped.endswith(("...", "…"))


def ends_like_sentence(text: str) -> bool:
    return _ends(text, _SENTENCE_ENDS)


def is_heading_like(text: str) -> bool:
    return not _ends(text, _FULL_STOPS) and word_count(text) <= HEADING_MAX_WORDS


def normalise_line(text: str) -> str:
    """The form in which two copies of a line compare equal, on one page or across pages."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.casefold().split())


def _language(text: str) -> str:
    cjk = len(_CJK.findall(text))
    return "zh" if cjk and cjk >= len(_LATIN_LETTER.findall(text)) else "en"


# Chinese function characters: prose is full of them, menus and headlines are not.
_CHINESE_STOP_CHARACTERS = frozenset(
    "的了是在和与对为将也都而并其这就把被从向但或之所有不以于会着过说要"
)
# Below these densities a line reads as a label or an advert: jusText's
# stopwords_low for English; Chinese prose has one function character in ten.
FEW_STOP_WORDS = {"en": 0.3, "zh": 0.05}


@functools.cache
def _english_stop_words() -> frozenset[str]:
    import justext  # imported when first needed: it pulls in lxml

    return frozenset(justext.get_stoplist("English"))


def _has_few_stop_words(text: str) -> bool:
    language = _language(text)
    if language == "zh":
        units, stops = _CJK.findall(text), _CHINESE_STOP_CHARACTERS
    else:
        units, stops = _latin_words(text), _english_stop_words()
    density = sum(u in stops for u in units) / len(units) if units else 0.0
    return density < FEW_STOP_WORDS[language]


# --- interface words --------------------------------------------------------

# Single words that label a page's controls rather than tell a story. The
# first group is all but never article text; the second is common in prose
# too and counts half. A line is judged by the share of these words in it, so
# a paragraph that mentions a newsletter or cookies in passing is not furniture.
_INTERFACE_WORDS = dict.fromkeys(
    """share sharing tweet retweet facebook twitter linkedin whatsapp telegram reddit instagram
    youtube weibo wechat email subscribe subscription unsubscribe newsletter inbox sponsor
    advertisement advertising advertise advert cookie login logout signin signup sign log
    password comment reply copyright navigation menu toggle skip scroll icon click popular
    trending 分享 转发 收藏 打印 责任编辑 责编 版权 扫码 二维码 微信 微博 评论 留言 登录 注册
    订阅 免责声明 声明 点击 顶部 首页 广告 转载 热门 上一篇 下一篇 責任編輯 版權 評論 登入 註冊
    訂閱 廣告 點擊 頂部 首頁 熱門 列印 聲明""".split(),  # noqa: SIM905 (reads better as prose)
    1.0,
) | dict.fromkeys(
    """home read more related tag topic follow download app print register registration join
    here continue rights reserved privacy terms policy search article content previous next
    post top back accept preferences settings like also publish update source recommend view
    leave powered trial ad ads 编辑 来源 相关 阅读 推荐 所有 关注 专题 返回 发表 關注 編輯 來源
    相關 閱讀 推薦 新闻 新聞 资讯 資訊""".split(),  # noqa: SIM905
    0.5,
)
_CJK_INTERFACE_WORDS = sorted((w for w in _INTERFACE_WORDS if _CJK.match(w)), key=len, reverse=True)
# Interface words that say what a section of the page holds, when they head it.
_COMMENT_WORDS = frozenset(["comment", "reply", "评论", "留言", "評論"])
_RELATED_WORDS = frozenset("related popular trending recommend also more read 相关 推荐 热门 相關 推薦 熱門".split())  # noqa: E501, SIM905 # fmt: skip


_SUFFIXES = (("", ""), ("s", ""), ("ed", ""), ("d", ""), ("ing", ""), ("ing", "e"))


def _lexicon_entry(word: str) -> str:
    """The interface word `word` is, an English one under a rough stem ("shared", "comments")."""
    for suffix, replacement in _SUFFIXES:
        stem = word.removesuffix(suffix) + replacement
        if word.endswith(suffix) and stem in _INTERFACE_WORDS:
            return stem
    return ""


def _interface_weight(word: str) -> float:
    return _INTERFACE_WORDS.get(_lexicon_entry(word), 0.0)


def _interface_words(text: str) -> list[str]:
    """The interface words of a line, English and Chinese, each as often as it occurs."""
    found = [_lexicon_entry(w) for w in _latin_words(text) if _lexicon_entry(w)]
    found += ["copyright"] * text.count("©")
    for word in _CJK_INTERFACE_WORDS:
        found += [word] * text.count(word)
        text = text.replace(word, " ")
    return found


def _interface_score(text: str) -> float:
    # A Chinese word of two characters counts as one word, as in word_count.
    words = _interface_words(text)
    return sum(_interface_weight(w) * (len(w) / 2 if _CJK.match(w) else 1) for w in words)


def _is_interface(text: str) -> bool:
    """Whether a line is mostly interface words: "Share", "Sign up for our newsletter…"."""
    words = word_count(text)
    if not words or words > BOILERPLATE_MAX_WORDS:
        return False
    score = _interface_score(text)
    share = score / words
    sentence = _ends(text, _SENTENCE_ENDS)
    if (score >= 1.5 and share >= (1 / 4 if sentence else 0.15)) or (words <= 2 and share >= 0.5):
        return True  # "Home", "Log in", "Share this article on Twitter"
    # A sentence needs a larger share: "Xiaomi declined to comment." is news, and so is
    # "I will update this post as Microsoft publishes more details."
    return score >= 1 and share >= (1 / 3 if sentence else 0.25)


_LABEL = re.compile(
    r"[【\[(（]?(?P<label>[^:：|｜【】]{1,30}?)[】\])）]?\s*(?:[:：|｜]|\s[-–—]\s)\s*"
)


def _is_interface_label(text: str) -> bool:
    """ "Read more: <headline>", "Also Read | <headline>", "Tags: …", "责任编辑：李华".

    The label before the colon or bar is interface (and stop) words; what
    follows is a link or a name, not a sentence, unless the label is one of
    the strongest interface words ("声明：本文…。").
    """
    match = _LABEL.match(text)
    if not match or word_count(text) > BOILERPLATE_MAX_WORDS:
        return False
    label = match["label"]
    interface = _interface_words(label)
    if not interface or word_count(label) > 4:
        return False
    latin, cjk = _latin_words(label), "".join(_CJK.findall(label))
    if cjk and 2 * sum(len(w) for w in interface if _CJK.match(w)) < len(cjk):
        return False
    if not all(_interface_weight(w) or w in _english_stop_words() for w in latin):
        return False
    strong = all(_interface_weight(w) == 1.0 for w in interface + latin)
    return strong or not _ends(text, (".", "。"))  # "Read the terms: the quotas expire."


# --- links, menus, breadcrumbs ------------------------------------------------

_WEB_ADDRESS = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w@./])[a-z0-9-]{2,}(?:\.[a-z0-9-]+)*"
    r"\.(?:com|net|org|io|ai|dev|app|co|cn|hk|tw|sg|uk|me)(?:\.[a-z]{2})?(?:/\S*)?(?!\w)"
)
# " | ", " · ", " :: ", "｜", and the wide gaps a capture keeps between menu items.
_LIST_SEPARATOR = re.compile(r"\s+(?:[|•·∙]|::)\s+|\s*｜\s*| {2,}|\t")
_BREADCRUMB_SEPARATOR = re.compile(r"\s*[›»→＞>]\s*|\s+/\s+")
_MENU_ITEM = re.compile(r"[A-ZÀ-Þ][\w'’.-]*|&")


def _link_reason(text: str) -> str:
    """ "web address", "link list", "breadcrumb" or "menu" when the line is one of those."""
    if 2 * len("".join(_WEB_ADDRESS.findall(text))) >= len(text.replace(" ", "")):
        return "web address"
    if not is_heading_like(text):
        return ""
    tags = text.split()
    if len(tags) >= 2 and all(tag.startswith(("#", "＃")) for tag in tags):
        return "hashtags"
    if re.fullmatch(r"[#＃][^#＃\s]+[#＃]", text):  # a Weibo topic: "#话题#"
        return "hashtags"
    items = [item for item in _LIST_SEPARATOR.split(text) if item.strip()]
    if len(items) >= 3 and all(word_count(item) <= 4 for item in items):
        return "link list"
    crumbs = _BREADCRUMB_SEPARATOR.split(text)
    # The last crumb is often the headline itself, so only the trail before it must be short.
    if len(crumbs) >= 2 and crumbs[0] and all(0 < word_count(c) <= 4 for c in crumbs[:-1]):
        return "breadcrumb"
    # Single capitalised (or short Chinese) words side by side, one of them an
    # interface word, so that a headline in title case is not taken for a menu.
    tokens = text.split()
    words_only = all(_MENU_ITEM.fullmatch(t) for t in tokens)
    chinese_words = all(_CJK.match(t) and len(t) <= 4 for t in tokens)
    menu = 3 <= len(tokens) <= 12 and (words_only or chinese_words) and _interface_words(text)
    if menu:
        return "menu"
    # A row of one- and two-character controls: "字号：大 中 小", "A A A", "【打印】【关闭】".
    # Short means a Chinese word of one or two characters, or a lone letter: "to be a" is prose.
    controls = [t for t in _CONTROL_SEPARATOR.split(text) if t]
    short = sum(1 for t in controls if (len(t) <= 2 and _CJK.match(t)) or _LONE_LETTER.fullmatch(t))
    return "page controls" if short >= 3 and short * 5 >= len(controls) * 3 else ""


# --- dates and bylines ------------------------------------------------------

_LONE_LETTER = re.compile(r"[A-Za-z]")
_CONTROL_SEPARATOR = re.compile(r"[\s【】\[\]()（）:：|｜/]+")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# 05/07/2024 is 5 July in Hong Kong and May 7 in the US: such a date is not guessed.
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(?:19|20)\d\d(?![\d/.-])")
_UPDATE_WORD = re.compile(r"updat|modified|revised|更新|修改|修訂|修订", re.I)
_PUBLISH_WORD = re.compile(r"publish|posted|发布|發佈|發布|发表|發表", re.I)
_CLOCK_WITH_DOT = re.compile(r"(?<![\d.])(\d{1,2})\.(\d\d)(?![\d.])")  # "08.12 BST"
_ABBREVIATION_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")  # "Jul." and "a.m." confuse dateparser
DATE_LINE_MAX_WORDS = 20
DATE_LINE_MAX_OTHER_WORDS = 6  # "Published", "Updated 3 hours ago", "来源：科技前沿网"
_DATEPARSER_SETTINGS = {
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["custom-formats", "absolute-time"],  # not "3 hours ago" or "today"
}

_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|van|von|de|da|bin))*"
_NAMES = rf"(?P<name>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)"
_ROLE = (
    "posted|written|words|reported|story|text|(?:additional )?reporting|editing|edited|compiled"
    "|produced|hosted|presented|music"
)
_BYLINE = re.compile(
    rf"(?i:(?P<role>{_ROLE})\s+)?(?i:by)\s*[:：]?\s+{_NAMES}(?P<rest>(?:\s|[,;|·•–—-]).*|$)"
)
# "Lim Wei Ling, Tech Correspondent": a byline without "By", a name then a reporter's title.
_NAME_AND_TITLE = re.compile(
    rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}),\s*(?:[\w-]+\s+){{0,3}}"
    r"(?i:correspondent|reporter|editor|writer|columnist|contributor|journalist|analyst)s?"
)
_AUTHOR_IN_LINE = re.compile(rf"\b(?i:by)\s+{_NAMES}")
_CHINESE_BYLINE = re.compile(
    r"(?:本报讯|本報訊)?[（(【]?(?:(?P<role>记者|記者|作者|撰文|通讯员|通訊員|责任编辑|責任編輯|责编|编辑)"
    r"\s*[:：/｜|]?|文\s*[/:：])\s*(?P<name>[\u4e00-\u9fff·]{2,4})(?=$|[\s、，,|｜）)】/／])"
)
# Credits that close a story: after them comes the page's end matter.
_CLOSING_ROLES = frozenset(
    [
        "reporting",
        "additional reporting",
        "editing",
        "edited",
        "compiled",
        "编辑",
        "责任编辑",
        "责编",
    ]
)


def _byline(text: str) -> tuple[str, str] | None:
    """(author, role) of a byline: "By Jane Doe", "Posted by …", "作者：王小明".

    Also of a wire story's closing credits, in brackets and in parts:
    "(Reporting by A in Hong Kong; Additional reporting by B; Editing by C)".
    """
    if text[:1] in "(（" and text[-1:] in ")）":
        text = text[1:-1].strip()
    parts = [part for part in re.split(r"\s*;\s*", text) if part]
    if len(parts) >= 2:
        credits = [_byline(part) for part in parts]
        return credits[0] if all(credits) else None
    if word_count(text) > 25:
        return None
    match = _BYLINE.match(text)
    # After the name come places, dates, outlets: "By Tuesday, the company had…" is prose.
    linking = {"on", "in", "at", "and", "by", "for", "of", "the"}
    if match and sum(w not in linking for w in re.findall(r"\b[a-z]+\b", match["rest"])) <= 3:
        return match["name"], (match["role"] or "").casefold()
    match = _CHINESE_BYLINE.match(text)
    if match and word_count(text) <= 12:
        return match["name"], match["role"]
    match = _NAME_AND_TITLE.fullmatch(text)
    return (match["name"], "") if match else None


def _author_in(text: str) -> str:
    match = _AUTHOR_IN_LINE.search(text) or _CHINESE_BYLINE.search(text)
    return match["name"] if match else ""


_FIELD = re.compile(r"\s*[^\W\d_]{2,12}(?:\s[^\W\d_]{2,12})?\s*[:：]\s*\S")


def _read_date_line(text: str) -> tuple[list[tuple[datetime.date, bool]], str] | None:
    """The dates of a line that is mostly a date, each with whether it is an "Updated" one.

    Also the day/month-ambiguous date written there ("" if none), which is not
    read. None when the line is not a date line.
    """
    if word_count(text) > DATE_LINE_MAX_WORDS or not _YEAR.search(text):
        return None  # dateparser is slow: only short lines with a year are worth asking
    from dateparser.search import search_dates  # slow to import, and often not needed

    plain = _ABBREVIATION_DOT.sub("", _CLOCK_WITH_DOT.sub(r"\1:\2", text))
    try:
        found = search_dates(plain, languages=["en", "zh"], settings=_DATEPARSER_SETTINGS) or []
    except (ValueError, OverflowError, TypeError):
        found = []
    rest, dates, ambiguous = plain, [], ""
    for written, when in found:
        start = rest.find(written)
        before, rest = rest[:start], rest[:start] + " " + rest[start + len(written) :]
        numeric = _NUMERIC_DATE.search(written)
        first, second = sorted((int(numeric[1]), int(numeric[3]))) if numeric else (0, 0)
        if first != second and second <= 12:
            ambiguous = numeric[0]
            continue
        # An "Updated" date follows the word "Updated"; a "Published" one may follow it too.
        updates = [m.end() for m in _UPDATE_WORD.finditer(before)]
        publishes = [m.end() for m in _PUBLISH_WORD.finditer(before)]
        dates.append((when.date(), max(updates, default=-1) > max(publishes, default=-1)))
    if not dates and not ambiguous:
        return None
    author = _author_in(text)
    rest = _AUTHOR_IN_LINE.sub(" ", rest).replace(author, " ") if author else rest
    # "2024-07-09 14:32   Source: Tech Daily   Author: Chen Siyuan": labelled fields beside it.
    fields = [item for item in _LIST_SEPARATOR.split(rest) if item.strip()]
    if len(fields) >= 2:
        rest = " ".join(item for item in fields if not _FIELD.match(item))
    # "312 points by kai 2024-06-25 08:14 UTC | hide | past | 187 comments": controls beside it.
    items = [item for item in _LIST_SEPARATOR.split(plain) if item.strip()]
    controls = sum(word_count(item) <= 2 for item in items)
    if len(items) >= 3 and controls >= len(items) - 1 and not any(map(_FIELD.match, items)):
        rest = " ".join(_YEAR.sub(" ", item) for item in items if word_count(item) > 2)
        rest = " ".join(w for w in rest.split() if not re.fullmatch(r"[\d:.\-/]+", w))
    other = word_count(rest)
    # "The block starts on July 9, 2024." is a sentence that mentions a date.
    if other > DATE_LINE_MAX_OTHER_WORDS or (
        _ends(text, _SENTENCE_ENDS) and other - len(_interface_words(rest)) >= 2
    ):
        return None
    return dates, ambiguous


def read_date_line(text: str) -> tuple[datetime.date | None, str]:
    """The published date a date line gives, and any ambiguous date it writes instead.

    (None, "") when `text` is not a date line. For intake of HTML pages that
    declare no date: their visible date lines are read as a text capture's are.
    """
    dated = _read_date_line(text)
    if not dated:
        return None, ""
    dates, ambiguous = dated
    published = next((d for d, updated in dates if not updated), None)
    return published or (dates[0][0] if dates else None), ambiguous


def _date_reason(line: _Line) -> str:
    """Read a byline or a date line into `line`; its reason, or ""."""
    byline, dated = _byline(line.text), _read_date_line(line.text)
    if dated:
        dates, line.ambiguous = dated
        line.published = next((d for d, updated in dates if not updated), None)
        line.updated = next((d for d, updated in dates if updated), None)
    if byline and byline[1] in _CLOSING_ROLES:
        line.opens = "end"  # an editor, or the reporters, credited below the story
        return "credit line"
    if byline:
        line.author = byline[0]
        return "byline"
    if dated:
        line.author = _author_in(line.text)
        return "date line"
    return ""


# --- photo captions ---------------------------------------------------------

_PICTURE_WORDS = frozenset("photo photograph image picture illustration credit getty 图 图片 摄影 圖 圖片 攝影".split())  # noqa: E501, SIM905 # fmt: skip
_PARENTHESISED = re.compile(r"[(（](?P<label>[^()（）]{1,60})[)）]\s*$")
_TRAILING_LABEL = re.compile(
    r"(?:^|[.!?。]\s*)(?P<label>[^\W\d_]+(?:\s[^\W\d_]+)?)\s*[:：]\s*[^.!?。:：]{1,60}$"
)
CAPTION_MAX_WORDS = 40
_AGENCY_AFTER_THE_SENTENCE = re.compile(
    r"[.!?]\s*[(（](?:[A-Z][\w&.'-]*\s?){1,3}[)）]$|[。！？]\s*（[\u4e00-\u9fff]{2,5}）$"
    # "… in Paris, June 2024. JOËL SAGET / AFP": the photographer and agency, in capitals.
    r"|[.!?]\s+[A-ZÀ-Þ'’-]{2,}(?:\s+[A-ZÀ-Þ'’-]{2,}){0,3}\s*/\s*[A-Z]{2,}$"
)


def _has_picture_word(text: str) -> bool:
    words = _latin_words(text)[:3] + [w for w in _PICTURE_WORDS if _CJK.match(w) and w in text]
    return any(w.removesuffix("s") in _PICTURE_WORDS for w in words)


def _picture_credit(text: str) -> str:
    """ "credit" for "Photo: Reuters" or "Photo by Jane Doe"; "caption" for a line ending in one."""
    words = word_count(text)
    label = _LABEL.match(text)
    latin = _latin_words(text)
    if words <= 12 and (
        (label and _has_picture_word(label["label"]))
        or (len(latin) > 2 and latin[1] == "by" and _has_picture_word(latin[0]))
    ):
        return "credit"
    ending = _PARENTHESISED.search(text) or _TRAILING_LABEL.search(text)
    if words <= CAPTION_MAX_WORDS and ending and _has_picture_word(ending["label"]):
        return "caption"
    # "A visitor tries an assistant at a fair on June 26. (Yonhap)": the agency that took it.
    if words <= CAPTION_MAX_WORDS and _AGENCY_AFTER_THE_SENTENCE.search(text):
        return "caption"
    return ""


def _mark_captions(lines: list[_Line]) -> None:
    """Drop picture credits, the caption printed before each, and every copy of a caption."""
    captions = set()
    for index, line in enumerate(lines):
        credit = _picture_credit(line.text)
        before = lines[index - 1] if index else None
        if credit == "caption":
            captions.add(normalise_line(line.text))
        elif credit and before and before.kept and word_count(before.text) <= CAPTION_MAX_WORDS:
            captions.add(normalise_line(before.text))
    for line in lines:
        if line.kept and normalise_line(line.text) in captions:
            line.reason = "photo caption"


# --- the page speaking to its reader, or of itself ---------------------------

# What a page asks its reader to do next: "Join our Telegram channel", "Send us a
# letter", "Listen to this article", "点击上方蓝字，设为星标". A story reports what
# others did; it does not open a sentence by telling the reader what to do.
_READER_VERBS = frozenset(
    """listen join upgrade send explore subscribe follow sign click tap download get watch share
    support try discover visit contact register donate become unlock enjoy claim scan tell write
    email gift save have see reuse""".split()  # noqa: SIM905 (reads better as prose)
)
# Tapping and scanning are all a reader does with a page: these need nothing more.
_TAP_VERBS_ZH = ("点击", "點擊", "长按", "長按", "扫码", "掃碼", "设为星标", "設為星標")
_READER_VERBS_ZH = (*_TAP_VERBS_ZH, "关注", "關注", "扫描", "掃描")
# A word, not the first part of one: "Sign-ups doubled" opens with a noun.
_SENTENCE_START = re.compile(
    r"(?:^|(?<=[.!?。！？]))\s*[\"'“‘「]?(?:(?i:please)\s+)?(?P<word>[^\W\d_]+)(?![\w'’-])"
)
_TO_THE_READER = re.compile(r"\b(?:you|your|yours|yourself|us)\b|您", re.I)
# The page naming itself: "this article", "these topics", "the views expressed", "本文".
_SELF_REFERENCE = re.compile(
    r"\b(?:this|these)\s+(?:article|story|stories|page|piece|post|report|newsletter|e-?mail|"
    r"episode|podcast|column|content|topics?|site|website|analysis|transcript)\b|"
    r"\b(?:views|opinions)\s+expressed\b|本文|本号|本站|本刊|本報|本报|本網|本网",
    re.I,
)
# A disclaimer's and a reuse notice's vocabulary: a story seldom has two of these words.
_DISCLAIMER_WORD = re.compile(
    r"\b(?:constitutes?|advice|endorse(?:s|ment)?|liab(?:le|ility)|warrant(?:y|ies)|necessarily|"
    r"institutional|positions?|solely|alone|permission|authori[sz](?:ed|ation)|reproduc\w*|"
    r"republish\w*|reprint\w*|informational)\b|免责|免責|仅供参考|僅供參考|不构成|不構成|"
    r"投资建议|投資建議|不代表|授权|授權|转载|轉載|转自|轉自|立场|立場",
    re.I,
)
_QUOTED = re.compile(r"[\"“”「」『』]")
READER_LINE_MAX_WORDS = 40
BOX_MAX_LINES = 3  # a box's heading, its blurb and its button


# What follows a reader's verb on a button: "Join now", "Sign up", "Learn more", "Try it free".
_BUTTON_WORDS = frozenset("now here today free for in up us more it".split())  # noqa: SIM905


def _is_button(text: str) -> bool:
    words = [w.casefold() for w in _latin_words(text)]
    return 1 <= len(words) <= 3 and set(words[1:]) <= _BUTTON_WORDS and not _ends(text, (".",))


_PLEASE = re.compile(r"\b(?i:please)\s+(?P<word>[^\W\d_]+)")


def _opens_with_a_reader_verb(text: str) -> bool:
    """Whether a sentence of the line opens by telling the reader what to do."""
    if text.startswith(_READER_VERBS_ZH):
        return True
    if any(m["word"].casefold() in _READER_VERBS for m in _PLEASE.finditer(text)):
        return True  # "If you can, please support us"
    return any(m["word"].casefold() in _READER_VERBS for m in _SENTENCE_START.finditer(text))


def address_reason(text: str, *, in_the_tail: bool = False) -> str:
    """Why a line is the page talking to its reader or about itself; "" for story text.

    A call to action opens a sentence with a reader's verb and names the reader
    or the page ("Upgrade your broadband", "Explore more on these topics"); in
    the page's tail, after the story's last paragraph, the verb alone will do
    ("Support independent journalism from €3 a month"). A disclaimer or a
    reuse notice speaks of the page in a disclaimer's words ("This article
    does not constitute investment advice", "本文转自…，已获授权"). A line
    with quotation marks is somebody's words, which a story reports.
    """
    if not _short(text, READER_LINE_MAX_WORDS) or (_QUOTED.search(text) and not _CJK.search(text)):
        return ""
    outside_quotes = re.sub(r"“[^”]*”|「[^」]*」|\"[^\"]*\"", " ", text)
    reader_verb = _opens_with_a_reader_verb(text)
    speaks_to_reader = _TO_THE_READER.search(outside_quotes) or _SELF_REFERENCE.search(text)
    # "Subscribe for free to receive new posts": the verb, and what the page offers. Not
    # with figures in it: "Follow the money: Baidu's shares rose 5%" is a story's sentence.
    offers = _interface_score(outside_quotes) >= 1.5 and not re.search(r"\d", outside_quotes)
    if text.startswith(_TAP_VERBS_ZH) or (
        reader_verb and (speaks_to_reader or offers or in_the_tail or _is_button(text))
    ):
        return "call to the reader"
    disclaiming = len(_DISCLAIMER_WORD.findall(outside_quotes))
    if disclaiming >= 3 or (disclaiming and _SELF_REFERENCE.search(outside_quotes)):
        return "disclaimer or reuse notice"
    return ""


_ROLE_NOUNS = frozenset(
    """fellow professor correspondent editor reporter writer columnist analyst director
    researcher author journalist founder partner lecturer associate chair chief economist
    scholar contributor student adviser advisor consultant head lawyer scientist""".split()  # noqa: SIM905
)
_NAME_THEN_VERB = re.compile(
    rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})\s+"
    r"(?:is|was|has been|writes|covers|teaches|leads|heads)\b"
)
_CHINESE_BIO = re.compile(r"[（(]?(?:作者|作者简介|作者簡介)\s*[系为為是:：]")


def is_author_bio(text: str, author: str = "") -> bool:
    """ "Jane Doe is a senior fellow at …", "（作者系…研究员）": who wrote the piece, not the story.

    The name is the byline's author, or any name followed by a role such as
    fellow, professor or correspondent; only the page's tail is asked.
    """
    if not _short(text, READER_LINE_MAX_WORDS):
        return False
    if _CHINESE_BIO.match(text):
        return True
    match = _NAME_THEN_VERB.match(text)
    if not match:
        return False
    name = match["name"]
    if author and (name == author or name.split()[-1] in author.split()):
        return True
    return bool(set(w.casefold() for w in _latin_words(text)) & _ROLE_NOUNS)


# "About Yunlan AI", "About the Forum", "关于智谱": the heading of a press release's
# boilerplate paragraph about an organisation.
_ABOUT_HEADING = re.compile(
    r"(?:About|ABOUT)\s+(?:the\s+|The\s+)?(?P<name>[A-Z0-9][\w&.'’ -]*)$"
    r"|(?:关于|關於)(?P<zh>\S{2,12})$"
)


def about_heading_name(text: str) -> str:
    """The organisation an "About <name>" heading is about, or "" if it is not one."""
    match = _ABOUT_HEADING.match(text)
    if not match or word_count(text) > 6:
        return ""
    return (match["name"] or match["zh"] or "").strip()


# --- a line on its own ------------------------------------------------------


# Not "(c)": that opens the third item of a list as often as it stands for ©.
_COPYRIGHT = re.compile(r"^(?:©|copyright\b)|all rights reserved|版权所有|版權所有", re.I)


# A printed page's furniture, in text taken from a PDF: "Page 2 of 4", "- 3 -", "第2页".
_PAGE_NUMBER = re.compile(
    r"(?i:page\s+)?\d{1,3}\s*(?:of|/)\s*\d{1,3}|[-–—]\s*\d{1,3}\s*[-–—]|第\s*\d+\s*[页頁]"
)
_DISCLOSURES_HEADING = re.compile(
    r"\b(?i:disclaimers?|disclosures?|legal notice)\b|免责声明|免責聲明"
)
# "Figure 1: …", "Table 2.", "Exhibit 3 –", "图1："; its rows follow, to its "Source:" line.
_FIGURE_LABEL = re.compile(
    r"(?:(?i:figure|fig\.|table|chart|exhibit)\s*\d+|[图表圖]\s*\d+)\s*[:：.–—-]"
)
_SOURCE_LABEL = re.compile(r"(?i:sources?)\s*[:：]|来源[:：]|來源[:：]|资料来源|資料來源")

# "74 comments", "328 条评论": what follows is the comments. (A zero-width space is no text.)
_COMMENT_COUNT = re.compile(
    r"\u200b?[\d,.]+\s*[kK万萬]?\s*条?\s*(?:comments?|replies|评论|評論|留言)(?!\w)", re.I
)
# "2,315 人赞同了该文章", "1.2K likes", "87 claps": readers' reactions, counted.
_REACTIONS = re.compile(
    r"\u200b?[\d,.]+\s*[kK万萬]?\s*(?:人赞同|人贊同|人点赞|人點讚|(?:people|likes?|reactions?|claps?|upvotes?)(?!\w))",
    re.I,
)
# "粉丝 87.3万", "8,912 followers": an account's audience, counted.
_FOLLOWERS = re.compile(
    r"(?:粉丝|粉絲|(?i:followers?))\s*[\d.,]+\s*[kKmM万萬]?|[\d.,]+\s*[kKmM万萬]?\s*(?:粉丝|粉絲|(?i:followers?))"
)
# "5 hours ago", "2w", "3天前": comments and posts are dated so, articles by the calendar.
_TIME_AGO = re.compile(
    r"\b\d+\s*(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b"
    r"|^\d{1,2}(?:s|m|h|d|w|mo|y)(?:\s*[•·]?\s*(?:Edited|edited))?$|\d+\s*(?:分钟|分鐘|小时|小時|天|周|週|个月|個月)前",
)
TIME_AGO_LINE_MAX_WORDS = 12


def _is_market_data(text: str) -> bool:
    """ "Sensex 78,674.25 +620.73 | Nifty 23,868.80": prices, most of the words numbers."""
    words = [w for w in text.split() if any(c.isalnum() for c in w)]
    numbers = [w for w in words if re.fullmatch(r"[+\-−▲▼]?[\d.,]+%?", w)]
    return len(numbers) >= 3 and 2 * len(numbers) >= len(words) and word_count(text) <= 30


def _is_time_ago(text: str) -> bool:
    return word_count(text) <= TIME_AGO_LINE_MAX_WORDS and bool(_TIME_AGO.search(text))


def _judge(line: _Line, outlet_lines: frozenset[str]) -> None:
    """Mark a line that is page furniture whatever its neighbours are."""
    text = line.text
    line.reason = _date_reason(line)
    if line.reason:
        return
    if normalise_line(text) in outlet_lines and word_count(text) <= BOILERPLATE_MAX_WORDS:
        line.reason = "repeated on other pages of this outlet"
    elif _COMMENT_COUNT.match(text) and word_count(text) <= 8:
        line.reason, line.opens = "the number of comments", "comments"
    elif _picture_credit(text) == "credit":
        line.reason = "photo caption"
    elif reason := _link_reason(text):
        line.reason = reason
    elif _is_interface_label(text) or _is_interface(text):
        line.reason = "interface words"
        line.opens = _section_opened(text)
    elif _COPYRIGHT.search(text) and word_count(text) <= BOILERPLATE_MAX_WORDS:
        line.reason = "copyright line"
    elif _PAGE_NUMBER.fullmatch(text):
        line.reason = "page number"
    elif _is_market_data(text):
        line.reason = "market data"
    elif is_heading_like(text) and _DISCLOSURES_HEADING.search(text) and word_count(text) <= 4:
        line.reason, line.opens = "disclaimer heading", "end"
    elif _FIGURE_LABEL.match(text) and word_count(text) <= CAPTION_MAX_WORDS:
        line.reason, line.opens = "figure or table", "figure"
    elif (_REACTIONS.match(text) or _FOLLOWERS.fullmatch(text)) and word_count(text) <= 8:
        line.reason = "reactions"
    elif _is_time_ago(text):
        line.reason, line.opens = "a time ago: the byline of a comment", "comments"
    elif reason := address_reason(text):
        line.reason = reason
    elif _ABOUT_ITSELF.match(text) and word_count(text) <= 25:
        line.reason = "the page about itself"


def _section_opened(text: str) -> str:
    """The tail section a short interface line heads: comments, or a list of links."""
    if word_count(text) > 6 or (_LABEL.match(text) and _LABEL.sub("", text, count=1).strip()):
        return ""  # "Read more: <headline>" is one link, not the heading of a list
    words = set(_interface_words(text))
    if words & _COMMENT_WORDS and _interface_score(text) / word_count(text) >= 0.5:
        return "comments"
    return "related" if words & _RELATED_WORDS else ""


def boilerplate_reason(text: str) -> str:
    """Why one line, judged on its own, is page furniture; "" when it may be article text.

    Without its neighbours a short line cannot be told from a subheading, so
    only what the line says decides: a date, a byline, a link list or menu,
    interface words, a photo credit.
    """
    line = _Line(0, text.strip())
    if line.text:
        _judge(line, frozenset())
    if not line.reason and line.text and _picture_credit(line.text):
        line.reason = "photo caption"
    return line.reason


# --- runs of lines ----------------------------------------------------------


def _mark_labelled_runs(lines: list[_Line]) -> None:
    """Drop links under a label printed twice or more, and a label's list of short lines.

    "Lire aussi | <headline>", twice: whatever the language, a label the page
    repeats before headlines is its own. "文章标签：" then "人工智能", "python":
    a label ending in a colon over a list of one- or two-word items.
    """
    labels = Counter()
    for line in lines:
        match = _LABEL.match(line.text) if line.kept else None
        if match and word_count(match["label"]) <= 3 and is_heading_like(line.text):
            labels[match["label"].strip().casefold()] += 1
    for line in lines:
        match = _LABEL.match(line.text) if line.kept else None
        if match and labels[match["label"].strip().casefold()] >= 2 and is_heading_like(line.text):
            line.reason = "a label the page repeats: links"
    for index, line in enumerate(lines):
        if not (line.kept and _ends(line.text, (":", "：")) and word_count(line.text) <= 4):
            continue
        run = list(
            itertools.takewhile(
                lambda other: other.kept and word_count(other.text) <= 2, lines[index + 1 :]
            )
        )
        if len(run) >= 2:
            for item in [line, *run]:
                item.reason = "a label's list of short items"


def _mark_promotions(lines: list[_Line]) -> None:
    """Drop runs of promotional lines, and advertisements for a web address.

    One line with an interface word or two and few stop words may be news;
    two or more in a row ("… opens registrations here.", "Join … here.") are
    an advertising block. A line sending readers to a web address with
    interface words ("Start a free trial at acme.io"), and the short line
    before it naming the same site ("… brought to you by Acme."), are an
    advertisement.
    """
    suspect = [False] + [
        line.reason in ("", "interface words")
        and word_count(line.text) <= 30
        and _interface_score(line.text) >= 0.5
        and _has_few_stop_words(line.text)
        for line in lines
    ] + [False]  # fmt: skip
    for index, line in enumerate(lines, start=1):
        if line.kept and suspect[index] and (suspect[index - 1] or suspect[index + 1]):
            line.reason = "interface words, few stop words"
    # "SL Business is now on Telegram", perhaps a blurb, then a "Join now" button: a box,
    # and its first line is the box's heading.
    for index, line in enumerate(lines):
        if not (line.reason == "call to the reader" and _is_button(line.text)):
            continue
        above = index - 1
        while above > 0 and not lines[above].kept and index - above <= BOX_MAX_LINES:
            above -= 1
        heading = lines[above] if above >= 0 else None
        if (
            heading
            and heading.kept
            and is_heading_like(heading.text)
            and word_count(heading.text) <= 12
        ):
            heading.reason = "the heading of a call to the reader"
    for index, line in enumerate(lines):
        addresses = _WEB_ADDRESS.findall(line.text) if line.kept else []
        sites = [re.sub(r"^\w+://|^www\.", "", a).split(".")[0].casefold() for a in addresses]
        sites = [site for site in sites if len(site) >= 4 and "@" not in site]
        if not sites or word_count(line.text) > 60:
            continue
        if not _interface_score(_WEB_ADDRESS.sub(" ", line.text)):
            continue
        line.reason = "advertisement (web address)"
        before = lines[index - 1] if index else None
        if before and before.kept and word_count(before.text) <= 15:
            names_the_site = sites[0] in re.sub(r"\W", "", before.text.casefold())
            before.reason = "advertisement (web address)" if names_the_site else ""


def _mark_pull_quotes(lines: list[_Line], start: int) -> None:
    """Drop a short line whose words are repeated from a paragraph: a pull quote."""
    kept = [normalise_line(line.text) for line in lines[start:] if line.kept]
    for line in lines[start:]:
        key = normalise_line(line.text).strip("\"'.,!?… ")
        quoted = line.text[0] in '"“「『' or _ends(line.text, _SENTENCE_ENDS)
        if not (line.kept and quoted and len(key) >= 30 and word_count(key) <= 40):
            continue
        if any(key in other and len(other) > len(key) + 5 for other in kept):
            line.reason = "pull quote (repeated from the text)"


# --- the article's shape ----------------------------------------------------


def _mark_breadcrumbs_ending_in_a_line(lines: list[_Line]) -> list[_Line]:
    """Drop "Home Community Insights <headline>" lines; return the headlines they end with.

    Such a trail has no separators to spot, but it ends with another line of
    the capture, the headline, after a few short words.
    """
    headings = [line for line in lines if line.kept and is_heading_like(line.text)]
    by_text = {}
    for line in headings:
        if word_count(line.text) >= 3:
            by_text.setdefault(normalise_line(line.text), line)
    targets = []
    for trail in headings:
        words = normalise_line(trail.text).split(" ")
        for skip in range(1, min(len(words), BREADCRUMB_MAX_WORDS + 1)):
            headline = by_text.get(" ".join(words[skip:]))
            if headline:
                trail.reason = "breadcrumb"
                targets.append(headline)
                break
    # "Home / Technology / <headline>": a trail with separators ends with the headline too,
    # printed again above the text (not a "Today's releases" link in the footer).
    first = _first_prose(lines)
    text_starts = lines[first].number if first < len(lines) else 0
    for trail in (line for line in lines if line.reason == "breadcrumb"):
        last = _BREADCRUMB_SEPARATOR.split(trail.text)[-1]
        headline = by_text.get(normalise_line(last)) if word_count(last) >= 3 else None
        if headline and headline.number < text_starts and headline not in targets:
            targets.append(headline)
    return targets


def _first_prose(lines: list[_Line], after: int = 0) -> int:
    """The index of the first kept line that reads as a paragraph, or len(lines)."""
    for index in range(after, len(lines)):
        if lines[index].kept and not is_heading_like(lines[index].text):
            return index
    return len(lines)


def _header_end(lines: list[_Line]) -> int:
    """Where the article's text starts: its first paragraph after the byline or date.

    A sentence or two above the byline (a promotion, a site's motto) is still
    the page's header; more than that, and the byline is further down.
    """
    first = _first_prose(lines)
    dated = (i for i, line in enumerate(lines) if line.reason in ("byline", "date line"))
    anchor = next(dated, 0)
    above = [line for line in lines[first:anchor] if line.kept and not is_heading_like(line.text)]
    if anchor > first and len(above) <= 2 and all(word_count(a.text) <= 20 for a in above):
        return _first_prose(lines, anchor)
    return first


_RULE = re.compile(r"([^\w\s])\1{2,}|(＊){3,}")


def _find_title(lines: list[_Line], breadcrumb_targets: list[_Line], end: int) -> _Line | None:
    headings = [
        line
        for line in lines
        if line.kept and is_heading_like(line.text) and word_count(line.text) >= 2
    ]
    limit = lines[end].number if end < len(lines) else lines[-1].number + 1
    header = [line for line in headings if line.number < limit]
    # A headline is often printed several times (page title, heading, social card),
    # once at least above the text; a row of controls under every comment is not,
    # nor a section's name or a share button printed in the menu and again by the story.
    # Nor a subheading listed in a table of contents above the text.
    counts = Counter(normalise_line(line.text) for line in headings)
    prose = [line.number for line in lines if line.kept and not is_heading_like(line.text)]
    body = range(limit, max(prose, default=0))
    subheadings = {normalise_line(line.text) for line in headings if line.number in body}
    repeated = [
        line
        for line in header
        if counts[normalise_line(line.text)] >= 2
        and word_count(line.text) >= REPEATED_TITLE_MIN_WORDS
        and normalise_line(line.text) not in subheadings
    ]
    if repeated:
        return max(repeated, key=lambda line: counts[normalise_line(line.text)])
    if breadcrumb_targets:
        return breadcrumb_targets[0]
    # A heading underlined by a row of one symbol ("＊＊＊＊＊", "=====") is marked as the title.
    for line in header:
        after = lines.index(line) + 1
        if after < len(lines) and _RULE.fullmatch(lines[after].text):
            return line

    # The headline stands beside its byline or date, perhaps past an author's
    # name; the site's name and motto do not.
    def beside(index: int, step: int) -> _Line | None:
        index += step
        while 0 <= index < end and lines[index].kept and word_count(lines[index].text) < 3:
            index += step
        return lines[index] if 0 <= index < end else None

    for anchor in ("byline", "date line"):
        for index in (i for i in range(end) if lines[i].reason == anchor):
            for neighbour in (beside(index, -1), beside(index, 1)):
                if neighbour in header:
                    return _without_site_name(_above_its_standfirst(lines, neighbour), headings)
    substantial = [line for line in headings if word_count(line.text) >= SUBSTANTIAL_TITLE_WORDS]
    in_header = [h for h in header if h in substantial]
    # A line of several items ("繁體版 | 简体版 | Text Size: A A A") is more likely the
    # page's controls; "<headline> | <site>", one separator, may still be the headline.
    plain = [h for h in in_header if len(_LIST_SEPARATOR.findall(h.text)) < 2]
    # A heading straight above the text, with only furniture above it (an account's name,
    # counts, a topic tag), is the post's headline, not the account's tagline further up.
    above_text = lines[end - 1] if 0 < end < len(lines) else None
    if above_text in plain and end >= 2 and not lines[end - 2].kept:
        return above_text
    if plain:
        return _without_site_name(plain[0], headings)
    # A post has no headline, only its author's tagline ("Head of Platforms | LLMs |
    # ex-architect") above it: its first line, when short, is what it is called.
    if in_header and end < len(lines) and word_count(lines[end].text) <= POST_TITLE_MAX_WORDS:
        return lines[end]
    for candidates in (in_header, substantial):
        if candidates:
            return _without_site_name(candidates[0], headings)
    return max(header, key=lambda line: word_count(line.text), default=None)


# Markdown's heading and list marks: "# Title", "## Section", "- Section", "1. Section".
_MARKUP = re.compile(r"^(?:#{1,6}|[-*•]|\d{1,2}[.)])\s+")
# An aggregator's title ends with where the link goes: "(self.asiadevops)", "(example.com)".
_HOST_TAG = re.compile(r"\s+\((?:self\.\w+|[a-z0-9-]+(?:\.[a-z0-9-]+)+)\)$")


def _above_its_standfirst(lines: list[_Line], candidate: _Line) -> _Line:
    """The headline when `candidate`, beside the byline, is the longer standfirst under it.

    Not the outlet's name printed above the headline: that name recurs inside
    other lines ("… is The Review's correspondent", "© The Review").
    """
    index = lines.index(candidate)
    above = lines[index - 1] if index else None
    if (
        above is not None
        and above.kept
        and is_heading_like(above.text)
        and 3 <= word_count(above.text) < word_count(candidate.text)
        and not _recurs_inside_other_lines(lines, above)
    ):
        return above
    return candidate


def _recurs_inside_other_lines(lines: list[_Line], line: _Line) -> bool:
    key = normalise_line(line.text)
    return any(key in (text := normalise_line(other.text)) and text != key for other in lines)


def _without_site_name(candidate: _Line, headings: list[_Line]) -> _Line:
    """The bare headline when `candidate` is it followed by the outlet's name: "<h> | Site"."""
    text = normalise_line(candidate.text)
    for headline in headings:
        key = normalise_line(headline.text)
        rest = text[len(key) :]
        if headline is not candidate and text.startswith(key) and re.match(r"\s*[|｜–—:·-]", rest):
            return headline if word_count(rest) <= 6 else candidate
    return candidate


def _mark_title(lines: list[_Line], title: _Line) -> None:
    """Drop every copy of the headline, and whatever page header comes before it."""
    key, title_index = normalise_line(title.text), lines.index(title)
    for index, line in enumerate(lines):
        text = normalise_line(line.text)
        if line is title:
            line.reason = "title"
        elif line.kept and key in text and word_count(text) - word_count(key) <= 6:
            # "<headline> | Site", and "3 thoughts on “<headline>”" above the comments.
            line.reason = "repeated title"
            if line.text[0].isdigit() and index > title_index:
                line.opens = "comments"
        elif line.kept and line.number < title.number:
            line.reason = "page header"


def _mark_header_scraps(lines: list[_Line], title: _Line) -> None:
    """Drop the kicker, author name and such between the headline and the first paragraph.

    Also a table of contents there: lines that are the text's own subheadings.
    """
    start = lines.index(title)
    end = _first_prose(lines, start)
    later = {_MARKUP.sub("", normalise_line(line.text)) for line in lines[end:] if line.kept}
    for line in lines[start:end]:
        if not line.kept:
            continue
        if word_count(line.text) <= 4:
            line.reason = "page header"
        elif is_heading_like(line.text) and _MARKUP.sub("", normalise_line(line.text)) in later:
            line.reason = "table of contents"


def _mark_tail_sections(lines: list[_Line], start: int) -> None:
    """Drop comments, related-article lists and end matter once the article has begun.

    After a comment form everything is comments, and after a closing credit
    ("Reporting by …; Editing by …", "责任编辑：…") the page's end matter. After
    a "Related articles" heading the short lines are links, until a paragraph
    shows the article resumed; after a "Figure 1:" label they are the rows of
    the figure or table, to its "Source:" line.
    """
    section = ""
    for line in lines[start:]:
        if line.opens and section not in ("comments", "end"):
            section = line.opens
        elif section == "figure" and _SOURCE_LABEL.match(line.text):
            section = ""  # a figure's "Source:" line is its last
            line.reason = line.reason or "figure or table"
            continue
        if section == "comments" and (line.kept or line.reason == "date line"):
            line.reason = "comment section"
            line.published = line.updated = None  # a comment's date is not the article's
            line.ambiguous = ""
        elif not line.kept:
            continue
        elif section == "end":
            line.reason = "page footer"
        elif section == "related" and is_heading_like(line.text) and not _heads_prose(lines, line):
            line.reason = "related links"
        elif section == "figure" and is_heading_like(line.text):
            line.reason = "figure or table"
        else:
            section = ""


def _heads_prose(lines: list[_Line], line: _Line) -> bool:
    """Whether `line` is a subheading where the text resumes after a list of links.

    It stands apart from the list, after a blank line, and a paragraph follows
    it; a list's last link runs on from the others.
    """
    index = lines.index(line)
    apart = index and line.number - lines[index - 1].number > 1
    following = next((other for other in lines[index + 1 :] if other.kept), None)
    return bool(apart) and following is not None and not is_heading_like(following.text)


def _mark_page_footer(lines: list[_Line], author: str) -> None:
    """Drop what follows the story's last paragraph: short lines, calls to the reader, a bio.

    A heading there heads nothing; a line there telling the reader to act, or
    saying who the author is, is the page's, not the story's.
    """
    for line in reversed(lines):
        if not line.kept:
            continue
        if reason := address_reason(line.text, in_the_tail=True):
            line.reason = reason
        elif is_author_bio(line.text, author):
            line.reason = "the author's biography"
        elif _byline(line.text) or _ASSISTANCE.match(line.text):  # credits at the end
            line.reason = "credit line"
        elif reason := _end_matter_reason(line.text):
            line.reason = reason
        elif is_heading_like(line.text):
            line.reason = "page footer"
        else:
            return


# "--With assistance from A and B.", "Additional reporting from C": a wire story's credits.
_ASSISTANCE = re.compile(r"[-–—\s]*(?i:with )?(?i:additional )?(?i:assistance|reporting) from\s")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "This article appeared in print…", "A version of this story…": the page about itself.
# Its subject is the page: "We will update this story" is the story's own sentence.
_ABOUT_ITSELF = re.compile(
    r"(?:an?\s+(?:version|earlier version|translation)\s+of\s+)?"
    r"(?:this|本)\s*(?:article|story|piece|report|column|transcript|文)\b"
    r"|(?:an?\s+)?translation\s+of\s+(?:an?|this)\s+(?:article|story|original)\b",
    re.I,
)


def _end_matter_reason(text: str) -> str:
    """Why a line after the story is the page's end matter; "" if it may be the story's.

    A label whose list has gone ("To contact the reporter:"), labelled lists
    ("Tickers: BIDU US; 9988 HK"), contact details, and a sentence about the
    page itself. The story's "… did not respond to a request for comment on
    this story." ends with the page, it does not open with it.
    """
    if not _short(text, BOILERPLATE_MAX_WORDS):
        return ""
    if _ends(text, (":", "：")) and word_count(text) <= 12:
        return "a label for what followed"
    label = _LABEL.match(text)
    rest = _LABEL.sub("", text, count=1) if label else ""
    listed = label and word_count(label["label"]) <= 3 and re.search(r"[;,]", rest)
    if listed and not _ends(rest, _SENTENCE_ENDS):
        return "a labelled list"
    if _EMAIL.search(text) and word_count(text) <= 15:
        return "contact details"
    if _ABOUT_ITSELF.match(text):
        return "the page about itself"
    return ""


def page_speech(paragraphs: list[str], *, author: str = "") -> dict[int, str]:
    """Which of an extracted article's paragraphs are the page's own words, with why.

    For text another extractor (trafilatura) kept: calls to the reader,
    disclaimers, copyright lines, date lines, an "About <organisation>" block, and after
    the last paragraph of the story, a heading or the author's biography.
    """
    lines = [_Line(index, text) for index, text in enumerate(paragraphs)]
    for line in lines:
        if _COPYRIGHT.search(line.text) and word_count(line.text) <= BOILERPLATE_MAX_WORDS:
            line.reason = "copyright line"
        elif any(read_date_line(line.text)):  # another item's date: the page's own is meta
            line.reason = "date line"
        elif _is_interface_label(line.text):
            line.reason = "interface words"  # "Sponsored: …", "Read more: …"
        else:
            line.reason = address_reason(line.text)
    _mark_about_blocks(lines, 0)
    _mark_tail_sections(lines, 0)
    _mark_page_footer(lines, author)
    return {line.number: line.reason for line in lines if line.reason}


def _mark_about_blocks(lines: list[_Line], start: int) -> None:
    """Drop a press release's "About <organisation>" heading, and everything after it.

    It is one only when the paragraph under it names the organisation and few
    paragraphs follow: a subheading in a story heads more of it.
    """
    for index in range(start, len(lines)):
        line, name = lines[index], about_heading_name(lines[index].text)
        after = [other for other in lines[index + 1 :] if other.kept]
        if not (line.kept and name and after and name.casefold() in after[0].text.casefold()):
            continue
        if sum(not is_heading_like(other.text) for other in after) <= 4:
            line.reason, line.opens = "about the organisation", "end"
            return


def _mark_short_lines_among_boilerplate(lines: list[_Line], start: int) -> None:
    """Drop runs of short lines with furniture on both sides: links between boxes.

    A short line followed by a paragraph is a subheading and stays.
    """
    index = start
    while index < len(lines):
        end = index
        while end < len(lines) and lines[end].kept and is_heading_like(lines[end].text):
            end += 1
        furniture_around = index and end < len(lines) and not lines[index - 1].kept
        if end > index and furniture_around and not lines[end].kept:
            for line in lines[index:end]:
                line.reason = "short line among boilerplate"
        index = end + 1


def _publication_date(lines: list[_Line]) -> tuple[_Line | None, list[str]]:
    """The line giving the publication date, and a warning for an ambiguous one.

    The first publication date wins over any "Updated" date; the comments'
    dates went with the comments.
    """
    # A "recommended" or "related" item's date line is another article's.
    lines = [line for line in lines if not set(_interface_words(line.text)) & _RELATED_WORDS] + [
        line for line in lines if set(_interface_words(line.text)) & _RELATED_WORDS
    ]
    for line in lines:
        if line.published:
            return line, []
        if line.ambiguous and not line.updated:
            return line, [
                f"the date {line.ambiguous} is ambiguous (day or month first?); no date was taken"
            ]
    return next((line for line in lines if line.updated), None), []


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


def clean_capture(raw: str, *, outlet_lines: frozenset[str] = frozenset()) -> CleanedCapture:
    """Split a capture into headline, publication date, language, author and body.

    `outlet_lines` are lines (as normalise_line gives them) found on several
    other captures of the same outlet: the short ones are furniture here too.
    Raises ValueError when no headline or no paragraph of text is left.
    """
    lines = _split_lines(raw)
    if not lines:
        raise ValueError("the capture is empty")
    for line in lines:
        _judge(line, outlet_lines)
    _mark_captions(lines)
    _mark_promotions(lines)
    _mark_labelled_runs(lines)
    if _first_prose(lines) == len(lines):
        raise _no_article_text(lines)
    breadcrumb_targets = _mark_breadcrumbs_ending_in_a_line(lines)
    title = _find_title(lines, breadcrumb_targets, _header_end(lines))
    if title is None:
        raise ValueError(
            "no headline found: no short line without a final full stop "
            "is left once the page furniture is removed"
        )
    _mark_title(lines, title)
    _mark_header_scraps(lines, title)
    start = _first_prose(lines)
    _mark_about_blocks(lines, start)
    _mark_tail_sections(lines, start)
    byline = next((line for line in lines if line.author), None)
    _mark_page_footer(lines, byline.author if byline else "")
    _mark_short_lines_among_boilerplate(lines, start)
    _mark_pull_quotes(lines, start)
    kept = [line.text for line in lines if line.kept]
    if _first_prose(lines) == len(lines):
        raise _no_article_text(lines)
    body = "\n\n".join(kept)
    dated, warnings = _publication_date(lines)
    return CleanedCapture(
        title=_HOST_TAG.sub("", _MARKUP.sub("", title.text)),
        published_on=(dated.published or dated.updated) if dated else None,
        language=_language(f"{title.text}\n{body}"),
        body=body,
        dropped=[DroppedLine(line.number, line.text, line.reason) for line in lines if line.reason],
        title_line=title.number,
        date_line=dated.number if dated and not warnings else None,
        author=byline.author if byline else "",
        author_line=byline.number if byline else None,
        warnings=warnings,
    )
