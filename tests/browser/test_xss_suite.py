"""The security suite: OWASP's XSS vectors in every public field, rendered everywhere.

Each vector (from OWASP's XSS Filter Evasion cheat sheet: script tags, event
handlers, javascript:, data: and vbscript: URLs, entity-encoded and mixed-case
variants, attribute and </textarea>-style breakouts, markdown links and images,
CSS expressions, the search's own highlight markers, spreadsheet formulas...)
gets rows of its own: an outlet, an article with its original file, an entity
with an alias, an event, a withdrawn event, a claim and every link between them.
Every public text and URL field of those models, found by walking their
fields, holds the vector; its code is alert(N), N naming the vector.

Then, as an anonymous reader, every public page, feed, JSON twin and CSV
export is read (search for each vector, which the page carries back, and for
each vector's rows), and as a chief editor the admin's pages that show the rows:

- pages in Chromium with the Content-Security-Policy bypassed, so that what is
  tested is the escaping and the sanitizer, not the policy that backs them up:
  no dialog opens, and the DOM holds no handler, script, frame, dangerous URL or
  forged search highlight that a payload made live;
- every raw body: no live markup in HTML, in a feed's summary HTML or in JSON's
  *_html values; links only http(s); the right media type and nosniff; no
  spreadsheet formula in a CSV cell; plain text, not HTML entities, in JSON, CSV
  and feed titles;
- and each feed's entries shown by Chromium as a feed reader without a policy
  shows them.

A failing test lists every page and vector that failed, not only the first.
The rows are written after the shared seed and removed after the module's last
test, so the seed is left exactly as it was (the package checks it).
"""

import base64
import csv
import datetime
import html
import importlib
import io
import json
import re
import xml.etree.ElementTree as ElementTree
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import reversion
from axes.models import AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib.admin import site as admin_site
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, models, transaction
from django.db.models import CheckConstraint, Q
from django.test import Client
from django.urls import reverse
from reversion.admin import VersionAdmin
from reversion.models import Revision, Version

from aiwatch.core import registry
from aiwatch.core.outputs import spreadsheet_safe, xml_safe
from aiwatch.core.publishing import Status
from articles.models import Article, Original, Republication, Source
from entities import models as m
from tests.browser.conftest import _outside_event_loop

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The vectors ---------------------------------------------------------------------------
# %JS% is the vector's code, alert(N); %N% its number; %B64% <script>alert(N)</script>
# in base64, for data: URLs. Numbers start at 101 so that every one has three digits.
# %TAG%, xsspayloadN, is a word search finds the vector's rows by (PostgreSQL skips
# what is inside <script>): put where it leaves the vector working, else at the end.

TEMPLATES = [
    ("script", "<script>%JS%</script>"),
    ("script-mixed-case", "<ScRiPt>%JS%</sCrIpT>"),
    ("script-src-data", '<script src="data:text/javascript,%JS%"></script>'),
    ("script-nested", "<scr<script>ipt>%JS%</scr</script>ipt>"),
    ("img-onerror", "<img src=x onerror=%JS%>"),
    ("img-javascript", '<IMG SRC="javascript:%JS%;">'),
    ("img-malformed", '<IMG """><SCRIPT>%JS%</SCRIPT>">'),
    ("img-entity-handler", '<img src=x onerror="&#97;lert(%N%)">'),
    ("svg-onload", "<svg/onload=%JS%>"),
    ("svg-xlink", '<svg><a xlink:href="javascript:%JS%"><text x="9" y="9">x</text></a></svg>'),
    ("body-onload", "<body onload=%JS%>"),
    ("iframe-javascript", '<iframe src="javascript:%JS%"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="<script>%JS%</script>"></iframe>'),
    ("details-ontoggle", "<details open ontoggle=%JS%>"),
    ("input-autofocus", "<input autofocus onfocus=%JS%>"),
    ("a-javascript", '<a href="javascript:%JS%">x</a>'),
    (
        "a-hex-entities",
        '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;%JS%">x</a>',
    ),
    ("a-embedded-tab", '<a href="jav&#x09;ascript:%JS%">x</a>'),
    ("a-colon-entity", '<a href="javascript&colon;%JS%">x</a>'),
    ("a-data", '<a href="data:text/html;base64,%B64%">x</a>'),
    ("a-vbscript", '<a href="vbscript:%JS%">x</a>'),
    ("a-onclick", '<a href="https://example.test/" onclick="%JS%">x</a>'),
    ("breakout-double-quote", '"><script>%JS%</script>'),
    ("breakout-single-quote", "'><script>%JS%</script>"),
    ("attribute-double-quote", '" autofocus onfocus="%JS%" x="'),
    ("attribute-single-quote", "' autofocus onfocus='%JS%' x='"),
    ("breakout-textarea", "</textarea><script>%JS%</script>"),
    ("breakout-title", "</title><script>%JS%</script>"),
    ("breakout-script", "</script><script>%JS%</script>"),
    ("breakout-noscript", '<noscript><p title="</noscript><img src=x onerror=%JS%>">'),
    ("css-expression", '<div style="width: expression(%JS%);">x</div>'),
    ("css-url", '<div style="background-image: url(javascript:%JS%)">x</div>'),
    ("embed-data", '<embed src="data:text/html;base64,%B64%">'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:%JS%">'),
    ("base-href", '<base href="javascript:%JS%//">'),
    ("form-action", '<form><button formaction="javascript:%JS%">x</button></form>'),
    ("math-mutation", "<math><mtext><table><mglyph><style><img src=x onerror=%JS%>"),
    (
        "polyglot",
        "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=%JS% )//%0D%0A%0d%0a//"
        "</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=%JS%//>\\x3e",
    ),
    ("markdown-link", "[x](javascript:%JS%)"),
    ("markdown-image", "![x](javascript:%JS%)"),
    ("markdown-data", "[x](data:text/html;base64,%B64%)"),
    ("markdown-autolink", "<javascript:%JS%>"),
    ("markdown-reference", "%TAG% [x][r%N%]\n\n[r%N%]: javascript:%JS%"),
    ("markdown-title", '[x](https://example.test/ "t\\" onmouseover=\\"%JS%")'),
    ("markdown-image-alt", '![x" onerror="%JS%](https://example.test/a.png)'),
    ("markdown-attributes", '[x](https://example.test/){: onclick="%JS%" }'),
    ("markdown-html-block", '<div markdown="1">[x](javascript:%JS%)</div>\n\n%TAG%'),
    ("entity-encoded", "&lt;script&gt;%JS%&lt;/script&gt;"),
    ("highlight-markers", "\ue000forged%N%\ue001 \ue000<script>%JS%</script>\ue001"),
    ("line-separators", "\u2028\u2029</script><script>%JS%</script>"),
    ("control-characters", "java\x0bscript:%JS% <img src=x onerror\x0c=%JS%>"),
    ("url-javascript", "javascript:%JS%;%TAG%"),
    ("url-javascript-space", " javascript:%JS%;%TAG%"),
    ("url-javascript-tab", "java\tscript:%JS%;%TAG%"),
    ("url-data", "data:text/html;base64,%B64%#%TAG%"),
    ("url-vbscript", "vbscript:%JS%;%TAG%"),
    ("url-breakout", 'https://example.test/"><script>%JS%</script>'),
    ("url-attribute", 'https://example.test/" autofocus onfocus="%JS%;%TAG%'),
    ("formula-equals", '=HYPERLINK("https://example.test/%N%","%JS%")'),
    ("formula-plus", "+%N%+cmd|' /C calc'!A0 %JS%"),
    ("formula-minus", "-%N%+cmd|' /C calc'!A0 %JS%"),
    ("formula-at", "@SUM(%N%+1)*cmd|' /C calc'!A0 %JS%"),
    ("formula-tab", "\t=%N%+1 %JS%"),
]
# The vectors that a query string carries back into a page, tried on every filter.
REFLECTED = [
    "script",
    "breakout-double-quote",
    "breakout-single-quote",
    "attribute-double-quote",
    "attribute-single-quote",
    "breakout-textarea",
    "breakout-title",
    "breakout-script",
]
TAG = "xsspayload"
CODE = re.compile(r"alert\((\d{3})\)|forged(\d{3})|xsspayload(\d{3})")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "xss"
FIRST_DAY = datetime.date(2031, 1, 1)  # after the seed's story: payload rows come first


@dataclass(frozen=True)
class Vector:
    key: str
    n: int
    text: str


def _vectors() -> list[Vector]:
    out = []
    for i, (key, template) in enumerate(TEMPLATES):
        n = 101 + i
        code = f"alert({n})"
        b64 = base64.b64encode(f"<script>{code}</script>".encode()).decode()
        if "%TAG%" not in template:
            template += " %TAG%"
        text = template.replace("%JS%", code).replace("%B64%", b64)
        text = text.replace("%TAG%", f"{TAG}{n}").replace("%N%", str(n))
        out.append(Vector(key, n, text))
    return out


VECTORS = _vectors()
BY_NUMBER = {v.n: v for v in VECTORS}


def _named(text: str) -> str:
    """The vectors whose code (alert(N), even in base64) or text is in `text`, by name."""

    def numbers(t):
        return {int("".join(groups)) for groups in CODE.findall(t)}

    found = numbers(text)
    for chunk in re.findall(r"base64,([A-Za-z0-9+/=]+)", text):
        try:
            found |= numbers(base64.b64decode(chunk).decode())
        except ValueError:
            continue
    return ", ".join(BY_NUMBER[n].key for n in sorted(found) if n in BY_NUMBER) or "?"


# Storing the vectors ------------------------------------------------------------------

# What a database constraint or a validator answers a value it refuses.
REFUSED_ERRORS = (IntegrityError, ValidationError, DataError)
# Computed from other fields on save, so a vector stored there never reaches a reader;
# and the seed's keys, which are unique and never shown.
DERIVED = {"content_hash", "sha256", "seed_key"}


def public_text_fields(model):
    """The concrete text and URL fields an editor or an importer fills, as shown publicly.

    Slugs and choices are left out (a vector is not a slug or a choice), and so
    are the fields save() computes: the markdown's *_html twins and the hashes.
    """

    twins = {f"{name}_html" for name in getattr(model, "MARKDOWN_FIELDS", ())}
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not isinstance(f, models.SlugField)
        and not f.choices
        and f.name not in twins | DERIVED
    ]


