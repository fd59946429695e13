"""Posts, threads and episode pages: no headline of their own, comments dated "5 hours ago"."""

from articles import intake
from articles.cleaning import clean_capture

# Two separators, and an item of five words: neither a headline nor a menu.
TAGLINE = "Head of Developer Platforms, APAC | LLM infrastructure | ex-cloud architect"
HOOK = "OpenAI has switched off API access for China and Hong Kong. Here is what we did."
POST = [
    "For anyone who missed it: from 9 July, OpenAI is blocking API traffic from regions it "
    "does not support, and mainland China and Hong Kong are among them.",
    "We run products for customers in Singapore and Shenzhen, so we had to move two of our "
    "services to domestic models within a fortnight.",
]


def dropped(raw: str) -> dict[str, str]:
    return {line.text: line.reason for line in clean_capture(raw).dropped}


def test_a_post_under_its_author_s_tagline_is_called_by_its_first_line():
    raw = "\n".join(["Daniel Koh", TAGLINE, HOOK, *POST])

    cleaned = clean_capture(raw)

    assert cleaned.title == HOOK
    assert cleaned.body.split("\n\n") == POST


def test_a_line_dated_some_time_ago_opens_the_comments():
    comment = "The point about legal review is underrated. We paused our migration for a week."
    raw = "\n".join(
        [
            "Daniel Koh",
            TAGLINE,
            HOOK,
            *POST,
            "#AI #OpenAI #China #HongKong",
            "Mei Chen",
            "2w",
            comment,
            "[–] hk_sre_guy 112 points 5 hours ago",
            "The Azure route is real but do not underestimate the lead time for procurement.",
        ]
    )

    reasons = dropped(raw)

    assert reasons["#AI #OpenAI #China #HongKong"] == "hashtags"
    assert reasons["2w"] == "a time ago: the byline of a comment"
    assert reasons["[–] hk_sre_guy 112 points 5 hours ago"] == "a time ago: the byline of a comment"
    assert reasons[comment] == "comment section"
    assert clean_capture(raw).body.split("\n\n") == POST


def test_a_title_repeated_only_under_the_comments_is_not_the_headline():
    controls = "permalink embed save report reply"
    raw = "\n".join(
        [
            "OpenAI API is now blocked from HK, and what we migrated to (self.asiadevops)",
            "submitted 9 Jul 2024 by kowloon_backend",
            *POST,
            "74 comments",
            "[–] qwen_curious 87 points 4 hours ago",
            "What was the latency difference on the Chinese summarisation for your team?",
            controls,
            "[–] kowloon_backend 64 points 4 hours ago",
            "From Hong Kong it is actually faster than before, maybe thirty per cent lower.",
            controls,
        ]
    )

    cleaned = clean_capture(raw)

    # The link's host that an aggregator prints after a title is not part of it.
    assert cleaned.title == "OpenAI API is now blocked from HK, and what we migrated to"
    assert cleaned.body.split("\n\n") == POST


def test_an_article_whose_header_has_only_a_cookie_notice_keeps_its_headline():
    cookie = "We use cookies to improve your experience on our site. By continuing, you agree."
    raw = "\n".join([cookie, "Accept all", "Developers scramble as OpenAI shuts the door", *POST])

    assert clean_capture(raw).title == "Developers scramble as OpenAI shuts the door"


EPISODE = """<!doctype html><html><head><title>Ep. 112: Blocked at the API</title>
<meta property="article:published_time" content="2024-07-12"></head><body><main>
<section class="show-notes"><h1>Ep. 112: Blocked at the API</h1>
<p>{first}</p><h3>In this episode we discuss</h3>
<ul><li>Why OpenAI enforced its supported-regions list now, and what it did not say</li>
<li>How Hong Kong's universities and start-ups are adapting to the cut-off</li></ul>
<p>{second}</p></section>
<section><h3>Transcript</h3><p>Produced by Harbour Line Media. Music by Kite Theory.</p></section>
<section><h2>More episodes</h2><article>
<a href="/episodes/110"><h3>Ep. 110: The great token price war</h3></a>
<p>June 28, 2024 · 52 min</p></article></section></main></body></html>"""


