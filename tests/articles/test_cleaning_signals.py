"""The signals cleaning judges lines by, one at a time, and the dates and bylines it reads."""

import datetime

import pytest

from articles.cleaning import boilerplate_reason, clean_capture, normalise_line, word_count

TITLE = "OpenAI blocks its API in China"
TEXT = (
    "OpenAI told developers in China that API traffic from unsupported regions "
    "would be blocked from July 9."
)
MORE = (
    "Several domestic providers said they would offer free tokens to the developers "
    "who have to move their products this month."
)


def capture(*lines: str) -> str:
    return "\n".join(lines)


def reasons(raw: str, **kwargs) -> dict[str, str]:
    return {line.text: line.reason for line in clean_capture(raw, **kwargs).dropped}


def kept(raw: str, **kwargs) -> list[str]:
    return clean_capture(raw, **kwargs).body.split("\n\n")


# --- measuring a line ------------------------------------------------------------


def test_two_chinese_characters_count_as_one_word():
    assert word_count("国产大模型价格战") == 4
    assert word_count("OpenAI停止服务 | 2024") == 4  # OpenAI, 停止, 服务, 2024; not "|"


def test_normalise_line_folds_case_spacing_and_curly_quotes():
    assert normalise_line("  “Share”  THIS\u00a0Article ") == '"share" this article'


# --- interface words ------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Share",
        "Share this article",
        "Subscribe",
        "Log in",
        "Sign up for our newsletter and get the week's AI news in your inbox.",
        "Story continues below advertisement",
        "© 2024 TechPulse Asia. All rights reserved.",
        "scroll to top arrow or icon",
        "分享到：",
        "打印本页 关闭窗口",
        "版权所有 © 2024 云帆网",
    ],
)
def test_a_line_mostly_of_interface_words_is_boilerplate(line):
    # A sign-up prompt that is a sentence is told by what it asks of the reader.
    assert boilerplate_reason(line) in ("interface words", "call to the reader")


@pytest.mark.parametrize(
    "line",
    [
        "Xiaomi declined to comment.",  # a sentence needs a larger share
        "What developers are doing",
        "Read the terms: the free quotas expire.",  # a sentence after the label
        "Step 1: inventory your calls",
        TEXT,
        "国内厂商迅速行动",
    ],
)
def test_article_text_with_few_or_no_interface_words_is_not(line):
    assert boilerplate_reason(line) == ""


def test_a_paragraph_that_mentions_newsletters_and_cookies_at_length_is_kept():
    paragraph = (
        "The company told subscribers of its developer newsletter that cookies, sign-up "
        "forms and inbox previews would keep working, and that the change only concerned "
        "API traffic from regions where the service has never been offered."
    )
    assert boilerplate_reason(paragraph) == ""
    assert kept(capture(TITLE, paragraph)) == [paragraph]


@pytest.mark.parametrize(
    "line",
    [
        "Also Read | Zhipu AI, Baidu roll out 'migration' offers as OpenAI deadline looms",
        "Read more: How the chip export rules work",
        "Tags: OpenAI, Hong Kong, API",
        "责任编辑：李华 ",
        "声明：本文仅代表作者观点，不构成投资建议。",  # a strong label, even before a sentence
    ],
)
def test_a_line_behind_an_interface_word_label_is_boilerplate(line):
    assert boilerplate_reason(line) in ("interface words", "credit line")


def test_an_also_read_teaser_between_paragraphs_is_dropped():
    teaser = "Also Read | Hong Kong universities weigh options after OpenAI curbs"
    raw = capture(TITLE, TEXT, teaser, MORE)

    assert reasons(raw)[teaser] == "interface words"
    assert kept(raw) == [TEXT, MORE]


# --- stop words -------------------------------------------------------------------


def test_a_run_of_promotional_lines_with_few_stop_words_is_dropped():
    promotions = [
        "Tekedia AI in Business Masterclass opens registrations here.",
        "Join Tekedia Capital Syndicate and invest in Africa’s finest startups here.",
    ]
    raw = capture(TITLE, TEXT, *promotions, MORE)

    assert kept(raw) == [TEXT, MORE]
    assert {reasons(raw)[p] for p in promotions} == {"interface words, few stop words"}


