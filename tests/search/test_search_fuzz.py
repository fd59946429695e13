"""GET /search/ with anything at all in its parameters: never a 5xx, and JSON that parses.

Against the seeded story in the real PostgreSQL database, so every query the
page sends (matching, ranking, headlines, facets, suggestions) runs for real.
"""

import csv
import io
import json
import re
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from aiwatch.search import suggest
from aiwatch.search.indexing import rebuild

pytestmark = pytest.mark.slow

URL = "/search/"
JSON_KEYS = {
    "query",
    "total",
    "total_is_capped",
    "page",
    "pages",
    "sort",
    "results",
    "facets",
    "suggestion",
    "errors",
}
RESULT_KEYS = {"kind", "title", "url", "snippet", "snippet_html", "date"}
FACET_ITEM_KEYS = {"value", "label", "count", "params"}
STATUSES = {200, 400}


def answered(response) -> str:
    """What a page said, for a failure message: a 503 for an outage and one for a slow
    statement differ only in their text."""
    text = re.sub(r"<[^>]+>|\s+", " ", response.content.decode(errors="replace"))
    return " ".join(text.split())[:300]


# --- Strategies ------------------------------------------------------------------

NASTY_QUERIES = [
    "\x00",
    "Sense\x00Time",
    "\x00\x01\x02\x1b[31m\x7f",
    "\t\n\r\x0b\x0c",
    "\u200b\u200e\u2028\u2029\ufeff",
    "😀",
    "🇨🇳 OpenAI 👍🏽",
    "商汤",
    "華為 OR 百度",
    "-华为",
    "零一万物\x00",
    "\U00020000\U0002a6d6",
    '"',
    '""',
    '"""',
    '"free tokens',
    'free tokens"',
    '-"',
    '-"free tokens"',
    "- -- --- -",
    "-",
    "--huawei",
    "-huawei",
    "-huawei -baidu",
    "OR",
    "OR OR OR",
    "SenseTime OR",
    "OR SenseTime",
    "a OR -b",
    "'; DROP TABLE aiwatch_searchentry; --",
    "1' OR '1'='1",
    "Robert'); DELETE FROM entities_entity;--",
    "sensetime:*",
    "sense:* & !time | (x <-> y)",
    "!!!",
    "&&& ||| ::: *** ((( )))",
    "'",
    "'''",
    "\\",
    "\\'",
    "%",
    "%00",
    "_",
    "<script>alert(1)</script>",
    "the a an of to and",
    "the",
    "a OR the",
    "01.AI",
    "gpt-4o",
    "GPT-4o-mini-2024-07-18",
    "a.b.c.d.e",
    "https://www.theregister.com/2024/06/25/openai_unsupported_countries/",
    "user@example.com",
    "x" * 300,
    "sensetime " * 40,
    " ".join(f"w{i}" for i in range(200)),
    "-x " * 100,
    '"' * 500,
    "商" * 1000,
    "😀" * 2000,
    "a" * 10_000,
]
TOKENS = [
    "OR",
    "-",
    '"',
    "-huawei",
    "SenseTime",
    "商汤",
    "華為",
    "the",
    "'",
    ":*",
    "&",
    "|",
    "!",
    "(",
    ")",
    "\x00",
    "😀",
    "blocked",
    "free",
    "tokens",
    "--",
    "''",
]

queries = st.one_of(
    st.text(max_size=300),
    st.sampled_from(NASTY_QUERIES),
    st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)), max_size=20).map(" ".join),
    st.lists(st.sampled_from(TOKENS), max_size=30).map("".join),
    st.builds(
        lambda s, n: (s * n)[:10_000], st.text(min_size=1, max_size=12), st.integers(1, 10_000)
    ),
)