def _checked_fields(model) -> set[str]:
    """The fields a check constraint of `model` names: the database may refuse a vector."""
    names = set()

    def walk(q):
        for child in q.children:
            if isinstance(child, Q):
                walk(child)
            else:
                names.add(child[0].split("__")[0])

    for constraint in model._meta.constraints:
        if isinstance(constraint, CheckConstraint) and isinstance(constraint.condition, Q):
            walk(constraint.condition)
    return names


@dataclass
class Stored:
    """The rows the vectors were stored in, and the pages that show them."""

    # (model label, field name) -> outcome -> how many vectors
    coverage: dict = field(default_factory=lambda: defaultdict(Counter))
    rows_made: Counter = field(default_factory=Counter)  # model label -> rows made
    public_models: set = field(default_factory=set)  # labels of models shown publicly
    pages: list = field(default_factory=list)  # (label, path, expected status), HTML
    json: list = field(default_factory=list)  # (label, path)
    feeds: list = field(default_factory=list)
    csv: list = field(default_factory=list)
    xml: list = field(default_factory=list)
    texts: list = field(default_factory=list)  # (label, path): text/plain
    downloads: list = field(default_factory=list)  # (label, path): the original files
    admin_pages: list = field(default_factory=list)  # (label, path)
    admin_raw: list = field(default_factory=list)  # (label, path): raw HTML only
    admin_json: list = field(default_factory=list)
    titles: dict = field(default_factory=dict)  # page path -> the stored title
    sources: dict = field(default_factory=dict)  # page path -> every stored text of it
    claim_change_path: str = ""
    session_key: str = ""
    created: list = field(default_factory=list)  # every row made, in order of creation
    revisions: list = field(default_factory=list)
    user_pk: int = 0
    group_pk: int | None = None  # the Chief editor group, when the suite had to make it


class _Storer:
    def __init__(self, stored: Stored):
        self.stored = stored

    def fit(self, model, f, text: str) -> tuple[str, str]:
        if f.max_length and len(text) > f.max_length:
            return text[: f.max_length], "stored, cut to its max_length"
        return text, "stored"

    def record(self, model, name: str, outcome: str) -> None:
        self.stored.coverage[model._meta.label, name][outcome] += 1

    def attempt(self, obj, name: str, value: str) -> str:
        """Store one value in a savepoint, by save() and, if that refuses, by update()."""
        old = getattr(obj, name)
        try:
            with transaction.atomic():
                setattr(obj, name, value)
                obj.save(update_fields=[name])
            return "stored"
        except REFUSED_ERRORS:
            setattr(obj, name, old)
        try:
            # update() skips save() and its validation: only the database can refuse it.
            with transaction.atomic():
                type(obj)._default_manager.filter(pk=obj.pk).update(**{name: value})
            setattr(obj, name, value)
            return "stored by update(), which save() refused"
        except REFUSED_ERRORS:
            return "refused"

    def create(self, model, vector: Vector, required: dict, adjust=None):
        """A row of `model` with `vector` in each public text field, as far as it is accepted."""
        fields = public_text_fields(model)
        values, outcomes = {}, {}
        for f in fields:
            if isinstance(f, models.URLField):
                continue
            text = (adjust or {}).get(f.name, vector.text)
            values[f.name], outcomes[f.name] = self.fit(model, f, text)
        try:
            with transaction.atomic():
                obj = model._default_manager.create(**values, **required)
        except REFUSED_ERRORS:
            # A check constraint refused a vector: store the rest, then try those alone.
            checked = _checked_fields(model) & values.keys()
            obj = model._default_manager.create(
                **{k: v for k, v in values.items() if k not in checked}, **required
            )
            for name in checked:
                outcome = self.attempt(obj, name, values[name])
                outcomes[name] = outcome if outcome != "stored" else outcomes[name]
        for name, outcome in outcomes.items():
            self.record(model, name, outcome)
        for f in fields:
            if isinstance(f, models.URLField):
                self.store_url(obj, f, vector)
        self.stored.created.append(obj)
        self.stored.rows_made[model._meta.label] += 1
        return obj

    def store_url(self, obj, f, vector: Vector) -> None:
        """The vector as it is; where that is refused, breakouts in an https URL."""
        model = type(obj)
        shaped = "https://example.test/" + vector.text.lstrip()
        for kind, value in [
            ("as it is", vector.text),
            ("https-shaped", shaped),
            ("https-shaped, spaces escaped", re.sub(r"\s", "%20", shaped)),
        ]:
            value, cut = self.fit(model, f, value)
            outcome = self.attempt(obj, f.name, value)
            if outcome == "refused":
                self.record(model, f.name, f"{kind}: refused")
                continue
            self.record(model, f.name, f"{kind}: {outcome}" + (" (cut)" if cut != "stored" else ""))
            return