def test_one_such_line_alone_is_kept_and_so_is_a_run_with_many_stop_words():
    lonely = "Tekedia AI in Business Masterclass opens registrations here."
    wordy = [
        "It said that it would open its registrations to all of them here.",
        "They will be able to join as soon as the rules are out.",
    ]
    assert kept(capture(TITLE, TEXT, lonely, MORE)) == [TEXT, lonely, MORE]
    assert kept(capture(TITLE, TEXT, *wordy, MORE)) == [TEXT, *wordy, MORE]


def test_chinese_stop_words_are_measured_by_function_characters():
    # Both have interface words (评论, 来源, 转载) and share them with a neighbour:
    # only the notice has few function characters, and only it is dropped.
    prose = (
        "此前，有官方媒体发表评论称，核心技术是要不来、买不来的，"
        "此次事件再次说明人工智能领域必须坚持自主创新。"
    )
    notice = "本文来源：华商财经网，转载请注明出处。"
    first = "有分析人士指出，OpenAI停止服务将在客观上推动国内开发者生态向本土大模型集中。"
    raw = capture("“断供”之后：国产大模型加速争夺开发者", first, prose, notice)

    assert kept(raw) == [first, prose]
    assert reasons(raw)[notice] == "disclaimer or reuse notice"


# --- links ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("kevinzhou.dev", "web address"),
        ("press@starbridge.ai", "web address"),
        ("https://example.com/news/openai-china", "web address"),
        ("Markets | Companies | Tech | Property | Opinion", "link list"),
        ("Singapore · Hong Kong · Shenzhen", "link list"),
        ("World  Business  Markets  Technology", "link list"),  # the gaps a capture keeps
        ("Home › Tech › AI", "breadcrumb"),
        ("Home News Tech Business Opinion Podcasts Subscribe", "menu"),
        ("首页 新闻 科技 财经 国际 视频", "menu"),
    ],
)
def test_link_like_lines_are_boilerplate(line, reason):
    assert boilerplate_reason(line) == reason


def test_a_title_case_headline_is_not_a_menu():
    assert boilerplate_reason("Nvidia Unveils New China Chip Amid Export Curbs") == ""


def test_an_advert_for_a_web_address_and_the_sponsor_line_naming_it_are_dropped():
    sponsor = "Today's issue is brought to you by Latticeworks."
    advert = (
        "Latticeworks gives your team one dashboard for every model provider. "
        "Start a free 14-day trial at latticeworks.io/brief."
    )
    raw = capture(TITLE, TEXT, sponsor, advert, MORE)

    assert kept(raw) == [TEXT, MORE]
    assert reasons(raw)[sponsor] == reasons(raw)[advert] == "advertisement (web address)"


# --- other pages of the outlet ----------------------------------------------------


def test_short_lines_found_on_other_pages_of_the_outlet_are_dropped_long_ones_kept():
    promo = "Tekedia Mini-MBA edition 15 has started registrations"
    long_line = f"{TEXT} {MORE} {TEXT} {MORE}"
    outlet = frozenset({normalise_line(promo), normalise_line(long_line)})
    raw = capture(TITLE, TEXT, promo.upper(), long_line, MORE)

    assert reasons(raw, outlet_lines=outlet)[promo.upper()] == (
        "repeated on other pages of this outlet"
    )
    assert long_line in kept(raw, outlet_lines=outlet)
    assert promo.upper() in kept(raw)  # without outlet_lines it passes for a subheading


# --- context ----------------------------------------------------------------------


def test_a_short_line_before_a_paragraph_is_a_subheading_even_after_an_advert():
    raw = capture(TITLE, TEXT, "Advertisement", "What comes next", MORE)

    assert kept(raw) == [TEXT, "What comes next", MORE]


def test_short_lines_between_boilerplate_are_dropped():
    raw = capture(TITLE, TEXT, "Advertisement", "Nvidia's China chip, explained", "Share", MORE)

    assert reasons(raw)["Nvidia's China chip, explained"] == "short line among boilerplate"
    assert kept(raw) == [TEXT, MORE]


def test_the_short_lines_after_a_related_heading_are_links_until_the_text_resumes():
    raw = capture(TITLE, TEXT, "Most popular", "The week in AI funding", "Nvidia's chip", MORE)

    assert reasons(raw)["The week in AI funding"] == "related links"
    assert kept(raw) == [TEXT, MORE]


def test_everything_after_a_comment_heading_is_the_comment_section():
    raw = capture(TITLE, TEXT, MORE, "3 comments", "kwok_dev said:", "We moved last month too.")

    assert reasons(raw)["We moved last month too."] == "comment section"
    assert kept(raw) == [TEXT, MORE]