HUGE = "9" * 40
BAD_NUMBERS = [
    "abc",
    "-1",
    "0",
    "999999",
    HUGE,
    "1" * 5000,
    "1.5",
    "1e3",
    "NaN",
    "Infinity",
    "-Infinity",
    "",
    " ",
    " 2 ",
    "٣",
    "0x10",
    "2024\x00",
    "1; DROP TABLE x",
]
VALUES = {
    "page": ["1", "2", "50", "51", *BAD_NUMBERS],
    "kind": ["entity", "event", "claim", "article", "ENTITY", "person", "", "\x00", "claim\x00"],
    "entity": [
        "sensetime",
        "openai",
        "huawei",
        "no-such-entity",
        "SenseTime",
        "\x00",
        "' OR 1=1 --",
        "a" * 600,
        "商汤",
        "../../etc/passwd",
    ],
    "outlet": ["tekedia", "no-such-outlet", "\x00", "' OR 1=1 --", "a" * 600],
    "year": ["2024", "2023", "1899", "2101", "1900", "2100", "2024.5", "2.024e3", *BAD_NUMBERS],
    "month": ["1", "7", "12", "13", "00", "07", *BAD_NUMBERS],
    "claim_kind": ["fact", "opinion", "prediction", "analysis", "FACT", "bogus", "\x00"],
    "verification": ["unverified", "corroborated", "disputed", "refuted", "bogus", "\x00"],
    "role": ["original", "follow-up", "statement", "Original", "bogus", "", "\x00"],
    "republications": ["exclude", "include", "EXCLUDE", "all", "", "\x00"],
    "sort": ["relevance", "newest", "oldest", "RELEVANCE", "date", "", "\x00", "rank DESC; --"],
    "format": ["html", "json", "csv", "xml", "JSON", "", "\x00", "../json"],
    "date_from": [
        "2024-07-09",
        "2024-13-01",
        "2024-02-30",
        "0000-00-00",
        "0001-01-01",
        "9999-12-31",
        "10000-01-01",
        "abc",
        "-1",
        "2024/07/09",
        "09/07/2024",
        "2024-07-09T00:00",
        "\x00",
        "",
    ],
}
VALUES["date_to"] = VALUES["date_from"]

field_values = {
    name: st.lists(st.one_of(st.sampled_from(values), st.text(max_size=30)), max_size=3)
    for name, values in VALUES.items()
}
params = st.fixed_dictionaries(
    {"q": st.lists(queries, max_size=3)},
    optional={**field_values, "foo": st.lists(st.text(max_size=10), max_size=2)},
)


def _pairs(multi: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, values in multi.items() for value in values]


