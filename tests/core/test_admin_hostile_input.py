"""Hostile values posted to every admin form, and sent to the autocomplete: never a 500.

Logged in as a superuser, so every field of every form is there to attack.
Each form is fetched as a browser would, then posted back with Hypothesis's
choice of fields replaced by control characters, NUL, lone surrogates (as
percent-encoded bytes: as far as HTTP carries them), huge strings, odd
Unicode, malformed numbers and dates, or left out altogether. A 200 with the
form's errors, a redirect, or a clear 4xx is fine; an exception is not (the
test client raises what the view raised).
"""

from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aiwatch.core.admin import ContentAdmin
from articles.models import Original, Republication
from entities.models import (
    ClaimAppearance,
    ClaimEntity,
    ClaimRelation,
    EventSource,
    Mention,
    Participation,
)
from tests.admin_forms import form_values
from tests.factories import AliasFactory, ArticleFactory, ClaimFactory, EventFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Bounded: every form gets this many attacks whatever the Hypothesis profile says.
HOSTILE_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # what one attack saves, the next may meet
    ],
)
ACCEPTABLE = {200, 302, 400, 403, 404}

MODELS = [m for m in apps.get_models() if admin.site.is_registered(m)]

_TRICKY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x0b",
    "\x1b[31m",
    "\x7f",
    "\ufffe\uffff",
    "\ud800",
    "\udfff\ud800",
    "\u202eevil",
    "e\u0301\u0301\u0301",
    "商汤科技",
    "😀" * 50,
    "x" * 20_000,
    "商" * 5_000,
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "-inf",
    "99999999999999999999999999",
    "٣",
    "0x10",
    " 7 ",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "2024-13-01",
    "24/7/9",
    "1-1-1",
    "T",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "on",
    "true",
    "[]",
    "{}",
]
HOSTILE_TEXT = st.one_of(
    st.sampled_from(_TRICKY),
    st.text(max_size=40),
    # Every code point, control characters and surrogates included.
    st.text(st.characters(codec=None, exclude_categories=()), max_size=40),
)
# A field's values: one, or several where one is expected.
HOSTILE_VALUES = st.one_of(
    HOSTILE_TEXT.map(lambda text: [text]), st.lists(HOSTILE_TEXT, min_size=2, max_size=3)
)
KEEP, DROP = object(), object()
HOSTILE_CHANGE = st.one_of(st.just(KEEP), st.just(DROP), HOSTILE_VALUES)
# Tried on every form on top of what Hypothesis draws: each in every field at once.
EVERYWHERE = [
    DROP,
    ["\x00"],
    ["a\x00b"],
    ["\x0b\x01"],
    ["\ud800"],
    ["x" * 20_000],
    ["-1"],
    ["2024-02-30"],
]


def _everywhere(names):
    """Explicit examples that put each EVERYWHERE value in all of `names`."""

    def decorate(test):
        for value in EVERYWHERE:
            test = example(dict.fromkeys(names, value), {})(test)
        return test

    return decorate


def _encoded(values: dict[str, list[str]]) -> bytes:
    # surrogatepass: a lone surrogate goes as the bytes it would be, which Django must
    # decode as invalid UTF-8; the test client itself would refuse to encode it.
    pairs = [(k, v) for k, vs in values.items() for v in vs]
    return urlencode(pairs, encoding="utf-8", errors="surrogatepass").encode("ascii")


def _post(client, url, values):
    return client.post(url, _encoded(values), content_type="application/x-www-form-urlencoded")


def _attacked(base: dict[str, list[str]], changes: dict, extra: dict) -> dict[str, list[str]]:
    values = {}
    for name, current in base.items():
        change = changes.get(name, KEEP)
        if change is KEEP:
            values[name] = current
        elif change is not DROP:
            values[name] = change
    for name, value in extra.items():
        values.setdefault(name, value)
    return values


@pytest.fixture
def everything(editor):
    """One row of every model, and a second user, so every change form has an object."""
    claim = ClaimFactory()
    other = ClaimFactory(article=claim.article)
    AliasFactory(entity=claim.claimant)
    event = EventFactory()
    EventSource.objects.create(event=event, article=claim.article)
    Participation.objects.create(event=event, entity=claim.claimant, role="responded")
    Mention.objects.create(article=claim.article, entity=claim.claimant)
    ClaimEntity.objects.create(claim=claim, entity=claim.claimant)
    claim.event_links.create(event=event)
    ClaimRelation.objects.create(source=claim, target=other, kind="supports")
    Original.objects.create(article=claim.article, content=b"<p>page</p>", media_type="text/html")
    copy = ArticleFactory()
    Republication.objects.create(copy=copy, original=claim.article, similarity=0.8)
    ClaimAppearance.objects.create(claim=claim, article=copy, quote="OpenAI will block")
    get_user_model().objects.create_user(username="someone", password="x", is_staff=True)
    Group.objects.get_or_create(name="Readers")
    AccessAttempt.objects.create(
        username="someone", ip_address="203.0.113.9", user_agent="test", failures_since_start=5
    )
    return editor