def test_a_line_quoting_the_headline_opens_the_comments():
    raw = capture(TITLE, TEXT, MORE, f"3 thoughts on “{TITLE}”", "Thanks, this helped a lot.")

    assert reasons(raw)["Thanks, this helped a lot."] == "comment section"


def test_a_closing_credit_ends_the_story():
    credit = "Reporting by Li Wen in Beijing; Editing by Sandra Moy"
    footer = "Meridian is the world's largest multimedia news provider, it says of itself."
    raw = capture(TITLE, "By Li Wen", TEXT, MORE, credit, footer)

    assert reasons(raw)[credit] == "credit line"
    assert reasons(raw)[footer] == "page footer"
    assert clean_capture(raw).author == "Li Wen"  # not a reporter from the closing credit


def test_a_pull_quote_repeating_the_text_is_dropped():
    quote = "“This is a land grab, and tokens are the cheapest land you can give away.”"
    paragraph = f"{quote[:-2]},” said Victor Huang, a partner at a Shanghai fund. {MORE}"
    raw = capture(TITLE, TEXT, quote.replace(",”", "”"), paragraph)

    assert kept(raw) == [TEXT, paragraph]


# --- photo captions ---------------------------------------------------------------


def test_a_photo_caption_and_its_credit_are_dropped_even_when_printed_twice():
    caption = "Visitors look at a language model demonstration in Shanghai on July 4, 2024."
    raw = capture(TITLE, TEXT, caption, caption, "Photo: Reuters", MORE)

    assert kept(raw) == [TEXT, MORE]
    assert set(reasons(raw).values()) == {"title", "photo caption"}


@pytest.mark.parametrize(
    "line",
    [
        "OpenAI logo is seen in this illustration. (Representative image)",
        "An advertisement for an AI assistant in Beijing. Photograph: VCG/Getty Images",
    ],
)
def test_a_line_ending_in_a_picture_credit_is_a_caption(line):
    assert reasons(capture(TITLE, TEXT, line, MORE))[line] == "photo caption"


# --- the title ------------------------------------------------------------------


def test_scroll_to_top_is_never_the_title_even_printed_twice():
    icon = "scroll to top arrow or icon"
    cleaned = clean_capture(capture(icon, TITLE, TEXT, MORE, icon))

    assert cleaned.title == TITLE
    assert cleaned.title_line == 2


def test_the_headline_beside_the_byline_wins_over_the_sites_motto():
    motto = "Café Compute – notes from a small AI consultancy"
    cleaned = clean_capture(capture(motto, TITLE, "By Élodie Marchand", TEXT))

    assert cleaned.title == TITLE
    assert cleaned.author == "Élodie Marchand"
    assert cleaned.author_line == 3


def test_a_promotion_above_the_headline_is_still_page_header():
    motto = "Technology news from Hong Kong and the Pearl River Delta"
    promo = "Reach 40,000 tech professionals in Hong Kong every month."
    byline = "Posted 5 July 2024 by Ravi Menon"
    raw = capture(motto, "Advertise with us", promo, TITLE, byline, TEXT)
    cleaned = clean_capture(raw)

    assert cleaned.title == TITLE
    assert reasons(raw)[promo] == "page header"


# --- dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("5 July 2024", datetime.date(2024, 7, 5)),
        ("July 5, 2024", datetime.date(2024, 7, 5)),
        ("2024-07-05", datetime.date(2024, 7, 5)),
        ("2024年7月9日", datetime.date(2024, 7, 9)),
        ("發佈時間：2024年7月9日 下午3:00", datetime.date(2024, 7, 9)),
        ("Published 2:00pm, 3 Jul 2024 · Updated 4:15pm, 4 Jul 2024", datetime.date(2024, 7, 3)),
        ("5 July 2024 | Updated 6 July 2024", datetime.date(2024, 7, 5)),
        ("Updated 6 July 2024 | Published 5 July 2024", datetime.date(2024, 7, 5)),
        ("Tue 9 Jul 2024 08.12 BST", datetime.date(2024, 7, 9)),
        ("July 9, 2024 6:12 AM GMT+8 Updated 3 hours ago", datetime.date(2024, 7, 9)),
        ("Issue #112 · Wednesday, 10 July 2024", datetime.date(2024, 7, 10)),
        ("13/07/2024", datetime.date(2024, 7, 13)),  # day first: 13 is no month
        ("05/05/2024", datetime.date(2024, 5, 5)),  # either way the same day
    ],
)
def test_date_forms(line, date):
    cleaned = clean_capture(capture(TITLE, line, TEXT))

    assert cleaned.published_on == date
    assert cleaned.date_line == 2
    assert cleaned.warnings == []
    assert reasons(capture(TITLE, line, TEXT))[line] == "date line"