def test_an_episode_page_keeps_its_list_of_topics_and_drops_credits_and_other_episodes():
    html = EPISODE.format(first=POST[0], second=POST[1])

    extracted = intake.html.extract(label="episode.html", text=html)

    assert extracted.body.split("\n\n") == [
        POST[0],
        "In this episode we discuss",
        "Why OpenAI enforced its supported-regions list now, and what it did not say",
        "How Hong Kong's universities and start-ups are adapting to the cut-off",
        POST[1],
    ]


def test_counts_of_reactions_and_comments_are_furniture_and_the_comments_follow():
    comment = "说得很实在，我们也是主备两家，一家挂了立刻切另一家。"
    raw = "\n".join(
        [
            "OpenAI断供之后：国产大模型的机会与隐忧",
            "2,315 人赞同了该文章",
            *POST,
            "328 条评论",
            "码字的老王",
            comment,
        ]
    )

    reasons = dropped(raw)

    assert reasons["2,315 人赞同了该文章"] == "reactions"
    assert reasons["328 条评论"] == "the number of comments"
    assert reasons[comment] == "comment section"
    assert clean_capture(raw).body.split("\n\n") == POST


LIVE_BLOG = """<!doctype html><html><head>
<title>Cutoff takes effect – as it happened | Ledger</title>
<script type="application/ld+json">{{"@type": "LiveBlogPosting",
"headline": "Cutoff takes effect – as it happened",
"datePublished": "2024-07-09T01:05:00Z"}}</script>
</head><body><main><h1>Cutoff takes effect – as it happened</h1>
<div class="key-events"><h2>Key events</h2>
<ul><li><a href="#b2">Zhipu says 10,000 sign-ups since morning</a></li></ul></div>
<div class="live-blog"><article id="b2"><h2>Zhipu says 10,000 sign-ups since morning</h2>
<p>{first}</p></article><article id="b1"><p>{second}</p></article>
<p>We have a small favour to ask. If you can, please support us from just £2.</p></div>
<section><h2>Related research</h2><article><p class="type">Commentary</p>
<a href="/research/chips">Beyond Chips: Why Export Controls Are Moving Up the Stack</a></article>
</section></main></body></html>"""


def test_a_live_blog_keeps_its_headline_whole_and_drops_key_events_appeals_and_teasers():
    html = LIVE_BLOG.format(first=POST[0], second=POST[1])

    extracted = intake.html.extract(label="live.html", text=html)

    assert extracted.title.value == "Cutoff takes effect – as it happened"
    # The update's heading is the story's, though the key-events list links to it too.
    assert extracted.body.split("\n\n") == [
        "Zhipu says 10,000 sign-ups since morning",
        POST[0],
        POST[1],
    ]


def test_an_account_s_followers_and_a_weibo_topic_are_furniture():
    raw = "\n".join(["硅谷观察者老周", "粉丝 87.3万", "#OpenAI停止对中国提供API服务#", HOOK, *POST])

    reasons = dropped(raw)

    assert reasons["粉丝 87.3万"] == "reactions"
    assert reasons["#OpenAI停止对中国提供API服务#"] == "hashtags"


def test_a_heading_straight_above_the_text_beats_the_account_s_tagline():
    account = ["硅谷观察者老周", "科技博主 优质科技领域创作者", "粉丝 87.3万"]
    headline = "OpenAI断供之后，国产大模型真正的考验才开始"
    first = "这两天朋友圈被 OpenAI 停止对中国提供 API 服务的消息刷屏，很多开发者都在讨论该怎么办。"
    raw = "\n".join([*account, headline, first, *POST])

    assert clean_capture(raw).title == headline


NEWSLETTER = """<!doctype html><html><head><title>The Great API Wall</title>
<meta property="article:published_time" content="2024-07-10"></head><body>
<table><tr><td><h1>The Great API Wall</h1></td></tr>
<tr><td><p>{hook}</p></td></tr>
<tr><td style="font-size:20px;font-weight:bold">What happened</td></tr>
<tr><td><p>{first}</p></td></tr>
<tr><td style="font-size:20px;font-weight:bold">Why it matters</td></tr>
<tr><td><p>{second}</p></td></tr></table></body></html>"""


def test_an_e_mail_s_subheadings_styled_in_table_cells_are_kept():
    html = NEWSLETTER.format(hook=HOOK, first=POST[0], second=POST[1])

    extracted = intake.html.extract(label="newsletter.html", text=html)

    assert extracted.body.split("\n\n") == [
        HOOK,
        "What happened",
        POST[0],
        "Why it matters",
        POST[1],
    ]
