"""The page speaking to its reader or about itself: calls to act, disclaimers, bios, "About" blocks.

Each is told by what it does, not by an outlet's wording: a sentence that
opens by telling the reader what to do, a disclaimer's vocabulary about the
page itself, the byline's author described in the third person after the
story, a heading about an organisation the next paragraph names.
"""

import pytest

from articles import intake
from articles.cleaning import address_reason, clean_capture, is_author_bio, page_speech

TITLE = "Chinese developers move to domestic models as OpenAI block begins"
BYLINE = "By Ana Lindqvist"
DATE = "9 July 2024"
STORY = [
    "OpenAI began blocking API traffic from mainland China and Hong Kong on Tuesday, "
    "cutting off developers who had reached its models through overseas servers.",
    "Several domestic providers said they would offer free tokens to the developers "
    "who have to move their products this month.",
    "Baidu, Alibaba Cloud and Zhipu AI all published migration guides within a day of "
    "the first notices, and engineers said the switch took hours rather than weeks.",
    "OpenAI did not respond to a request for comment on this story.",
]


def capture(*lines: str) -> str:
    return "\n".join([TITLE, BYLINE, DATE, *lines])


def dropped(raw: str) -> dict[str, str]:
    return {line.text: line.reason for line in clean_capture(raw).dropped}


@pytest.mark.parametrize(
    "line",
    [
        "Upgrade your home broadband to 10Gbps from $39.90 a month. Terms apply.",
        "Join our channel for the day's top stories, delivered to your phone.",
        "Listen to this article  •  4 min",
        "Explore more on these topics",
        "Have a view on the points raised here? Send us a letter of up to 300 words.",
        "点击上方蓝字“某某观察”，设为星标，第一时间获取行业动态",
    ],
)
def test_a_line_telling_the_reader_what_to_do_is_dropped_wherever_it_stands(line):
    raw = capture(STORY[0], line, *STORY[1:])

    assert dropped(raw)[line] == "call to the reader"
    assert clean_capture(raw).body.split("\n\n") == STORY


@pytest.mark.parametrize(
    "line",
    [
        "This article is for information only and does not constitute investment advice.",
        "The views expressed are those of the authors alone and do not necessarily reflect "
        "the positions of the institute.",
        "本文转自微信公众号“模型工场”，已获授权，略有删改。",
    ],
)
def test_a_disclaimer_or_reuse_notice_about_the_page_is_dropped(line):
    assert address_reason(line) == "disclaimer or reuse notice"
    assert dropped(capture(*STORY, line))[line] == "disclaimer or reuse notice"


@pytest.mark.parametrize(
    "line",
    [
        # The story's own sentences: reported speech, a verb that is not the reader's,
        # "this story" without a disclaimer's words, a quoted call to act.
        "OpenAI did not respond to a request for comment on this story.",
        "Developers can find documentation and a migration guide on the company's portal.",
        "Baidu alone has signed up more than 10,000 developers, the company said.",
        "“Join us and you will get free tokens,” Zhipu's chief executive told developers.",
        "Follow-up notices reached your correspondent's colleagues in Shenzhen on Friday.",
    ],
)
def test_the_story_s_own_sentences_are_not_taken_for_the_page_speaking(line):
    assert address_reason(line) == ""
    assert line in clean_capture(capture(*STORY, line)).body


def test_after_the_story_a_sentence_that_opens_with_a_reader_s_verb_is_the_page_s():
    appeal = "Support independent journalism from €3 a month – it takes less than a minute."

    assert address_reason(appeal) == ""  # in the story, a verb alone proves nothing
    assert dropped(capture(*STORY, appeal, "Most viewed"))[appeal] == "call to the reader"


