"""Cleaning raw page captures: headline, date, language and body, and what was left out."""

import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.cleaning import CleanedCapture, clean_capture

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "articles"
CAPTURES = Path(__file__).resolve().parent / "captures"
ALL_CAPTURES = sorted(SEEDS.glob("*.txt")) + sorted(CAPTURES.glob("*.txt"))


def clean_file(path: Path) -> CleanedCapture:
    return clean_capture(path.read_text(encoding="utf-8"))


def reasons(cleaned: CleanedCapture) -> dict[str, str]:
    return {line.text: line.reason for line in cleaned.dropped}


def paragraphs(cleaned: CleanedCapture) -> list[str]:
    return cleaned.body.split("\n\n")


def capture(*lines: str) -> str:
    return "\n".join(lines)


ARTICLE_TEXT = (
    "OpenAI told developers in China that API traffic from unsupported regions "
    "would be blocked from July 9."
)


# --- the two real seed captures ------------------------------------------------


def test_seed_000_headline_date_and_body():
    cleaned = clean_file(SEEDS / "000_3b30f65ba841bee8.txt")

    assert cleaned.title == "OpenAI’s China Block: Fueling a Local AI Boom?"
    assert cleaned.published_on == datetime.date(2024, 7, 5)
    assert cleaned.language == "en"
    assert cleaned.body.startswith("In June OpenAI just dropped a bombshell")
    assert cleaned.body.endswith("Time will tell.")
    assert reasons(cleaned) == {
        "Skip to main content": "interface words",
        "05 July, 2024": "date line",
        "OpenAI’s China Block: Fueling a Local AI Boom?": "title",
    }
    assert len(paragraphs(cleaned)) == 7


def test_seed_002_drops_breadcrumb_repeated_titles_promotions_and_comment_form():
    cleaned = clean_file(SEEDS / "002_f86f87014336873c.txt")
    title = "OpenAI Blocks Chinese Users From Accessing its Tools and Services"

    assert cleaned.title == title
    assert cleaned.published_on is None
    assert cleaned.body.startswith("OpenAI has notified its users in China")
    promotion = "interface words, few stop words"
    assert [(line.number, line.reason) for line in cleaned.dropped] == [
        (1, "breadcrumb"),
        (3, "title"),
        (5, "repeated title"),
        (13, promotion),
        (15, promotion),
        (17, promotion),
        (43, "page footer"),
        (45, "interface words"),
        (47, promotion),
        (48, promotion),
    ]
    assert cleaned.dropped[0].text == f"Home Community Insights {title}"
    assert "Tekedia" not in cleaned.body
    assert "Please enter" not in cleaned.body


def test_seed_002_keeps_the_articles_section_headings():
    kept = paragraphs(clean_file(SEEDS / "002_f86f87014336873c.txt"))

    assert "Impact on the Chinese AI Community" in kept
    assert "Long-Term Implications" in kept
    assert (
        kept.index("Long-Term Implications") == kept.index("Impact on the Chinese AI Community") + 4
    )


@pytest.mark.parametrize("path", ALL_CAPTURES, ids=lambda path: path.name)
def test_every_kept_paragraph_is_a_capture_line_verbatim(path):
    raw = path.read_text(encoding="utf-8")
    cleaned = clean_capture(raw)
    lines = raw.split("\n")

    for dropped in cleaned.dropped:
        assert lines[dropped.number - 1].strip() == dropped.text
    non_blank = [line.strip() for line in lines if line.strip()]
    kept = [line for line in non_blank if line not in {d.text for d in cleaned.dropped}]
    assert paragraphs(cleaned) == kept


# --- captures from other outlets -------------------------------------------------