def _form_url(model, view, signed_in):
    opts = model._meta
    if view == "add":
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    objects = model._default_manager.all()
    if model is get_user_model():
        # Never the signed-in user: a posted form without "superuser" would lock the test out.
        objects = objects.exclude(pk=signed_in.pk)
    obj = objects.first()
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize("view", ["add", "change"])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_admin_form_survives_hostile_values(client, everything, model, view):
    client.force_login(everything)
    url = _form_url(model, view, everything)
    page = client.get(url)
    if page.status_code == 403:
        pytest.skip(f"{model._meta.label} has no {view} form (read-only in the admin)")
    assert page.status_code == 200
    # Fetched once: after an attack that saved, the form's version is stale, and the save
    # is refused as a conflict only after every field has been cleaned.
    base = form_values(page.content)

    @HOSTILE_SETTINGS
    @_everywhere(base)
    @given(
        changes=st.fixed_dictionaries({}, optional=dict.fromkeys(sorted(base), HOSTILE_CHANGE)),
        extra=st.dictionaries(HOSTILE_TEXT, HOSTILE_VALUES),
    )
    def attack(changes, extra):
        response = _post(client, url, _attacked(base, changes, extra))
        assert response.status_code in ACCEPTABLE

    attack()


def test_the_import_page_survives_hostile_values(client, everything):
    client.force_login(everything)
    url = reverse("admin:articles_article_import")
    base = {**form_values(client.get(url).content), "preview": ["Preview"]}
    base.setdefault("text", ["OpenAI blocks its API in China\nJuly 9, 2024\n" + "Words. " * 30])

    @HOSTILE_SETTINGS
    @_everywhere([*base, "capture", "save"])
    @given(
        changes=st.fixed_dictionaries(
            {}, optional=dict.fromkeys([*base, "capture", "save"], HOSTILE_CHANGE)
        ),
        extra=st.dictionaries(HOSTILE_TEXT, HOSTILE_VALUES),
    )
    def attack(changes, extra):
        response = _post(client, url, _attacked(base, changes, extra))
        assert response.status_code in ACCEPTABLE

    attack()


def _autocompletes() -> list[tuple[str, str, str]]:
    """(app_label, model_name, field_name) of every autocomplete the admin's forms use."""
    found = set()
    for model in MODELS:
        model_admin = admin.site.get_model_admin(model)
        for owner in [model_admin, *model_admin.inlines]:
            opts = owner.model._meta
            for field in owner.autocomplete_fields:
                found.add((opts.app_label, opts.model_name, field))
    return sorted(found)


AUTOCOMPLETES = _autocompletes()


def test_every_autocomplete_is_exercised():
    assert len(AUTOCOMPLETES) >= 10


@HOSTILE_SETTINGS
@given(
    source=st.sampled_from(AUTOCOMPLETES),
    term=HOSTILE_TEXT,
    page=HOSTILE_TEXT,
    replaced=st.dictionaries(
        st.sampled_from(["app_label", "model_name", "field_name"]), HOSTILE_TEXT
    ),
)
@example(source=AUTOCOMPLETES[0], term="\x00", page="1", replaced={})
@example(source=AUTOCOMPLETES[0], term="a", page="\x00", replaced={"field_name": "\x00"})
def test_the_autocomplete_survives_hostile_values(admin_client, source, term, page, replaced):
    params = {
        "app_label": source[0],
        "model_name": source[1],
        "field_name": source[2],
        "term": term,
        "page": page,
        **replaced,
    }
    query = urlencode(params, encoding="utf-8", errors="surrogatepass")
    response = admin_client.get(f"/admin/autocomplete/?{query}")
    assert response.status_code in ACCEPTABLE


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_change_list_survives_hostile_parameters(client, everything, model):
    client.force_login(everything)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    model_admin = admin.site.get_model_admin(model)
    filters = [f[0] if isinstance(f, tuple) else f for f in model_admin.list_filter]
    names = ["q", "o", "p", "e", "all", "_to_field", "_popup"] + [
        f"{f}{lookup}"
        for f in filters
        if isinstance(f, str)
        for lookup in ("", "__exact", "__gte", "__lt", "__in", "__isnull")
    ]

    @HOSTILE_SETTINGS
    @example(dict.fromkeys(names, "not-a-value"))
    @given(params=st.dictionaries(st.one_of(st.sampled_from(names), HOSTILE_TEXT), HOSTILE_TEXT))
    def attack(params):
        query = urlencode(params, encoding="utf-8", errors="surrogatepass")
        assert client.get(f"{url}?{query}").status_code in ACCEPTABLE

    # A NUL in each parameter on its own: with several, the first refused can hide the rest.
    for name in names:
        attack = example({name: "\x00"})(attack)
    attack()


CONTENT_MODELS = [m for m in MODELS if isinstance(admin.site.get_model_admin(m), ContentAdmin)]


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m._meta.label)
def test_every_bulk_action_survives_a_hostile_selection(client, everything, model):
    client.force_login(everything)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    actions = [*(admin.site.get_model_admin(model).actions or []), "delete_selected"]

    @HOSTILE_SETTINGS
    @example(action="delete_selected", selected=["\x00"])
    @example(action="delete_selected", selected=["abc", "1"])
    @given(action=st.one_of(st.sampled_from(actions), HOSTILE_TEXT), selected=HOSTILE_VALUES)
    def attack(action, selected):
        values = {"action": [action], "_selected_action": selected, "index": ["0"]}
        assert _post(client, url, values).status_code in ACCEPTABLE

    attack()