@pytest.mark.parametrize(
    ("bio", "author"),
    [
        (
            "Ana Lindqvist is a senior fellow at the Lyon Centre for Digital Affairs",
            "Ana Lindqvist",
        ),
        ("Hélène Marchetti is a former correspondent in Shanghai.", ""),
        ("（作者系某研究院研究员）", ""),
    ],
)
def test_the_author_s_biography_after_the_story_is_dropped(bio, author):
    assert is_author_bio(bio, author)
    assert dropped(capture(*STORY, bio, "Comments (23)"))[bio] == "the author's biography"


def test_a_person_described_in_the_story_s_last_paragraph_stays():
    last = "Zhang Wei is now testing four domestic models for the same product."

    assert not is_author_bio(last)  # no role, and not the byline's author
    assert clean_capture(capture(*STORY, last)).body.endswith(last)


def test_a_press_release_s_about_block_and_what_follows_it_are_dropped():
    about = "Founded in 2022, Yunlan AI develops large language models for enterprises."
    raw = capture(*STORY, "About Yunlan AI", about, "Media contact: press@example.com")

    reasons = dropped(raw)
    assert reasons["About Yunlan AI"] == "about the organisation"
    assert about in reasons and "Media contact: press@example.com" in reasons
    assert clean_capture(raw).body.split("\n\n") == STORY


def test_a_subheading_that_starts_with_about_stays_when_the_story_goes_on():
    heading = "About the cut-off"
    raw = capture(STORY[0], heading, *STORY[1:])

    assert heading in clean_capture(raw).body.split("\n\n")


def test_a_copyright_line_is_dropped_but_a_list_item_c_is_not():
    item = "(c) computing resources will be made available to universities for research."
    raw = capture(*STORY, item, "© 2024 Orient Capital News Ltd.")

    assert dropped(raw)["© 2024 Orient Capital News Ltd."] == "copyright line"
    assert item in clean_capture(raw).body


def test_a_taiwanese_byline_with_a_full_width_slash_is_a_byline_not_the_title():
    raw = "\n".join(
        [
            "OpenAI停止中港API服務 台灣業者：影響有限",
            "記者林柏宇／台北報導",
            "2024年7月11日",
            *STORY,
        ]
    )

    cleaned = clean_capture(raw)
    assert cleaned.title == "OpenAI停止中港API服務 台灣業者：影響有限"
    assert cleaned.author == "林柏宇"


def test_page_speech_names_the_paragraphs_another_extractor_kept():
    paragraphs = [*STORY, "Ana Lindqvist is a reporter covering Chinese technology.", "Related"]

    assert page_speech(paragraphs, author="Ana Lindqvist") == {
        4: "the author's biography",
        5: "page footer",
    }


PAGE = """<!doctype html><html><head><title>{title}</title>
<meta property="article:published_time" content="2024-07-09T08:00:00+08:00"></head>
<body><article><h1>{title}</h1>{paragraphs}
<p>The views expressed are those of the author alone and do not constitute advice.</p>
<div class="signup"><p>Sign up for the Asia Briefing newsletter</p>
<p>The day's top stories from across the region, every morning.</p>
<button type="button">Sign up</button></div></article></body></html>"""


def test_an_html_page_loses_its_disclaimer_and_the_blurb_beside_a_sign_up_button():
    html = PAGE.format(title=TITLE, paragraphs="".join(f"<p>{p}</p>" for p in STORY))

    extracted = intake.html.extract(label="page.html", text=html)

    assert extracted.body.split("\n\n") == STORY
    reasons = {line.text: line.reason for line in extracted.dropped}
    assert reasons["The day's top stories from across the region, every morning."] == (
        "beside a button or form field: a sign-up box"
    )
    assert any(r == "disclaimer or reuse notice" for r in reasons.values())


def test_a_sentence_that_opens_with_a_reader_s_verb_and_reports_figures_is_the_story_s():
    line = "Follow the money: Baidu's shares rose 5% and Alibaba's 3% on the download figures."

    assert address_reason(line) == ""
    assert address_reason("Subscribe for free to receive new posts and support my work.")