UI = "interface words"
CALL = "call to the reader"  # a prompt that is a sentence is told by what it asks
OUTLETS = {
    "techpulse_asia.txt": {
        "title": "OpenAI Cuts Off API Access in China and Hong Kong",
        "published_on": datetime.date(2024, 7, 10),
        "author": "Mei Ling Tan",
        "language": "en",
        "first": "From Tuesday, developers in mainland China and Hong Kong",
        "last": "offering free tokens and migration tools.",
        "headings": ["What developers are doing"],
        "dropped": {
            "TechPulse Asia": "page header",
            "Home News Tech Business Opinion Podcasts Subscribe": "menu",
            "Home › Tech › AI": "breadcrumb",
            "Posted by Mei Ling Tan on July 10, 2024": "byline",
            "Share on Twitter": UI,
            "Share on Facebook": UI,
            "Advertisement": UI,
            "Sign up for our newsletter and get the week's AI news in your inbox.": CALL,
            "Enter your email": UI,
            "Related articles": UI,
            "Baidu slashes Ernie prices as rivals pile in": "related links",
            "Why Hong Kong start-ups fear an AI gap": "related links",
            "Leave a reply": UI,
            "Your email address will not be published. Required fields are marked *": (
                "comment section"
            ),
            "Save my name, email, and website in this browser for the next time I comment.": CALL,
            "Post Comment": UI,
            "© 2024 TechPulse Asia. All rights reserved.": UI,
        },
    },
    "harbour_ledger.txt": {
        "title": "Hong Kong developers scramble as OpenAI shuts the door",
        "published_on": datetime.date(2024, 6, 26),
        "author": "Daniel Wong",
        "language": "en",
        "first": "Hong Kong's software houses spent Tuesday rewriting their plans",
        "last": "speed up support for local models.",
        "headings": ["Who is affected", "What happens next"],
        "dropped": {
            "Accept all": "page header",
            "Manage preferences": "page header",
            "Skip to content": UI,
            "Markets | Companies | Tech | Property | Opinion": "link list",
            "Hong Kong developers scramble as OpenAI shuts the door | The Harbour Ledger": (
                "repeated title"
            ),
            "By Daniel Wong": "byline",
            "Published: 2024-06-26 08:15 HKT": "date line",
            "3 min read": "page header",
            "Story continues below advertisement": UI,
            "Read more: Hong Kong's AI subsidy scheme explained": UI,
            "Tags: OpenAI, Hong Kong, API": UI,
            "Share this article": UI,
            "Facebook Twitter LinkedIn Email": "menu",
            "About us | Contact | Privacy Policy | Terms of Use": "link list",
            "Copyright © 2024 The Harbour Ledger Ltd.": UI,
        },
    },
    "devwire_blog.txt": {
        "title": "Migrating off the OpenAI API: a weekend guide for teams in China",
        "published_on": datetime.date(2024, 7, 9),  # not the "Updated:" date after it
        "author": "",  # "Li Wei" under the date is not written as a byline
        "language": "en",
        "first": "If your team in China woke up on July 9 to a wall of 403 errors",
        "last": "Read the terms: the free quotas expire.",
        "headings": [
            "Step 1: inventory your calls",
            "Step 2: pick a compatible provider",
            "Step 3: watch your costs",
        ],
        "dropped": {
            "DevWire": "page header",
            "News | Reviews | Guides | Podcasts | Jobs": "link list",
            "Toggle navigation": UI,
            "Tue, Jul 9, 2024": "date line",
            "Updated: July 10, 2024 at 9:30 am": "date line",
            "Li Wei": "page header",
            "Developer Tools": "page header",
            "ADVERTISEMENT": UI,
            "Share": UI,
            "Tweet": UI,
            "Previous post: Five things we learned at WAIC 2024": UI,
            "You might also like": UI,
            "Running open-weight models on a single GPU": "related links",
            "3 thoughts on “Migrating off the OpenAI API: a weekend guide for teams in China”": (
                "repeated title"
            ),
            "Zhang San": "comment section",
            "July 9, 2024 at 4:12 pm": "comment section",
            "Thanks, step 2 saved us a lot of time.": "comment section",
            "Leave a Reply Cancel reply": UI,
            "Powered by WordPress": "comment section",
        },
    },
    "valley_briefing.txt": {
        "title": "China's AI developers lose OpenAI access: what it means for Silicon Valley",
        "published_on": datetime.date(2024, 7, 5),
        "author": "Sam Rivera",
        "language": "en",
        "first": "OpenAI's decision to stop serving API customers in China",
        "last": "which already rank well on public leaderboards.",
        "headings": [],
        "dropped": {
            "Log in": UI,
            "Home / World / Asia": "breadcrumb",
            "China's AI developers lose OpenAI access: what it means for Silicon Valley "
            "— Valley Briefing": "repeated title",
            "Posted on Friday, 5th July 2024 by Sam Rivera": "date line",
            "Share: Facebook | X | LinkedIn": "link list",
            "- Advertisement -": UI,
            "Most popular": UI,
            "Nvidia's China chip, explained": "related links",
            "The week in AI funding": "related links",
            "Get the Valley Briefing newsletter. Sign up now.": UI,
            "Continue reading below": UI,
        },
    },
    "kejiqianyan_zh.txt": {
        "title": "OpenAI停止向中国大陆和香港提供API服务 国内大模型厂商推出“搬家”方案",
        "published_on": datetime.date(2024, 6, 26),
        "author": "王小明",
        "language": "zh",
        "first": "OpenAI近日向中国开发者发送邮件称",
        "last": "效果比预想的好。”",
        "headings": ["国内厂商迅速行动"],
        "dropped": {
            "科技前沿网": "page header",
            "首页 新闻 科技 财经 国际 视频": "menu",
            "首页 > 科技 > 人工智能": "breadcrumb",
            "2024年06月26日 09:45\u3000来源：科技前沿网": "date line",
            "作者：王小明": "byline",
            "分享到：微博 微信 QQ空间": UI,
            "广告": UI,
            "相关阅读": UI,
            "国产大模型价格战再升级": "related links",
            "香港初创企业如何应对AI服务断供": "related links",
            "责任编辑：李华": "credit line",
            "发表评论": UI,
            "版权所有 © 2024 科技前沿网": UI,
        },
    },
}


