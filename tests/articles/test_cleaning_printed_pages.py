"""Text taken from printed pages, Markdown and wire copy: page numbers, figures, credits, decks.

Each rule reads a convention many publishers share: "Page 2 of 4" and
"Figure 1:" in a PDF, "# Title" in Markdown, "(Reporting by …; Editing by …)"
under wire copy, a standfirst printed between the headline and the byline.
"""

from articles.cleaning import clean_capture

TITLE = "OpenAI's API exit is a customer-acquisition event for domestic vendors"
STORY = [
    "OpenAI's decision to block API access from mainland China and Hong Kong removes a small "
    "but influential source of competition for domestic model vendors.",
    "Within 48 hours of the notice, at least eight domestic vendors announced migration "
    "incentives, from free tokens to engineers on call.",
    "We view Microsoft Azure in China, operated through a local partner, as the main "
    "beneficiary among foreign providers.",
]


def dropped(raw: str) -> dict[str, str]:
    return {line.text: line.reason for line in clean_capture(raw).dropped}


def test_a_pdf_s_page_numbers_figures_and_disclosures_are_left_out():
    raw = "\n".join(
        [
            TITLE,
            "10 July 2024",
            STORY[0],
            "Please see the important disclosures at the end of this report.",
            "Page 1 of 4",
            STORY[1],
            "Figure 1: Migration incentives announced by domestic vendors",
            "Vendor Model Incentive",
            "Zhipu AI GLM-4 150mn free tokens",
            "Source: Company announcements",
            "Competitive response",
            STORY[2],
            "Important disclosures",
            "Dragonbridge Securities Limited is licensed by the Securities and Futures Commission.",
        ]
    )

    reasons = dropped(raw)

    assert reasons["Page 1 of 4"] == "page number"
    assert reasons["Please see the important disclosures at the end of this report."] == (
        "call to the reader"
    )
    assert reasons["Vendor Model Incentive"] == "figure or table"
    assert reasons["Zhipu AI GLM-4 150mn free tokens"] == "figure or table"
    assert reasons["Important disclosures"] == "disclaimer heading"
    # The figure ends at its source line: the subheading after it is the text's.
    assert clean_capture(raw).body.split("\n\n") == [
        STORY[0],
        STORY[1],
        "Competitive response",
        STORY[2],
    ]


def test_a_markdown_title_loses_its_marks_and_a_table_of_contents_is_left_out():
    raw = "\n".join(
        [
            "# Migrating a side project off OpenAI before July 9",
            "Posted on 2024-07-04 · 6 min read · Tom Brennan",
            "- Why not just move the server to Singapore?",
            STORY[0],
            "## Why not just move the server to Singapore?",
            STORY[1],
        ]
    )

    cleaned = clean_capture(raw)

    assert cleaned.title == "Migrating a side project off OpenAI before July 9"
    assert dropped(raw)["- Why not just move the server to Singapore?"] == "table of contents"
    assert "## Why not just move the server to Singapore?" in cleaned.body


def test_wire_copy_s_bracketed_credits_close_the_story():
    credits = (
        "(Reporting by Josephine Tam in Hong Kong and Li Wen in Beijing; Additional reporting "
        "by Ravi Menon in San Francisco; Editing by Mark Heathcote)"
    )
    agency = "Meridian Wire, the news division of Meridian Holdings, reaches billions of people."
    raw = "\n".join(
        [TITLE, "July 9, 2024", *STORY, credits, "Our Standards: Trust Principles.", agency]
    )

    reasons = dropped(raw)

    assert reasons[credits] == "credit line"
    assert reasons[agency] == "page footer"
    assert clean_capture(raw).body.split("\n\n") == STORY


def test_a_date_line_with_labelled_fields_beside_it_gives_the_date():
    raw = "\n".join(
        [
            TITLE,
            "2024-07-09 14:32   Source: Pujiang Science and Technology Daily   Author: Chen Siyuan",
            *STORY,
        ]
    )

    cleaned = clean_capture(raw)

    assert str(cleaned.published_on) == "2024-07-09"
    assert cleaned.title == TITLE


def test_the_headline_is_the_line_above_its_standfirst_not_the_standfirst():
    standfirst = "Why OpenAI's China cut-off matters less, and more, than the headlines suggest"
    raw = "\n".join(
        ["Share this post", "Copy link", "The Great API Wall", standfirst, "Jul 10, 2024"]
    )
    raw += "\n" + "\n".join([*STORY, "Share this post", "Copy link"])

    cleaned = clean_capture(raw)

    # Neither the share button printed twice nor the standfirst beside the date.
    assert cleaned.title == "The Great API Wall"


def test_a_box_with_a_heading_a_blurb_and_a_button_is_left_out():
    raw = "\n".join(
        [
            TITLE,
            "9 July 2024",
            STORY[0],
            "SL Business is now on Telegram",
            "For the latest business news, subscribe to our Telegram channel",
            "Join now",
            *STORY[1:],
        ]
    )

    reasons = dropped(raw)

    assert reasons["Join now"] == "call to the reader"
    assert reasons["SL Business is now on Telegram"] == "the heading of a call to the reader"
    assert clean_capture(raw).body.split("\n\n") == STORY


def test_a_subheading_that_opens_with_a_verb_is_not_a_button():
    raw = "\n".join([TITLE, "9 July 2024", STORY[0], "Follow the money", *STORY[1:]])

    assert "Follow the money" in clean_capture(raw).body.split("\n\n")


def test_a_subheading_listed_in_a_table_of_contents_is_not_the_headline():
    section = "一、技术上的迁移成本没有想象中高"
    raw = "\n".join(
        [
            "OpenAI断供之后：国产大模型的机会与隐忧",
            "林间一只猫",
            "目录",
            section,
            *STORY[:1],
            section,
            *STORY[1:],
        ]
    )

    assert clean_capture(raw).title == "OpenAI断供之后：国产大模型的机会与隐忧"