def test_an_ambiguous_numeric_date_is_reported_not_guessed():
    raw = capture(TITLE, "Posted 05/07/2024 by Ravi Menon | 2 comments", TEXT)
    cleaned = clean_capture(raw)

    assert cleaned.published_on is None
    assert cleaned.date_line is None
    assert cleaned.warnings == [
        "the date 05/07/2024 is ambiguous (day or month first?); no date was taken"
    ]
    assert cleaned.dropped[1].reason == "date line"
    assert cleaned.author == "Ravi Menon"


def test_a_comments_date_is_not_the_articles():
    raw = capture(TITLE, TEXT, MORE, "Leave a comment", "Zhang San", "July 9, 2024 at 4:12 pm")

    assert clean_capture(raw).published_on is None


# --- bylines -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("Posted by Mei Ling Tan on July 10, 2024", "Mei Ling Tan"),
        ("记者 张三", "张三"),
        ("作者：王小明", "王小明"),
        ("2024年07月09日 10:32　来源：云帆科技　作者：陈晓", "陈晓"),
        ("Posted on Friday, 5th July 2024 by Sam Rivera", "Sam Rivera"),
    ],
)
def test_the_author_is_read_from_a_byline(line, author):
    cleaned = clean_capture(capture(TITLE, line, TEXT))

    assert cleaned.author == author
    assert cleaned.author_line == 2
    assert cleaned.body == TEXT


def test_a_sentence_starting_with_by_is_not_a_byline():
    sentence = "By Tuesday, the company had cut off access for most of its users."
    assert boilerplate_reason(sentence) == ""


@pytest.mark.parametrize(
    "line", ["字級設定：小 中 大 特大", "【字体：大 中 小】【打印】【关闭】", "Text size: A A A"]
)
def test_a_row_of_one_and_two_character_controls_is_page_controls(line):
    assert boilerplate_reason(line) == "page controls"


@pytest.mark.parametrize(
    "line", ["OpenAI 停止 服务", "Baidu and Alibaba cut prices", "It is a go for us"]
)
def test_short_words_side_by_side_are_not_controls_when_few(line):
    assert boilerplate_reason(line) != "page controls"


def test_a_traditional_chinese_photo_caption_is_dropped():
    assert boilerplate_reason("▲OpenAI自9日起阻擋API流量。（圖／資料照）") == "photo caption"


def test_a_name_and_a_reporters_title_is_a_byline_not_the_headline():
    cleaned = clean_capture(
        "Harbourfront Post\n"
        "Singapore start-ups field a surge of enquiries as OpenAI shuts China out\n"
        "Lim Wei Ling, Tech Correspondent\n"
        "Published Jul 10, 2024, 05:00 AM\n"
        "Start-ups in Singapore said on Tuesday that clients in China had asked them about "
        "alternatives since OpenAI warned it would block API traffic from unsupported regions.\n"
    )

    assert (
        cleaned.title == "Singapore start-ups field a surge of enquiries as OpenAI shuts China out"
    )
    assert cleaned.author == "Lim Wei Ling"


def test_a_row_of_several_items_before_the_headline_is_not_taken_for_it():
    cleaned = clean_capture(
        "GovNews Hong Kong\n"
        "繁體版 | 简体版 | Large print edition of this page\n"
        "Government responds to media enquiries on overseas AI service restrictions\n"
        "In response to media enquiries on the restriction of API services by an overseas AI "
        "service provider, a spokesman for the bureau said today that it was monitoring.\n"
    )

    assert cleaned.title == (
        "Government responds to media enquiries on overseas AI service restrictions"
    )


def test_a_sentence_with_a_few_interface_words_is_still_the_story_s():
    line = "I will update this post as Microsoft or its partner publish more details."

    assert boilerplate_reason(line) == ""
    assert boilerplate_reason("Share this article on Twitter and Facebook")