@pytest.mark.parametrize("name", OUTLETS)
def test_outlet_capture_headline_date_and_language(name):
    expected = OUTLETS[name]
    cleaned = clean_file(CAPTURES / name)

    assert cleaned.title == expected["title"]
    assert cleaned.published_on == expected["published_on"]
    assert cleaned.author == expected["author"]
    assert cleaned.language == expected["language"]
    assert cleaned.warnings == []


@pytest.mark.parametrize("name", OUTLETS)
def test_outlet_capture_body_keeps_the_article_and_its_headings(name):
    expected = OUTLETS[name]
    cleaned = clean_file(CAPTURES / name)

    assert cleaned.body.startswith(expected["first"])
    assert cleaned.body.endswith(expected["last"])
    for heading in expected["headings"]:
        assert heading in paragraphs(cleaned)


@pytest.mark.parametrize("name", OUTLETS)
def test_outlet_capture_boilerplate_is_dropped_with_its_reason(name):
    cleaned = clean_file(CAPTURES / name)

    assert reasons(cleaned) | OUTLETS[name]["dropped"] == reasons(cleaned)
    for text in OUTLETS[name]["dropped"]:
        assert text not in paragraphs(cleaned)


def test_a_title_printed_three_times_is_dropped_every_time():
    cleaned = clean_file(CAPTURES / "techpulse_asia.txt")
    copies = [line for line in cleaned.dropped if line.text == cleaned.title]

    assert [(line.number, line.reason) for line in copies] == [
        (5, "title"),
        (6, "repeated title"),
        (11, "repeated title"),
    ]


def test_quotes_survive_verbatim_with_their_curly_and_straight_quotes():
    english = clean_file(CAPTURES / "techpulse_asia.txt").body
    chinese = clean_file(CAPTURES / "kejiqianyan_zh.txt").body

    assert '"taking additional steps to block API traffic from regions' in english
    assert "“我们周末就把服务切换到了国产模型，效果比预想的好。”" in chinese


# --- the heuristics one at a time ----------------------------------------------


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("05 July, 2024", datetime.date(2024, 7, 5)),
        ("July 5, 2024", datetime.date(2024, 7, 5)),
        ("Jul. 9, 2024", datetime.date(2024, 7, 9)),
        ("Friday, 5th July 2024", datetime.date(2024, 7, 5)),
        ("2024-06-25", datetime.date(2024, 6, 25)),
        ("2024/06/25 14:03", datetime.date(2024, 6, 25)),
        ("Published on June 25, 2024 at 10:30 a.m. UTC", datetime.date(2024, 6, 25)),
        ("2024年6月25日", datetime.date(2024, 6, 25)),
        ("发布时间：2024年06月25日 10:30", datetime.date(2024, 6, 25)),
    ],
)
def test_a_date_line_is_dropped_and_gives_the_publication_date(line, date):
    raw = capture("Tech Desk", "OpenAI blocks its API in China", line, ARTICLE_TEXT)

    cleaned = clean_capture(raw)

    assert cleaned.published_on == date
    assert reasons(cleaned)[line] == "date line"
    assert cleaned.body == ARTICLE_TEXT


@pytest.mark.parametrize("line", ["05/07/2024", "2024-02-31"])
def test_an_ambiguous_or_impossible_date_is_not_guessed(line):
    cleaned = clean_capture(capture("OpenAI blocks its API in China", line, ARTICLE_TEXT))

    assert cleaned.published_on is None


def test_the_publication_date_wins_over_an_earlier_updated_date():
    cleaned = clean_capture(
        capture(
            "OpenAI blocks its API in China",
            "Updated: July 10, 2024",
            "Published: July 8, 2024",
            ARTICLE_TEXT,
        )
    )

    assert cleaned.published_on == datetime.date(2024, 7, 8)


def test_a_date_inside_a_paragraph_is_not_a_date_line():
    cleaned = clean_capture(
        capture("OpenAI blocks its API in China", "The block starts on July 9, 2024.", ARTICLE_TEXT)
    )

    assert cleaned.published_on is None
    assert paragraphs(cleaned)[0] == "The block starts on July 9, 2024."