def test_the_outlet_s_name_above_the_headline_is_not_taken_for_it():
    headline = "After OpenAI's China cutoff, Europe discovers it has no say over who gets AI"
    bio = "Claire Dubois is The Continental Review's technology correspondent, based in Brussels."
    header = ["The Continental Review", headline, "By Claire Dubois", "Published: 30 July 2024"]
    raw = "\n".join([*header, *STORY, bio])

    assert clean_capture(raw).title == headline


def test_a_terminal_story_s_end_matter_goes_and_its_last_sentence_stays():
    end_matter = [
        "--With assistance from Kenji Ota and Wei Zhang.",
        "To contact the reporter on this story:",
        "Helen Marsh in Singapore at hmarsh7@example.net",
        "People mentioned: Lorraine Tse; Martin Oduya",
        "Tickers: KC US (Kingsoft Cloud), 0020 HK (SenseTime Group), BIDU US (Baidu Inc)",
        "This article appeared in the print edition under the headline “Locked out”.",
    ]
    last = "We will update this story as more information becomes available."
    raw = "\n".join([TITLE, "10 July 2024", *STORY, last, *end_matter])

    reasons = dropped(raw)

    assert [reasons[line] for line in end_matter] == [
        "credit line",
        "a label for what followed",
        "contact details",
        "a labelled list",
        "a labelled list",
        "the page about itself",
    ]
    assert clean_capture(raw).body.split("\n\n") == [*STORY, last]


def test_a_ticker_line_is_market_data_and_the_breadcrumb_names_the_headline():
    headline = "OpenAI's China exit: can India gain as AI work looks for a new home?"
    raw = "\n".join(
        [
            f"Home / Technology / News / {headline}",
            "LIVE Sensex 78,674.25 +620.73 | Nifty 23,868.80 +147.50",
            headline,
            "Ananya Iyer",
            "Published 26 Jun 2024, 07:12 PM IST",
            *STORY,
        ]
    )

    assert dropped(raw)["LIVE Sensex 78,674.25 +620.73 | Nifty 23,868.80 +147.50"] == "market data"
    assert clean_capture(raw).title == headline


def test_a_heading_underlined_by_a_row_of_one_symbol_is_the_title():
    raw = "\n".join(
        ["香港特別行政區政府", "新聞公報", "創新科技及工業局回應傳媒查詢", "＊" * 15, *STORY]
    )

    assert clean_capture(raw).title == "創新科技及工業局回應傳媒查詢"


def test_a_caption_credited_to_an_agency_after_its_sentence_is_left_out():
    caption = "A visitor tries an AI assistant at an industry fair in Seoul on June 26. (Yonhap)"
    raw = "\n".join([TITLE, "9 July 2024", caption, *STORY])

    assert dropped(raw)[caption] == "photo caption"
    assert clean_capture(raw).body.split("\n\n") == STORY


def test_labels_the_page_repeats_and_a_label_over_short_items_are_furniture():
    teasers = [
        "Lire aussi | Intelligence artificielle : la Chine face à la pénurie de puces",
        "Lire aussi | Derrière ChatGPT, la bataille mondiale des grands modèles",
    ]
    tags = ["文章标签：", "人工智能", "python"]
    raw = "\n".join(
        [TITLE, "9 July 2024", STORY[0], teasers[0], STORY[1], teasers[1], STORY[2], *tags]
    )

    reasons = dropped(raw)

    assert {reasons[t] for t in teasers} == {"a label the page repeats: links"}
    assert reasons["文章标签："] == reasons["python"] == "a label's list of short items"
    assert clean_capture(raw).body.split("\n\n") == STORY


def test_notes_whose_subject_is_the_page_and_credited_captions_are_left_out():
    note = "This article is a translation of an original published in French."
    caption = "The OpenAI logo on a smartphone screen, in Paris, June 2024. JOËL SAGET / AFP"
    agency = "OpenAI的决定促使部分中国人工智能企业考虑到新加坡设点。（路透社）"
    raw = "\n".join(
        [TITLE, "9 July 2024", note, caption, agency, *STORY, "Edited by: Uta Brinkmann"]
    )

    reasons = dropped(raw)

    assert reasons[note] == "the page about itself"
    assert reasons[caption] == reasons[agency] == "photo caption"
    assert reasons["Edited by: Uta Brinkmann"] == "credit line"
    assert clean_capture(raw).body.split("\n\n") == STORY


def test_a_related_item_s_date_and_a_thread_s_controls_do_not_hide_the_date():
    raw = "\n".join(
        [
            TITLE,
            "最新推荐文章于 2024-07-08 09:12:47 发布",
            "于 2024-06-25 10:15:32 发布",
            *STORY,
        ]
    )
    thread = "\n".join(
        [TITLE, "312 points by szdev_kai 2024-06-25 08:14 UTC | hide | past | 187 comments", *STORY]
    )

    assert str(clean_capture(raw).published_on) == "2024-06-25"
    assert str(clean_capture(thread).published_on) == "2024-06-25"


def test_a_subheading_apart_from_a_related_list_is_the_text_resuming():
    related = ["相关新闻", "中国AI企业掀“搬家”优惠战", "新加坡推出国家人工智能战略2.0"]
    raw = "\n".join(
        [TITLE, "2024年7月10日", STORY[0], *related, "", "政府：欢迎合规投资", STORY[1]]
    )

    assert clean_capture(raw).body.split("\n\n") == [STORY[0], "政府：欢迎合规投资", STORY[1]]