def _chief_editor_group() -> tuple[Group, bool]:
    """The Chief editor group, and whether it had to be made.

    A transactional test's flush empties what migrations put in, the groups too,
    and the browser tests come after those: the group is then made again as its
    migration makes it (and removed afterwards).
    """
    group, created = Group.objects.get_or_create(name="Chief editor")
    if created:
        roles = importlib.import_module("aiwatch.core.migrations.0003_editor_roles")
        models_of = [model for names in roles.CONTENT.values() for model in names]
        group.permissions.set(
            Permission.objects.filter(
                Q(
                    content_type__app_label__in=list(roles.CONTENT),
                    content_type__model__in=models_of,
                    codename__regex=r"^(add|change|delete|view)_",
                )
                | Q(codename__in=[f"publish_{model}" for _, model in roles.PUBLISHABLE])
            )
        )
    return group, created


def _store(stored: Stored) -> None:
    """Store every vector in its own rows, recorded as a chief editor's revisions."""
    storer = _Storer(stored)
    chief = get_user_model().objects.create_user(username="xss-chief", is_staff=True)
    group, created = _chief_editor_group()
    stored.group_pk = group.pk if created else None
    chief.groups.add(group)
    stored.user_pk = chief.pk

    rows = []  # per vector: a dict of its rows
    for i, vector in enumerate(VECTORS):
        day = FIRST_DAY + datetime.timedelta(days=i)
        # One revision per vector: its history page lists the vector as the comment.
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(chief)
            reversion.set_comment(vector.text)
            c = storer.create
            row = {"source": c(Source, vector, {})}
            row["article"] = c(
                Article,
                vector,
                {
                    "source": row["source"],
                    "published_on": day,
                    "status": Status.PUBLISHED,
                    "provenance": {"title": vector.text, vector.text[:60]: vector.text},
                },
            )
            # The importer sets the media type from the file: never more than one line.
            row["original"] = c(
                Original,
                vector,
                {"article": row["article"], "content": vector.text.encode()},
                adjust={"media_type": " ".join(vector.text.split())},
            )
            row["entity"] = c(
                m.Entity, vector, {"kind": m.EntityKind.COMPANY, "status": Status.PUBLISHED}
            )
            row["alias"] = c(m.Alias, vector, {"entity": row["entity"]})
            row["mention"] = c(
                m.Mention, vector, {"article": row["article"], "entity": row["entity"]}
            )
            row["event"] = c(m.Event, vector, {"date": day, "status": Status.PUBLISHED})
            row["withdrawn"] = c(m.Event, vector, {"date": day, "status": Status.WITHDRAWN})
            row["participation"] = c(
                m.Participation, vector, {"event": row["event"], "entity": row["entity"]}
            )
            row["event_source"] = c(
                m.EventSource, vector, {"event": row["event"], "article": row["article"]}
            )
            row["claim"] = c(
                m.Claim,
                vector,
                {
                    "claimant": row["entity"],
                    "article": row["article"],
                    "kind": m.ClaimKind.FACT,
                    "verification": m.Verification.DISPUTED,
                    "status": Status.PUBLISHED,
                },
            )
            row["claim_entity"] = c(
                m.ClaimEntity, vector, {"claim": row["claim"], "entity": row["entity"]}
            )
            row["claim_event"] = c(
                m.ClaimEvent, vector, {"claim": row["claim"], "event": row["event"]}
            )
        stored.revisions += list(
            Version.objects.get_for_object(row["source"]).values_list("revision_id", flat=True)
        )
        rows.append(row)

    # Links to the next vector's rows: each page then shows two vectors, its own and the
    # next one's, through a co-mention, a contradicting claim and a republication.
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(chief)
        reversion.set_comment(VECTORS[0].text)
        for i, (row, vector) in enumerate(zip(rows, VECTORS, strict=True)):
            after = rows[(i + 1) % len(rows)]
            row["co_mention"] = storer.create(
                m.Mention, vector, {"article": row["article"], "entity": after["entity"]}
            )
            row["relation"] = storer.create(
                m.ClaimRelation,
                vector,
                {"source": row["claim"], "target": after["claim"], "kind": "contradicts"},
            )
            # The next vector's article restates this claim: the lineage shows its words.
            row["appearance"] = storer.create(
                m.ClaimAppearance, vector, {"claim": row["claim"], "article": after["article"]}
            )
            row["republication"] = storer.create(
                Republication,
                vector,
                {"copy": row["article"], "original": after["article"], "similarity": 0.9},
            )
    stored.revisions += list(
        Version.objects.get_for_object(rows[0]["relation"]).values_list("revision_id", flat=True)
    )
    for row, vector in zip(rows, VECTORS, strict=True):
        shown = [row[k] for k in ("source", "article", "entity", "event", "claim")]
        LogEntry.objects.log_actions(chief.pk, shown, CHANGE, change_message=vector.text)

    # The models whose rows are public: every kind, and every link the history records.
    for kind in registry.kinds():
        stored.public_models.add(kind.model._meta.label)
    for model in reversion.get_registered_models():
        if model._meta.app_label in ("articles", "entities"):
            stored.public_models.add(model._meta.label)
    stored.public_models.add(Original._meta.label)  # shown in "About this capture"

    _public_paths(stored, rows)
    _admin_paths(stored, rows, chief)

    client = Client()
    client.force_login(chief)
    stored.session_key = client.session.session_key