class SearchFuzzTests(TestCase):
    """Hypothesis's TestCase runs each example in its own transaction, over setUpTestData's data."""

    @classmethod
    def setUpTestData(cls):
        call_command("seed", stdout=io.StringIO())
        rebuild()  # the index is filled on commit, which a TestCase never reaches
        suggest.forget()

    def setUp(self):
        suggest.forget()

    @classmethod
    def tearDownClass(cls):
        suggest.forget()
        super().tearDownClass()

    def get(self, pairs: list[tuple[str, str]] | dict):
        """GET /search/ with these parameters, repeats allowed; a failure cannot poison the next."""
        if isinstance(pairs, dict):
            pairs = list(pairs.items())
        with transaction.atomic():
            return self.client.get(f"{URL}?{urlencode(pairs)}")

    def check(self, pairs: list[tuple[str, str]] | dict):
        """The response to these parameters is sound; returns it."""
        if isinstance(pairs, dict):
            pairs = list(pairs.items())
        response = self.get(pairs)
        self.assertIn(response.status_code, STATUSES, f"{pairs!r}: {answered(response)}")
        formats = [v for k, v in pairs if k == "format"]
        fmt = formats[-1] if formats else "html"  # QueryDict.get takes the last value
        content_type = response["Content-Type"]
        if fmt == "json":
            self.assertTrue(content_type.startswith("application/json"), content_type)
            self.check_json(json.loads(response.content), pairs)
        elif fmt == "csv":
            self.assertTrue(content_type.startswith("text/csv"), content_type)
            rows = list(csv.reader(io.StringIO(response.content.decode())))
            self.assertEqual(rows[0], ["kind", "title", "url", "date", "snippet", "standing"])
        else:
            self.assertTrue(content_type.startswith("text/html"), content_type)
        return response

    def check_json(self, data, pairs):
        self.assertLessEqual(JSON_KEYS, set(data), pairs)
        self.assertIsInstance(data["query"], str)
        self.assertIsInstance(data["total"], int)
        self.assertGreaterEqual(data["total"], 0)
        self.assertIsInstance(data["total_is_capped"], bool)
        self.assertIsInstance(data["page"], int)
        self.assertIsInstance(data["pages"], int)
        self.assertGreaterEqual(data["page"], 1)
        self.assertLessEqual(data["page"], max(data["pages"], 1))
        self.assertIn(data["sort"], {"relevance", "newest", "oldest"})
        self.assertIsInstance(data["results"], list)
        self.assertLessEqual(len(data["results"]), data["total"])
        for hit in data["results"]:
            self.assertLessEqual(RESULT_KEYS, set(hit))
            self.assertIn(hit["kind"], {"entity", "event", "claim", "article"})
            self.assertTrue(hit["url"].startswith("/"))
        self.assertIsInstance(data["facets"], dict)
        for items in data["facets"].values():
            for item in items:
                self.assertLessEqual(FACET_ITEM_KEYS, set(item))
                self.assertIsInstance(item["count"], int)
        suggestion = data["suggestion"]
        if suggestion is not None:
            self.assertEqual(set(suggestion), {"query", "count"})
            self.assertGreater(suggestion["count"], 0)
        self.assertIsInstance(data["errors"], dict)
        for messages in data["errors"].values():
            self.assertTrue(all(isinstance(m, str) for m in messages))

    # --- The property -------------------------------------------------------------

    # How many examples: the Hypothesis profile decides (tests/conftest.py).
    @settings(
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(params=params, fmt=st.sampled_from(["json", "json", "html", "csv", None]))
    @example(params={"q": ["\x00"]}, fmt="json")
    @example(params={"q": ["a" * 10_000], "page": ["999999"]}, fmt="json")
    @example(params={"q": ['"unbalanced'], "page": ["abc"], "year": ["abc"]}, fmt="html")
    def test_any_parameters_give_a_sound_answer(self, params, fmt):
        pairs = _pairs(params)
        if fmt is not None:
            pairs.append(("format", fmt))
        self.check(pairs)

    # --- Explicit examples of each bad input ---------------------------------------

    def test_nasty_queries(self):
        for q in NASTY_QUERIES:
            for fmt in ("json", "html"):
                with self.subTest(q=q[:40], fmt=fmt):
                    self.check({"q": q, "format": fmt})

    def test_nasty_queries_as_csv(self):
        for q in NASTY_QUERIES[:20]:
            with self.subTest(q=q[:40]):
                self.check({"q": q, "format": "csv"})

    def test_bad_values_of_every_parameter(self):
        for name, values in VALUES.items():
            for value in values:
                for q in ("SenseTime", ""):
                    with self.subTest(name=name, value=value[:40], q=q):
                        self.check([("q", q), (name, value), ("format", "json")])

    def test_bad_values_in_the_html_page(self):
        for name, values in VALUES.items():
            for value in values:
                with self.subTest(name=name, value=value[:40]):
                    self.check([("q", "blocked"), (name, value)])

    def test_invalid_values_are_reported_not_applied(self):
        data = json.loads(
            self.check(
                {"q": "SenseTime", "kind": "bogus", "year": "abc", "page": "abc", "format": "json"}
            ).content
        )
        self.assertIn("kind", data["errors"])
        self.assertIn("year", data["errors"])
        plain = json.loads(self.check({"q": "SenseTime", "format": "json"}).content)
        self.assertEqual(data["total"], plain["total"])
        self.assertGreater(plain["total"], 0)

    def test_page_out_of_range(self):
        for page in ("0", "-1", "999999", HUGE, "1" * 5000):
            with self.subTest(page=page[:20]):
                data = json.loads(
                    self.check({"q": "OpenAI", "page": page, "format": "json"}).content
                )
                self.assertGreaterEqual(data["page"], 1)
                self.assertLessEqual(data["page"], max(data["pages"], 1))

    def test_repeated_parameters(self):
        pairs = [
            ("q", "SenseTime"),
            ("q", "商汤"),
            ("kind", "entity"),
            ("kind", "claim"),
            ("page", "abc"),
            ("page", "1"),
            ("format", "html"),
            ("format", "json"),
            ("entity", "openai"),
            ("entity", "sensetime"),
            ("sort", "oldest"),
            ("sort", "newest"),
        ]
        data = json.loads(self.check(pairs).content)
        self.assertEqual(data["query"], "商汤")  # the last value counts
        self.assertEqual(data["sort"], "newest")
        self.assertTrue(all(hit["kind"] == "claim" for hit in data["results"]))

    def test_sql_looking_input_changes_nothing(self):
        before = json.loads(self.check({"q": "SenseTime", "format": "json"}).content)
        for value in ("'; DROP TABLE aiwatch_searchentry; --", "1' OR '1'='1"):
            for name in ("q", "entity", "outlet", "kind", "sort", "year", "date_from"):
                with self.subTest(name=name, value=value):
                    self.check({name: value, "format": "json"})
        after = json.loads(self.check({"q": "SenseTime", "format": "json"}).content)
        self.assertEqual(before["total"], after["total"])

    def test_only_punctuation_or_stop_words(self):
        for q in ("!!!", "...", "-", '"', "'", "the", "the a an of", "OR", "-the"):
            with self.subTest(q=q):
                data = json.loads(self.check({"q": q, "format": "json"}).content)
                self.assertEqual(data["results"], [])

    def test_invalid_utf8_in_the_query_string(self):
        for raw in (
            "q=%FF%FE",
            "q=%C3%28&format=json",
            "q=%ED%A0%80&format=json",
            "entity=%FF&format=json",
            "q=%00%00&format=json",
        ):
            with self.subTest(raw=raw), transaction.atomic():
                response = self.client.get(f"{URL}?{raw}")
                self.assertIn(response.status_code, STATUSES, f"{raw}: {answered(response)}")
                if "format=json" in raw:
                    self.assertLessEqual(JSON_KEYS, set(json.loads(response.content)))