def test_a_breadcrumb_without_separators_ending_with_the_headline_is_recognised():
    headline = "Chinese start-ups rush to domestic models after OpenAI ban"
    cleaned = clean_capture(capture(f"News Asia Technology {headline}", headline, ARTICLE_TEXT))

    assert cleaned.title == headline
    assert reasons(cleaned)[f"News Asia Technology {headline}"] == "breadcrumb"


def test_the_headline_comes_before_a_long_standfirst():
    cleaned = clean_capture(
        capture(
            "The Daily Byte",
            "OpenAI pulls the plug on China",
            "Developers in Hong Kong and the mainland have two weeks to move their apps elsewhere",
            ARTICLE_TEXT,
        )
    )

    assert cleaned.title == "OpenAI pulls the plug on China"
    assert reasons(cleaned)["The Daily Byte"] == "page header"
    assert paragraphs(cleaned)[0].startswith("Developers in Hong Kong")


def test_an_inline_read_more_link_does_not_swallow_the_next_heading():
    cleaned = clean_capture(
        capture(
            "OpenAI blocks its API in China",
            ARTICLE_TEXT,
            "Read more: How the chip export rules work",
            "What comes next",
            "Analysts expect domestic providers to gain users.",
        )
    )

    assert reasons(cleaned)["Read more: How the chip export rules work"] == "interface words"
    assert "What comes next" in paragraphs(cleaned)


def test_paragraphs_that_mention_cookies_or_newsletters_at_length_are_kept():
    paragraph = (
        "The company said in a newsletter to developers that it would block API traffic, "
        "and several firms said they would sign up with domestic providers instead; others "
        "said they would accept the cookies-and-consent banners of new vendors without complaint "
        "as long as their apps kept running through the summer."
    )
    cleaned = clean_capture(capture("OpenAI blocks its API in China", paragraph))

    assert cleaned.body == paragraph


def test_short_lines_after_the_last_paragraph_are_page_footer():
    cleaned = clean_capture(
        capture(
            "OpenAI blocks its API in China",
            ARTICLE_TEXT,
            "The Daily Byte is an independent newsroom in Singapore",
            "Singapore · Hong Kong · Shenzhen",
        )
    )

    assert cleaned.body == ARTICLE_TEXT
    assert reasons(cleaned)["The Daily Byte is an independent newsroom in Singapore"] == (
        "page footer"
    )


def test_crlf_line_endings_are_handled_and_line_numbers_still_count_lines():
    cleaned = clean_capture("Skip to main content\r\n\r\nOpenAI blocks its API\r\n" + ARTICLE_TEXT)

    assert cleaned.title == "OpenAI blocks its API"
    assert cleaned.body == ARTICLE_TEXT
    assert [(line.number, line.text) for line in cleaned.dropped] == [
        (1, "Skip to main content"),
        (3, "OpenAI blocks its API"),
    ]


def test_english_text_quoting_a_chinese_name_stays_english():
    cleaned = clean_capture(
        capture("Zhipu AI courts OpenAI users", "Zhipu AI (智谱AI) offered free tokens. " * 3)
    )

    assert cleaned.language == "en"


# --- nothing article-like left --------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty"),
        ("\n  \n\t\n", "empty"),
        (capture("Skip to main content", "Advertisement", "Share on Twitter"), "no article text"),
        (capture("OpenAI blocks its API in China", "What it means"), "no article text"),
        (capture(ARTICLE_TEXT, ARTICLE_TEXT.upper()), "no headline"),
    ],
    ids=["empty", "blank lines", "only boilerplate", "only headings", "no headline"],
)
def test_a_capture_with_nothing_article_like_raises_a_clear_error(raw, message):
    with pytest.raises(ValueError, match=message):
        clean_capture(raw)


# --- properties over arbitrary captures -----------------------------------------

_POOL = sorted({line for path in ALL_CAPTURES for line in path.read_text().split("\n")})


@pytest.mark.slow
@settings(deadline=None)  # how many examples: the Hypothesis profile decides (tests/conftest.py)
@given(
    st.lists(
        st.one_of(st.sampled_from(_POOL), st.text(max_size=60)),
        max_size=40,
    )
)
def test_cleaning_only_ever_drops_lines_and_accounts_for_each_one(lines):
    raw = "\n".join(lines)
    try:
        cleaned = clean_capture(raw)
    except ValueError:
        return
    raw_lines = raw.split("\n")
    non_blank = sum(1 for line in raw_lines if line.strip())

    assert cleaned.title
    assert len(cleaned.dropped) + len(paragraphs(cleaned)) == non_blank
    for dropped in cleaned.dropped:
        assert raw_lines[dropped.number - 1].strip() == dropped.text
    stripped = {line.strip() for line in raw_lines}
    assert all(paragraph in stripped for paragraph in paragraphs(cleaned))