def _public_paths(stored: Stored, rows) -> None:
    anonymous = Client()

    def pages_of(path, per_page, count):
        return [f"{path}?page={p}" for p in range(1, -(-count // per_page) + 1)]

    def search_pages(query):
        found = anonymous.get("/search/", {"q": query, "format": "json"}).json()
        return [urlencode({"q": query, "page": p}) for p in range(1, found["pages"] + 1)]

    pages, js = stored.pages, stored.json
    pages.append(("home", "/", 200))
    pages.append(("coverage", "/coverage/", 200))
    pages.append(("network", "/network/", 200))
    for label, path, per_page, model in [
        ("article list", "/articles/", 25, Article),
        ("entity list", "/entities/", 25, m.Entity),
        ("timeline", "/events/", 100, m.Event),
        ("claim list", "/claims/", 25, m.Claim),
    ]:
        for page in pages_of(path, per_page, model.objects.published().count()):
            pages.append((label, page, 200))
            js.append((f"{label} JSON", page + "&format=json"))
    for row, vector in zip(rows, VECTORS, strict=True):
        article, entity, event, claim = (row[k] for k in ("article", "entity", "event", "claim"))
        for label, obj in [("article", article), ("entity", entity), ("event", event)]:
            pages.append((label, obj.get_absolute_url(), 200))
            js.append((f"{label} JSON", obj.get_absolute_url() + "?format=json"))
        pages.append(("claim", claim.get_absolute_url(), 200))
        js.append(("claim JSON", claim.get_absolute_url() + "?format=json"))
        pages.append(("outlet", row["source"].get_absolute_url(), 200))
        pages.append(("withdrawn event", row["withdrawn"].get_absolute_url(), 410))
        stored.texts.append(("raw capture", article.get_absolute_url() + "raw/"))
        stored.downloads.append(("original file", article.get_absolute_url() + "original/"))
        stored.feeds.append(("entity feed", f"/feeds/entities/{entity.slug}/"))
        # The vector as the query, carried back into the page; then its rows, found.
        query = urlencode({"q": vector.text})
        pages.append(("search for the vector", f"/search/?{query}", 200))
        js.append(("search JSON for the vector", f"/search/?{query}&format=json"))
        stored.feeds.append(("search feed for the vector", f"/feeds/search/?{query}"))
        query = urlencode({"q": f'"{TAG}{vector.n}"'})
        pages.append(("search for its rows", f"/search/?{query}", 200))
        js.append(("search JSON for its rows", f"/search/?{query}&format=json"))
        stored.csv.append(("search CSV for its rows", f"/search/?{query}&format=csv"))
        stored.feeds.append(("search feed for its rows", f"/feeds/search/?{query}"))
        for obj, title in [
            (article, article.title),
            (entity, entity.name),
            (event, event.title),
            (claim, claim.statement),
        ]:
            stored.titles[obj.get_absolute_url()] = title
        stored.sources[article.get_absolute_url()] = [article.title, article.summary, article.body]
        stored.sources[entity.get_absolute_url()] = [entity.name, entity.description]
        stored.sources[event.get_absolute_url()] = [event.title, event.description]
        stored.sources[claim.get_absolute_url()] = [
            claim.statement,
            claim.quote,
            claim.verification_reason,
        ]
    # The tag as a prefix finds every vector's rows, page by page.
    for query in search_pages(TAG):
        pages.append(("search", f"/search/?{query}", 200))
        js.append(("search JSON", f"/search/?{query}&format=json"))
    stored.csv.append(("search CSV", f"/search/?q={TAG}&format=csv"))
    stored.feeds += [
        ("articles feed", "/feeds/articles/"),
        ("events feed", "/feeds/events/"),
        ("search feed", f"/feeds/search/?q={TAG}"),
    ]
    stored.xml.append(("sitemap", "/sitemap.xml"))
    # Values in the query string come back in the filter forms and their messages.
    for key in REFLECTED:
        text = next(v.text for v in VECTORS if v.key == key)
        for label, path, names in [
            ("article list, filtered", "/articles/", ["source", "year", "language", "role"]),
            ("entity list, filtered", "/entities/", ["kind", "page"]),
            ("timeline, filtered", "/events/", ["entity", "kind", "year"]),
            ("claim list, filtered", "/claims/", ["kind", "verification", "entity"]),
            ("search, filtered", "/search/", ["q", "kind", "entity", "sort", "date_from"]),
        ]:
            query = urlencode({name: text for name in names})
            pages.append((label, f"{path}?{query}", 200))
            js.append((f"{label} JSON", f"{path}?{query}&format=json"))


def _admin_paths(stored: Stored, rows, user) -> None:
    """The admin pages a chief editor sees the vectors on.

    In Chromium: the index, every change list page by page (each also searched
    for a vector), and for each vector its claim's and its article's change
    forms and one more of its pages, in turn. As raw HTML: for each vector its
    entity's, event's and outlet's change forms, one of its links' change form,
    and one of its rows' history, version, comparison and deletion pages, each
    for another model in turn. So each vector is on every kind of admin page,
    and each model on each kind, without some 4,000 page loads.
    """

    add = stored.admin_pages.append
    add(("admin index", reverse("admin:index")))
    visible = {
        model: model_admin
        for model, model_admin in admin_site._registry.items()
        if user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    }

    def url(obj, view, *args):
        opts = obj._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])

    searched = 0
    for model, model_admin in visible.items():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        count = model._default_manager.count()
        for page in range(1, -(-count // model_admin.list_per_page) + 1):
            add((f"{opts.verbose_name} list", f"{changelist}?p={page}"))
        if model_admin.search_fields:
            # The search box and "N results" carry the query back: one vector a list.
            key = REFLECTED[searched % len(REFLECTED)]
            text = next(v.text for v in VECTORS if v.key == key)
            add((f"{opts.verbose_name} list, searched", f"{changelist}?{urlencode({'q': text})}"))
            searched += 1
        for field_name in getattr(model_admin, "autocomplete_fields", ()):
            query = urlencode(
                {
                    "term": TAG,
                    "app_label": opts.app_label,
                    "model_name": opts.model_name,
                    "field_name": field_name,
                }
            )
            stored.admin_json.append(("autocomplete", f"{reverse('admin:autocomplete')}?{query}"))

    parents = {kind.model for kind in registry.kinds()}
    for i, row in enumerate(rows):
        shown = [obj for obj in row.values() if type(obj) in visible]
        links = [obj for obj in shown if type(obj) not in parents]
        versioned = [obj for obj in shown if isinstance(visible[type(obj)], VersionAdmin)]
        # The claim's form draws the most autocomplete labels (select2, in the browser);
        # the article's has the admin's own read-only fields. Both in Chromium every time.
        add(("claim change form", url(row["claim"], "change")))
        add(("article change form", url(row["article"], "change")))
        others = [
            (f"{row[key]._meta.verbose_name} change form", url(row[key], "change"))
            for key in ("entity", "event", "source")
        ]
        link = links[i % len(links)]
        others.append((f"{link._meta.verbose_name} change form", url(link, "change")))
        for j, view in enumerate(["history", "revision", "compare", "delete"]):
            obj = versioned[(i + 4 * j) % len(versioned)]
            label = f"{obj._meta.verbose_name} {view}"
            if view in ("history", "delete"):
                others.append((label, url(obj, view)))
                continue
            version = Version.objects.get_for_object(obj).first()
            if view == "revision":
                others.append((label, url(obj, "revision", version.pk)))
            else:
                others.append((label, f"{url(obj, 'history')}{version.pk}/compare/"))
        # One of the others in Chromium too, in turn; all of them as raw HTML.
        add(others[i % len(others)])
        stored.admin_raw += others
    stored.claim_change_path = url(rows[0]["claim"], "change")


def _remove(stored: Stored) -> None:
    """Delete every row the module made, newest first, and what the admin session left."""
    # Inside a revision, so that no "before deleting" snapshot is recorded (history.py).
    with transaction.atomic(), reversion.create_revision():
        for obj in reversed(stored.created):
            type(obj)._default_manager.filter(pk=obj.pk).delete()
    Revision.objects.filter(pk__in=stored.revisions).delete()
    Session.objects.filter(session_key=stored.session_key).delete()
    # django-axes logs every sign-in, force_login's included.
    user = get_user_model().objects.filter(pk=stored.user_pk).first()
    if user is not None:
        AccessLog.objects.filter(username=user.get_username()).delete()
    get_user_model().objects.filter(pk=stored.user_pk).delete()
    Group.objects.filter(pk=stored.group_pk).delete()


def _row_counts() -> dict[str, int]:
    quote = connection.ops.quote_name
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(f"SELECT %s, count(*) FROM {quote(t)}" for t in tables), tables
        )
        return dict(cursor.fetchall())


@pytest.fixture(scope="module")
def payloads(story, live_server, django_db_blocker):
    with django_db_blocker.unblock():
        before = _outside_event_loop(_row_counts)
        stored = Stored()
        try:
            _outside_event_loop(lambda: _store(stored))
        except BaseException:
            _outside_event_loop(lambda: _remove(stored))
            raise
    yield stored
    with django_db_blocker.unblock():
        _outside_event_loop(lambda: _remove(stored))
        after = _outside_event_loop(_row_counts)
    changed = {t: (before.get(t), n) for t, n in after.items() if before.get(t) != n}
    assert not changed, f"the suite left rows behind (table: before, after): {changed}"


# Live markup in a raw body -------------------------------------------------------------

URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "background", "poster", "codebase",
    "cite", "lowsrc", "dynsrc", "ping",
}  # fmt: skip
FRAMES = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
JSON_TYPES = {"application/ld+json", "application/json"}
CSS_CODE = re.compile(r"expression\s*\(|javascript:|url\s*\(|@import", re.IGNORECASE)
# The keys of the JSON twins and of JSON-LD whose values are links.
URL_KEYS = {
    "url", "website", "homepage", "original_url", "raw_url", "original_file_url", "article",
    "quote_url", "next", "sameAs", "isBasedOn",
}  # fmt: skip


def _scheme(value: str) -> str:
    """A URL's scheme as a browser reads it: tabs and newlines dropped, ends stripped."""
    value = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21))))
    found = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", value)
    return found.group(1).lower() if found else ""


def _dangerous_url(tag: str, value: str) -> bool:
    scheme = _scheme(value)
    if scheme == "data":
        return not (tag == "img" and re.match(r"\s*data:image/", value, re.IGNORECASE))
    return scheme in ("javascript", "vbscript")


def _links_in(data, key=None):
    """Every string under a URL key of a JSON document."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _links_in(v, k)
    elif isinstance(data, list):
        for v in data:
            yield from _links_in(v, key)
    elif isinstance(data, str) and key in URL_KEYS:
        yield key, data


def _bad_links(data) -> list[str]:
    return [
        f"{key} is not an http(s) link: {value!r}"
        for key, value in _links_in(data)
        if value and _scheme(value) not in ("http", "https") and not value.startswith("/")
    ]


class LiveMarkup(HTMLParser):
    """What in an HTML document a browser would run: handlers, scripts, frames, bad URLs.

    The site itself has no inline script, handler or frame (its policy forbids them),
    so any there is a payload's. Attribute values arrive here entity-decoded, as a
    browser reads them.
    """

    def __init__(self, origin: str):
        super().__init__(convert_charrefs=True)
        self.origin = origin
        self.found: list[str] = []
        self.open: dict[str, list[str] | None] = {"script": None, "style": None, "mark": None}
        self.script_type = ""
        self.mark_attributes = False

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs)
        if tag in self.open:
            self.open[tag] = []
        if tag == "mark":
            # The reader marks a claim's quote (<mark class="quote">); search's marks are bare.
            self.mark_attributes = bool(attrs)

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)

    def _say(self, tag, what):
        self.found.append(f"<{tag}> {what}"[:400])

    def _element(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        for name, value in attributes.items():
            url = name in URL_ATTRIBUTES or name.endswith(":href")
            if name.startswith("on") or (url and _dangerous_url(tag, value)):
                self._say(tag, f"{name}={value!r}")
            elif name == "style" and CSS_CODE.search(value):
                self._say(tag, f"style={value!r}")
            elif name == "srcdoc":
                self._say(tag, f"srcdoc={value!r}")
        if tag in FRAMES:
            self._say(tag, f"element {attributes}")
        if tag == "meta" and "refresh" in attributes.get("http-equiv", "").lower():
            self._say(tag, f"refresh {attributes}")
        if tag == "script":
            self.script_type = attributes.get("type", "").strip().lower()
            src = attributes.get("src")
            if src is not None:
                if not (src.startswith("/") and not src.startswith("//")) and not src.startswith(
                    self.origin + "/"
                ):
                    self._say(tag, f"script from elsewhere: src={src!r}")
            elif self.script_type not in JSON_TYPES:
                self.script_type = "inline"

    def handle_data(self, data):
        for parts in self.open.values():
            if parts is not None:
                parts.append(data)

    def handle_endtag(self, tag):
        parts = self.open.get(tag)
        if parts is None:
            return
        self.open[tag] = None
        text = "".join(parts)
        if tag == "script" and self.script_type == "inline":
            self._say(tag, f"inline script: {text[:200]!r}")
        elif tag == "script" and self.script_type in JSON_TYPES:
            try:
                data = json.loads(text)
            except ValueError:
                self._say(tag, f"a JSON data block that does not parse: {text[:200]!r}")
            else:
                for problem in _bad_links(data):
                    self._say(tag, f"JSON-LD {problem}")
        elif tag == "style" and (CSS_CODE.search(text) or "alert(" in text):
            self._say(tag, f"style sheet: {text[:200]!r}")
        elif tag == "mark" and not self.mark_attributes and re.search(r"forged\d", text):
            self._say(tag, f"a highlight the search did not make: {text!r}")


def live_markup(body: str, origin: str) -> list[str]:
    parser = LiveMarkup(origin)
    parser.feed(body)
    parser.close()
    # Tags the parser never closed (a payload's "<style>" or "<mark>" left open) count too.
    for tag in ("script", "style", "mark"):
        if parser.open[tag] is not None:
            parser.handle_endtag(tag)
    return parser.found


def unescaped_vectors(body: str) -> list[str]:
    """Vectors found in an HTML body exactly as stored: their markup was not escaped."""
    return [
        f"the vector appears unescaped: {v.text[:120]!r}"
        for v in VECTORS
        if "<" in v.text and v.text in body
    ]


# Live markup in the DOM ----------------------------------------------------------------

# What a payload made live in the rendered DOM, after the page's own events have run.
DOM_CHECK = """async ([origin, urlAttributes, frames, jsonTypes]) => {
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  const found = [];
  const say = (el, what) => found.push(`<${el.localName}> ${what}`.slice(0, 400));
  const scheme = (value) => {
    try { return new URL(value, location.href).protocol.slice(0, -1).toLowerCase(); }
    catch (e) { return ""; }
  };
  const dangerous = (tag, value) => {
    const s = scheme(value);
    if (s === "data") return !(tag === "img" && /^\\s*data:image\\//i.test(value));
    return s === "javascript" || s === "vbscript";
  };
  const css = /expression\\s*\\(|javascript:|url\\s*\\(|@import/i;
  const visit = (root) => {
    for (const el of root.querySelectorAll("*")) {
      const tag = el.localName;
      for (const { name, value } of Array.from(el.attributes)) {
        const n = name.toLowerCase();
        if (n.startsWith("on")) say(el, `${n}=${JSON.stringify(value)}`);
        else if ((urlAttributes.includes(n) || n.endsWith(":href")) && dangerous(tag, value))
          say(el, `${n}=${JSON.stringify(value)}`);
        else if (n === "style" && css.test(value)) say(el, `style=${JSON.stringify(value)}`);
        else if (n === "srcdoc") say(el, `srcdoc=${JSON.stringify(value)}`);
      }
      if (frames.includes(tag)) say(el, "element " + el.outerHTML.slice(0, 200));
      if (tag === "meta" && /refresh/i.test(el.getAttribute("http-equiv") || ""))
        say(el, "refresh " + el.outerHTML);
      if (tag === "script") {
        const type = (el.getAttribute("type") || "").trim().toLowerCase();
        if (el.hasAttribute("src")) {
          let from = "";
          try { from = new URL(el.src).origin; } catch (e) {}
          if (from !== origin) say(el, "script from elsewhere: src=" + el.getAttribute("src"));
        } else if (!jsonTypes.includes(type)) {
          say(el, "inline script: " + JSON.stringify(el.textContent.slice(0, 200)));
        } else {
          try { JSON.parse(el.textContent); }
          catch (e) { say(el, "a JSON data block that does not parse"); }
        }
      }
      if (tag === "style" && (css.test(el.textContent) || el.textContent.includes("alert(")))
        say(el, "style sheet: " + el.textContent.slice(0, 200));
      if (tag === "mark" && !el.attributes.length && /forged\\d/.test(el.textContent))
        say(el, "a highlight the search did not make: " + el.textContent);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(document);
  return found;
}"""


@dataclass(frozen=True)
class Finding:
    label: str  # the kind of page
    path: str
    what: str

    def line(self) -> str:
        return f"{self.label}: {self.path[:90]} — {self.what[:220]} [{_named(self.what)}]"


def report(findings: list[Finding], what: str, name: str) -> str:
    """Every finding, summed up by kind of page and by vector, then listed.

    The whole list also goes to test-artifacts/xss/<name>.txt.
    """
    by_label = Counter(f.label for f in findings)
    by_vector = Counter(v for f in findings for v in _named(f.what).split(", "))
    pages = {f.path for f in findings}
    lines = sorted({f.line() for f in findings})
    summary = [
        f"{len(findings)} {what} on {len(pages)} pages",
        "by kind of page: " + ", ".join(f"{k} {n}" for k, n in by_label.most_common()),
        "by vector: " + ", ".join(f"{k} {n}" for k, n in by_vector.most_common()),
    ]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.txt").write_text("\n".join(summary + lines) + "\n")
    shown = lines[:100] + ([f"... and {len(lines) - 100} more"] if len(lines) > 100 else [])
    return "\n".join(summary + shown + [f"(all of them in {ARTIFACTS / name}.txt)"])


class Reader:
    """One Playwright page reading the live site, every dialog and live payload recorded."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.dialogs: list[str] = []
        page.on("dialog", self._dialog)
        page.set_default_timeout(15_000)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"a dialog opened: {dialog.type}({dialog.message})")
        dialog.dismiss()

    def live(self) -> list[str]:
        """The dialogs since the last call, and what the DOM holds live now."""
        dom = self.page.evaluate(
            DOM_CHECK, [self.base_url, sorted(URL_ATTRIBUTES), sorted(FRAMES), sorted(JSON_TYPES)]
        )
        dialogs, self.dialogs = self.dialogs, []
        return dialogs + dom

    def open(self, path: str):
        """The page in Chromium: its response (status, headers, raw body) and what ran."""
        response = self.page.goto(self.base_url + path, wait_until="load")
        return response, self.live()

    def fetch(self, path: str):
        """The raw response only, as a script or a feed reader gets it."""
        return self.page.request.get(self.base_url + path, max_redirects=0)

    def show(self, markup: str) -> list[str]:
        """Markup shown as a feed reader shows it: inserted as HTML, with no policy."""
        self.page.set_content(markup, wait_until="load")
        return self.live()


@pytest.fixture(scope="module")
def reader_context(browser, browser_context_args, base_url):
    # bypass_csp: the policy would stop an injected script; the suite tests what is behind it.
    context = browser.new_context(**browser_context_args, bypass_csp=True)
    yield context
    context.close()


@pytest.fixture(scope="module")
def reader(reader_context, base_url, payloads) -> Reader:
    return Reader(reader_context.new_page(), base_url)


# Reading everything --------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _type(headers) -> str:
    return headers.get("content-type", "").split(";")[0].strip().lower()


def _headers(label, path, response, expected_type) -> list[Finding]:
    """The status, the media type and nosniff: a browser must never guess HTML."""
    found = []
    if _type(response.headers) != expected_type:
        found.append(Finding(label, path, f"served as {_type(response.headers)!r}"))
    if response.headers.get("x-content-type-options") != "nosniff":
        found.append(Finding(label, path, "sent without X-Content-Type-Options: nosniff"))
    return found


def json_problems(data) -> list[str]:
    """Live markup in a JSON document's HTML values, and links that are not http(s)."""
    problems = _bad_links(data)

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key.endswith("_html"):
            problems.extend(f"{key}: {p}" for p in live_markup(value, ""))

    walk(data)
    return problems


@dataclass
class Visits:
    ran: list = field(default_factory=list)  # what Chromium ran or held live
    raw: list = field(default_factory=list)  # live markup or bad links in the raw bodies
    broken: list = field(default_factory=list)  # answers that could not be checked
    bodies: dict = field(default_factory=dict)  # path -> the raw body, for later checks


@pytest.fixture(scope="module")
def public_visits(reader, payloads, base_url, django_db_blocker) -> Visits:
    """Every public page in Chromium, as an anonymous reader; JSON twins, raw captures,
    original files and the sitemap as the raw answers a script gets."""
    # The live server reaches the database only while a test (or this) unblocks it.
    with django_db_blocker.unblock():
        return _visit_public(reader, payloads, base_url)


def _visit_public(reader, payloads, base_url) -> Visits:
    visits = Visits()
    for label, path, status in payloads.pages:
        response, live = reader.open(path)
        visits.ran += [Finding(label, path, what) for what in live]
        if response.status != status:
            visits.broken.append(Finding(label, path, f"answered {response.status}, not {status}"))
        body = response.text()
        visits.raw += _headers(label, path, response, "text/html")
        visits.raw += [
            Finding(label, path, what)
            for what in live_markup(body, base_url) + unescaped_vectors(body)
        ]
    for label, path in payloads.json:
        response = reader.fetch(path)
        visits.raw += _headers(label, path, response, "application/json")
        if response.status != 200:
            visits.broken.append(Finding(label, path, f"answered {response.status}"))
            continue
        try:
            data = json.loads(response.text())
        except ValueError:
            visits.broken.append(Finding(label, path, f"answered {response.status}, not JSON"))
            continue
        visits.bodies[path] = data
        visits.raw += [Finding(label, path, what) for what in json_problems(data)]
    for label, path in payloads.texts:
        response = reader.fetch(path)
        visits.raw += _headers(label, path, response, "text/plain")
        if response.status != 200:
            visits.broken.append(Finding(label, path, f"answered {response.status}"))
    for label, path in payloads.downloads:
        response = reader.fetch(path)
        disposition = response.headers.get("content-disposition", "")
        policy = response.headers.get("content-security-policy", "")
        if response.status != 200:
            visits.broken.append(Finding(label, path, f"answered {response.status}"))
        elif not disposition.startswith("attachment") or "sandbox" not in policy:
            visits.raw.append(Finding(label, path, f"not a sandboxed download: {disposition!r}"))
    for label, path in payloads.xml:
        response = reader.fetch(path)
        try:
            root = ElementTree.fromstring(response.body())
        except ElementTree.ParseError as error:
            visits.broken.append(Finding(label, path, f"answered {response.status}: {error}"))
            continue
        for loc in root.iter(f"{SITEMAP}loc"):
            if _scheme(loc.text or "") not in ("http", "https"):
                visits.raw.append(
                    Finding(label, path, f"a location that is not http(s): {loc.text}")
                )
    return visits


@dataclass(frozen=True)
class FeedEntry:
    title: str
    kind: str  # what the summary is: "html", "xhtml" or "text"
    text: str
    link: str


def _feed_markup(entries: list[FeedEntry]) -> str:
    """The entries as a feed reader shows them: titles as text, summaries as their type says."""
    shown = []
    for entry in entries:
        body = entry.text if entry.kind in ("html", "xhtml") else html.escape(entry.text)
        shown.append(f"<article><h2>{html.escape(entry.title)}</h2><div>{body}</div></article>")
    return "<!doctype html><meta charset=utf-8><title>feed</title><body>" + "".join(shown)


@pytest.fixture(scope="module")
def feed_visits(reader, payloads, django_db_blocker) -> Visits:
    """Every feed: its raw XML, then its entries shown by a reader that runs no policy."""
    with django_db_blocker.unblock():
        return _visit_feeds(reader, payloads)


def _visit_feeds(reader, payloads) -> Visits:
    visits = Visits()
    for label, path in payloads.feeds:
        response = reader.fetch(path)
        if response.status != 200:
            visits.broken.append(Finding(label, path, f"answered {response.status}"))
            continue
        visits.raw += _headers(label, path, response, "application/atom+xml")
        try:
            root = ElementTree.fromstring(response.body())
        except ElementTree.ParseError as error:
            visits.broken.append(Finding(label, path, f"is not well-formed XML: {error}"))
            continue
        entries = []
        for entry in root.iter(f"{ATOM}entry"):
            title = entry.findtext(f"{ATOM}title") or ""
            links = [link.get("href", "") for link in entry.iter(f"{ATOM}link")]
            for href in links:
                if _scheme(href) not in ("http", "https"):
                    visits.raw.append(Finding(label, path, f"an entry link {href!r}"))
            for name in ("summary", "content"):
                element = entry.find(f"{ATOM}{name}")
                if element is None:
                    continue
                kind = element.get("type", "text")
                if kind == "xhtml":  # markup as child elements, not escaped text
                    text = "".join(ElementTree.tostring(e, encoding="unicode") for e in element)
                else:
                    text = element.text or ""
                entries.append(FeedEntry(title, kind, text, links[0] if links else ""))
                if kind in ("html", "xhtml"):
                    visits.raw += [
                        Finding(label, path, f"{name} of “{title[:60]}”: {what}")
                        for what in live_markup(text, "")
                    ]
        visits.bodies[path] = entries
        visits.ran += [
            Finding(label, path, f"in the reader: {what}")
            for what in reader.show(_feed_markup(entries))
        ]
    return visits


# The tests -----------------------------------------------------------------------------


def test_every_public_field_holds_every_vector(payloads):
    """The suite itself: 30 vectors or more, in every text and URL field of every public model.

    A URL field may refuse a vector (a validator or a check constraint): that is the
    safe outcome, and an http(s) URL carrying the same breakout is stored instead.
    """

    assert len(VECTORS) >= 30
    given = set(payloads.rows_made)
    assert payloads.public_models <= given, (
        f"public models without vectors: {sorted(payloads.public_models - given)}"
    )
    gaps = []
    for label in sorted(given):
        model = apps.get_model(label)
        for f in public_text_fields(model):
            outcomes = payloads.coverage[label, f.name]
            # A URL field's refusals are followed by an https-shaped attempt: not counted.
            tried = sum(n for o, n in outcomes.items() if not o.endswith(": refused"))
            if tried < max(len(VECTORS), payloads.rows_made[label]):
                gaps.append(f"{label}.{f.name} was given {tried} vectors: {dict(outcomes)}")
            refused = outcomes.get("refused", 0)
            # Text is refused only by a check constraint (a Wikidata ID is Q and digits).
            if refused and f.name not in _checked_fields(model):
                gaps.append(f"{label}.{f.name} refused {refused} vectors")
    assert not gaps, "fields that do not hold every vector:\n" + "\n".join(gaps)


def test_public_pages_run_no_payload(public_visits):
    """Chromium, policy bypassed: no dialog, no live handler, script or bad URL in the DOM."""
    findings = public_visits.ran + public_visits.broken
    assert not findings, report(findings, "payloads ran or were live", "public-pages-ran")


def test_public_pages_carry_no_live_markup(public_visits):
    """The raw HTML, JSON, text, sitemap and original files, as served."""
    findings = public_visits.raw + public_visits.broken
    assert not findings, report(findings, "live payloads in raw bodies", "public-raw")


def test_feeds_carry_sanitized_html(feed_visits):
    """Atom summaries are HTML to a feed reader: sanitized like the pages, or plain text."""
    findings = feed_visits.raw + feed_visits.broken
    assert not findings, report(findings, "live payloads in feeds", "feeds-raw")


def test_feed_reader_without_a_policy_runs_no_payload(feed_visits):
    findings = feed_visits.ran + feed_visits.broken
    assert not findings, report(findings, "payloads ran in a feed reader", "feed-reader-ran")


# OWASP's CSV injection guidance: a cell starting with one of these is read as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def test_csv_exports_carry_no_formula(reader, payloads):
    findings = []
    for label, path in payloads.csv:
        response = reader.fetch(path)
        if response.status != 200:
            findings.append(Finding(label, path, f"answered {response.status}"))
            continue
        findings += _headers(label, path, response, "text/csv")
        if not response.headers.get("content-disposition", "").startswith("attachment"):
            findings.append(Finding(label, path, "not sent as a download"))
        rows = list(csv.reader(io.StringIO(response.text())))
        for row in rows[1:]:
            for cell in row:
                if cell.startswith(FORMULA_START):
                    findings.append(Finding(label, path, f"a formula cell: {cell[:80]!r}"))
            if len(row) > 2 and _scheme(row[2]) not in ("http", "https"):
                findings.append(Finding(label, path, f"a url that is not http(s): {row[2]!r}"))
    assert not findings, report(findings, "unsafe CSV cells", "csv-formulas")


ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)


def _introduced_entities(text: str, sources: list[str]) -> list[str]:
    """HTML entities in `text` that none of the stored texts it was made from has."""
    return sorted({e for e in ENTITY.findall(text) if not any(e in s for s in sources)})


def test_json_csv_and_feed_titles_carry_plain_text(reader, payloads, public_visits, feed_visits):
    """Researchers' scripts get the text as stored: ' and " and &, never &#x27; or &amp;."""
    findings = []

    def check(label, path, url, title, snippet, *, as_exported=lambda text: text):
        where = urlsplit(url).path
        if where not in payloads.titles:
            return
        # The stored text as each format is meant to carry it: the highlight markers
        # removed (they cannot be forged), and the format's own safety applied.
        expected = as_exported(payloads.titles[where].replace("\ue000", "").replace("\ue001", ""))
        if title is not None and title != expected:
            findings.append(Finding(label, path, f"title {title[:100]!r} for {expected[:100]!r}"))
        introduced = _introduced_entities(snippet or "", payloads.sources[where])
        if introduced:
            findings.append(Finding(label, path, f"entities {introduced} in {snippet[:100]!r}"))

    for path, data in public_visits.bodies.items():
        if not path.startswith("/search/"):
            continue
        for hit in data.get("results", []):
            check("search JSON", path, hit["url"], hit["title"], hit["snippet"])
    for label, path in payloads.csv:
        response = reader.fetch(path)
        for row in list(csv.DictReader(io.StringIO(response.text()))):
            check(
                label,
                path,
                row["url"],
                row["title"],
                row["snippet"],
                as_exported=spreadsheet_safe,
            )
    for label, path in payloads.feeds:
        if not path.startswith("/feeds/search/"):
            continue
        for entry in feed_visits.bodies.get(path, []):
            # "Article: <its title>"
            check(
                label, path, entry.link, entry.title.split(": ", 1)[-1], None, as_exported=xml_safe
            )
    assert not findings, report(findings, "HTML entities in plain-text exports", "plain-text")


# The admin, as a chief editor ------------------------------------------------------------


@pytest.fixture(scope="module")
def admin_visits(browser, browser_context_args, base_url, payloads, django_db_blocker) -> Visits:
    """Every admin page that shows the vectors, and the autocomplete dropdowns, in Chromium."""
    with django_db_blocker.unblock():
        return _visit_admin(browser, browser_context_args, base_url, payloads)


def _visit_admin(browser, browser_context_args, base_url, payloads) -> Visits:

    context = browser.new_context(**browser_context_args, bypass_csp=True)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": payloads.session_key, "url": base_url}]
    )
    editor = Reader(context.new_page(), base_url)
    visits = Visits()
    for label, path in payloads.admin_pages:
        response, live = editor.open(path)
        visits.ran += [Finding(label, path, what) for what in live]
        if response.status != 200 or urlsplit(response.url).path != urlsplit(path).path:
            visits.broken.append(
                Finding(label, path, f"answered {response.status} at {response.url}")
            )
            continue
        body = response.text()
        visits.raw += _headers(label, path, response, "text/html")
        visits.raw += [
            Finding(label, path, what)
            for what in live_markup(body, base_url) + unescaped_vectors(body)
        ]
    for label, path in payloads.admin_raw:
        response = editor.fetch(path)
        if response.status != 200:
            visits.broken.append(Finding(label, path, f"answered {response.status}"))
            continue
        body = response.text()
        visits.raw += _headers(label, path, response, "text/html")
        visits.raw += [
            Finding(label, path, what)
            for what in live_markup(body, base_url) + unescaped_vectors(body)
        ]
    for label, path in payloads.admin_json:
        response = editor.fetch(path)
        visits.raw += _headers(label, path, response, "application/json")
        try:
            visits.raw += [Finding(label, path, p) for p in json_problems(response.json())]
        except ValueError:
            visits.broken.append(Finding(label, path, f"answered {response.status}, not JSON"))
    # The autocomplete dropdowns draw the names the endpoint sends (select2, in the page).
    page = editor.page
    editor.open(payloads.claim_change_path)
    for name in ("claimant", "article"):
        label, path = f"claim {name} dropdown", payloads.claim_change_path
        page.locator(f"#id_{name} + .select2").click()
        page.locator(".select2-search__field").fill(TAG)
        options = page.locator(".select2-results__option:not(.loading-results)")
        options.first.wait_for()
        if options.count() < 2:
            visits.broken.append(Finding(label, path, "the dropdown found fewer than two rows"))
        visits.ran += [Finding(label, path, what) for what in editor.live()]
        page.keyboard.press("Escape")
    context.close()
    return visits


def test_admin_pages_run_no_payload(admin_visits):
    """Index, change lists, change forms, deletion, history, version and compare pages."""
    findings = admin_visits.ran + admin_visits.broken
    assert not findings, report(findings, "payloads ran or were live in the admin", "admin-ran")


def test_admin_pages_carry_no_live_markup(admin_visits):
    findings = admin_visits.raw + admin_visits.broken
    assert not findings, report(findings, "live payloads in the admin's raw bodies", "admin-raw")
