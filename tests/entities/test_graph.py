"""The curated graph (seeds/graph.toml) and its loader, entities.graph.load_graph.

The integrity tests run the real `seed` command against the test database and
check the product's core data; the loader tests use small TOML files of their own.
"""

import datetime
import textwrap

import pytest
from django.core.management import call_command
from django.db import transaction

from aiwatch.core.publishing import Status
from articles.models import Article
from entities.graph import GraphError, load_graph
from entities.models import (
    Alias,
    Claim,
    ClaimEntity,
    ClaimEvent,
    ClaimKind,
    ClaimRelation,
    DatePrecision,
    Entity,
    Event,
    EventSource,
    Mention,
    Participation,
)
from tests.factories import ArticleFactory, EntityFactory

pytestmark = pytest.mark.django_db

ARTICLE_1 = "openai-china-block-local-ai-boom"  # seeds/articles/000_…
ARTICLE_2 = "openai-blocks-chinese-users"  # seeds/articles/002_… (Tekedia)

GRAPH_MODELS = (
    Entity,
    Alias,
    Mention,
    Event,
    Participation,
    EventSource,
    Claim,
    ClaimEntity,
    ClaimEvent,
    ClaimRelation,
)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Article, *GRAPH_MODELS)}


@pytest.fixture(scope="class")
def seeded_once(django_db_setup, django_db_blocker):
    """The real seed, run once for a class of read-only tests and rolled back after it.

    Each test still runs in its own savepoint inside this transaction, as in
    Django's TestCase.setUpTestData, so a test cannot leak changes to the next.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed", verbosity=0)
        yield
        transaction.set_rollback(True)


# --- The seeded graph -------------------------------------------------------------


# (slug, kind, {alias: language}) for everything the two articles name. An
# empty dict: no Chinese name we are sure of, so none is recorded.
NAMED = [
    ("openai", "company", {}),
    ("huawei", "company", {"华为": "zh-Hans", "華為": "zh-Hant"}),
    ("sensetime", "company", {"商汤科技": "zh-Hans", "商湯科技": "zh-Hant", "商汤": "zh-Hans"}),
    ("baidu", "company", {"百度": "zh-Hans"}),
    ("zhipu-ai", "company", {"智谱AI": "zh-Hans", "智譜AI": "zh-Hant"}),
    ("01-ai", "company", {"零一万物": "zh-Hans", "零一萬物": "zh-Hant"}),
    ("meta", "company", {}),
    ("tekedia", "organization", {}),
    ("centre-for-safe-agi", "organization", {}),
    ("new-york-university", "organization", {"纽约大学": "zh-Hans", "紐約大學": "zh-Hant"}),
    ("xiaohu-zhu", "person", {}),
    ("winston-ma", "person", {}),
    ("us-government", "government", {"美国政府": "zh-Hans", "美國政府": "zh-Hant"}),
    ("china", "place", {"中国": "zh-Hans", "中國": "zh-Hant"}),
    ("hong-kong", "place", {"香港": "zh-Hans"}),
    ("united-states", "place", {"美国": "zh-Hans", "美國": "zh-Hant"}),
    ("beijing", "place", {"北京": "zh-Hans"}),
    ("shanghai", "place", {"上海": "zh-Hans"}),
    ("gpt-4o", "ai_model", {}),
    ("llama", "ai_model", {}),
]


# Mentioned although neither the name nor an alias appears: the articles say
# "the US" for what the US government did.
MENTIONED_BY_ANOTHER_NAME = {"us-government"}


@pytest.mark.usefixtures("seeded_once")
class TestSeededGraph:
    """Read-only checks of what the real `seed` command loads, seeded once for the class."""

    def test_seed_loads_enough_events_and_claims(self):
        assert Event.objects.count() >= 8
        assert Claim.objects.count() >= 15
        assert Article.objects.filter(slug__in=[ARTICLE_1, ARTICLE_2]).count() == 2

    def test_every_quote_is_verbatim_in_its_article_body(self):
        claims = Claim.objects.select_related("article")
        assert claims.exists()
        for claim in claims:
            assert claim.quote in claim.article.body, (
                f"claim {claim.slug!r}: quote not in the body of {claim.article.slug!r}: "
                f"{claim.quote!r}"
            )

    def test_every_quote_stays_within_one_paragraph(self):
        for claim in Claim.objects.select_related("article"):
            assert any(claim.quote in paragraph for paragraph in claim.article.paragraphs), (
                f"claim {claim.slug!r}: quote spans paragraphs: {claim.quote!r}"
            )

    def test_every_claim_has_claimant_kind_and_an_entity(self):
        for claim in Claim.objects.select_related("claimant"):
            assert claim.claimant_id, f"claim {claim.slug!r} has no claimant"
            assert claim.kind in ClaimKind.values, f"claim {claim.slug!r} has kind {claim.kind!r}"
            assert claim.entity_links.exists(), f"claim {claim.slug!r} is about no entity"

    def test_claims_cover_both_articles_and_every_kind(self):
        for slug in (ARTICLE_1, ARTICLE_2):
            kinds = set(Claim.objects.filter(article__slug=slug).values_list("kind", flat=True))
            assert len(kinds) >= 3, f"{slug}: claims of kinds {kinds} only"
        assert set(Claim.objects.values_list("kind", flat=True)) == set(ClaimKind.values)

    @pytest.mark.parametrize(
        ("claimant", "article"),
        [
            ("xiaohu-zhu", ARTICLE_2),
            ("winston-ma", ARTICLE_2),
            ("openai", ARTICLE_2),  # its assurance that the hacker had no government ties
            ("tekedia", ARTICLE_2),
            ("openai-china-block-author", ARTICLE_1),
        ],
    )
    def test_claimants_are_the_people_who_said_it(self, claimant, article):
        made = Claim.objects.filter(claimant__slug=claimant)
        assert made.exists(), f"{claimant} makes no claim"
        assert set(made.values_list("article__slug", flat=True)) == {article}

    def test_unnamed_author_is_a_person_said_to_be_unnamed(self):
        author = Entity.objects.get(slug="openai-china-block-author")
        assert author.kind == Entity.Kind.PERSON
        assert author.name.startswith("Unnamed author")
        assert "Fueling a Local AI Boom" in author.description
        assert "does not name the author or the outlet" in author.description
        assert Article.objects.get(slug=ARTICLE_1).source is None
        assert Article.objects.get(slug=ARTICLE_2).source.slug == "tekedia"

    @pytest.mark.parametrize(("slug", "kind", "aliases"), NAMED, ids=[n[0] for n in NAMED])
    def test_named_entities_exist_with_their_chinese_names(self, slug, kind, aliases):
        entity = Entity.objects.get(slug=slug)
        assert entity.kind == kind
        assert entity.status == Status.PUBLISHED
        recorded = dict(entity.aliases.values_list("name", "language"))
        for name, language in aliases.items():
            assert recorded.get(name) == language, f"{slug}: alias {name} ({language}) missing"

    def test_wikidata_ids_of_well_known_entities(self):
        expected = {
            "openai": "Q21708200",
            "china": "Q148",
            "hong-kong": "Q8646",
            "united-states": "Q30",
            "huawei": "Q160120",
            "baidu": "Q14772",
            "beijing": "Q956",
            "shanghai": "Q8686",
            "new-york-university": "Q49210",
            "meta": "Q380",
        }
        assert dict(Entity.objects.exclude(wikidata_id="").values_list("slug", "wikidata_id")) == (
            expected
        )

    def test_mentions_point_at_articles_that_name_the_entity(self):
        mentions = Mention.objects.select_related("entity", "article")
        assert mentions.count() >= 20
        for mention in mentions:
            if mention.entity.slug in MENTIONED_BY_ANOTHER_NAME:
                continue
            names = [mention.entity.name, *mention.entity.aliases.values_list("name", flat=True)]
            assert any(name in mention.article.body for name in names), (
                f"{mention.entity.slug} is recorded as mentioned in {mention.article.slug}, "
                f"which names it as none of {names}"
            )

    def test_each_article_mentions_its_key_entities(self):
        def mentioned(article):
            return set(
                Mention.objects.filter(article__slug=article).values_list("entity__slug", flat=True)
            )

        assert {"openai", "china", "hong-kong", "huawei", "sensetime", "01-ai", "meta", "llama",
                "gpt-4o", "beijing"} <= mentioned(ARTICLE_1)  # fmt: skip
        assert {"openai", "china", "sensetime", "baidu", "zhipu-ai", "xiaohu-zhu",
                "centre-for-safe-agi", "winston-ma", "new-york-university",
                "shanghai"} <= mentioned(ARTICLE_2)  # fmt: skip
        assert "hong-kong" not in mentioned(ARTICLE_2)  # Tekedia speaks of China only

    def test_relations_join_the_two_articles_both_agreeing_and_disagreeing(self):
        across = [
            relation
            for relation in ClaimRelation.objects.select_related(
                "source__article", "target__article"
            )
            if relation.source.article_id != relation.target.article_id
        ]
        kinds = {relation.kind for relation in across}
        assert len(across) >= 6
        assert kinds & {ClaimRelation.Kind.SUPPORTS, ClaimRelation.Kind.RESTATES}
        assert ClaimRelation.Kind.CONTRADICTS in kinds

    def test_innovation_claims_are_linked_as_the_brief_describes(self):
        def related(source, target, kind):
            return ClaimRelation.objects.filter(
                source__slug=source, target__slug=target, kind=kind
            ).exists()

        # "catalyst for the growth of domestic AI" agrees with "light a fire under local innovation"
        assert related(
            "setback-may-become-catalyst", "restrictions-spur-local-innovation", "supports"
        )
        # "significant challenges" disagrees with "the push China and Hong Kong need"
        assert related(
            "chinese-developers-face-significant-challenges",
            "ban-may-push-china-to-build-own-ai",
            "contradicts",
        )

    @pytest.mark.parametrize(
        ("slug", "date", "precision"),
        [
            ("us-adds-huawei-to-entity-list", datetime.date(2019, 5, 1), DatePrecision.MONTH),
            ("us-restricts-advanced-chip-exports-to-china", datetime.date(2022, 10, 7), "day"),
            ("hacker-breaches-openai-internal-messaging", datetime.date(2023, 1, 1), "year"),
            ("openai-discloses-breach-to-staff-and-board", datetime.date(2023, 4, 1), "month"),
            ("huawei-launches-mate-60-pro", datetime.date(2023, 8, 1), "month"),
            ("01-ai-releases-yi-models", datetime.date(2023, 11, 1), "month"),
            ("sensetime-shares-surge-on-language-model", datetime.date(2024, 4, 1), "month"),
            ("openai-notifies-china-users-of-block", datetime.date(2024, 6, 1), "month"),
            ("openai-block-takes-effect", datetime.date(2024, 7, 9), "day"),
        ],
    )
    def test_events_are_dated_as_precisely_as_known(self, slug, date, precision):
        event = Event.objects.get(slug=slug)
        assert (event.date, event.date_precision) == (date, precision)

    def test_every_event_has_a_source_and_a_participant(self):
        for event in Event.objects.all():
            has_article = event.event_sources.exists()
            assert has_article or "Sources: <https://" in event.description, (
                f"event {event.slug!r} has neither a seed article nor a public source"
            )
            assert event.participations.exists(), f"event {event.slug!r} has no participant"

    def test_public_source_urls_are_kept_in_the_description(self):
        event = Event.objects.get(slug="us-restricts-advanced-chip-exports-to-china")
        assert "<https://bis.gov/press-release/" in event.description
        assert 'href="https://bis.gov/press-release/' in event.description_html


# --- Loader behaviour ---------------------------------------------------------------

BODY = (
    "OpenAI will block API traffic from China starting July 9.\n\n"
    "Developers in Hong Kong said they would move to domestic models."
)


@pytest.fixture
def story():
    return ArticleFactory(slug="story", body=BODY, raw=BODY)


def graph_toml(**overrides: str) -> str:
    """A small valid graph; overrides replace whole sections by name."""
    sections = {
        "entities": """
            [[entities]]
            slug = "openai"
            name = "OpenAI"
            kind = "company"
            description = "From the graph."
            wikidata_id = "Q21708200"
            aliases = [{ name = "开放人工智能", language = "zh-Hans" }]
            mentioned_in = ["story"]

            [[entities]]
            slug = "china"
            name = "China"
            kind = "place"
            aliases = [{ name = "中国", language = "zh-Hans" }]
            mentioned_in = ["story"]
        """,
        "events": """
            [[events]]
            slug = "block"
            title = "OpenAI's block takes effect"
            date = "2024-07-09"
            precision = "day"
            participants = [{ entity = "openai", role = "blocked API access" }]
            sources = ["story"]

            [[events]]
            slug = "notice"
            title = "OpenAI notifies users"
            date = "2024-06-01"
            precision = "month"
            participants = [{ entity = "openai", role = "notified users", note = "by email" }]
            source_urls = ["https://example.org/notice"]
        """,
        "claims": """
            [[claims]]
            slug = "block-from-july-9"
            statement = "OpenAI blocks API traffic from China from 9 July."
            claimant = "openai"
            article = "story"
            quote = "OpenAI will block API traffic from China starting July 9."
            kind = "fact"
            about_entities = ["openai", "china"]
            about_events = ["block"]

            [[claims]]
            slug = "developers-move"
            statement = "Developers in Hong Kong will move to domestic models."
            claimant = "china"
            article = "story"
            quote = "Developers in Hong Kong said they would move to domestic models."
            kind = "prediction"
            verification = "corroborated"
            verification_reason = "Said in the story."
            about_entities = ["china"]
        """,
        "claim_relations": """
            [[claim_relations]]
            source = "developers-move"
            target = "block-from-july-9"
            kind = "supports"
            note = "Moving away presumes the block."
        """,
    }
    sections.update(overrides)
    return "\n".join(textwrap.dedent(text) for text in sections.values())


@pytest.fixture
def write_graph(tmp_path):
    def write(text: str):
        path = tmp_path / "graph.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_load_graph_creates_every_row_and_link(story, write_graph):
    report = load_graph(path=write_graph(graph_toml()))

    assert (report.entities.created, report.aliases.created, report.mentions.created) == (2, 2, 2)
    assert (report.events.created, report.participations.created) == (2, 2)
    assert report.event_sources.created == 1
    assert (report.claims.created, report.claim_entities.created) == (2, 3)
    assert (report.claim_events.created, report.claim_relations.created) == (1, 1)
    assert report.existing == 0
    assert report.created == 2 + 2 + 2 + 2 + 2 + 1 + 2 + 3 + 1 + 1

    claim = Claim.objects.get(slug="developers-move")
    assert (claim.claimant.slug, claim.article, claim.kind) == ("china", story, "prediction")
    assert (claim.verification, claim.verification_reason) == ("corroborated", "Said in the story.")
    assert Participation.objects.get(event__slug="notice").note == "by email"
    assert Entity.objects.get(slug="openai").wikidata_id == "Q21708200"
    assert set(Entity.objects.values_list("status", flat=True)) == {Status.PUBLISHED}


def test_public_source_urls_end_the_event_description(story, write_graph):
    load_graph(path=write_graph(graph_toml()))
    assert Event.objects.get(slug="notice").description.endswith(
        "Sources: <https://example.org/notice>"
    )
    assert "Sources" not in Event.objects.get(slug="block").description


def test_loading_twice_creates_nothing_the_second_time(story, write_graph):
    path = write_graph(graph_toml())
    first = load_graph(path=path)
    before = row_counts()

    second = load_graph(path=path)

    assert second.created == 0
    assert second.existing == first.created
    assert row_counts() == before


def test_existing_rows_are_left_as_editors_left_them(story, write_graph):
    path = write_graph(graph_toml())
    load_graph(path=path)
    Entity.objects.filter(slug="openai").update(description="Edited by an editor.", status="draft")
    Claim.objects.filter(slug="block-from-july-9").update(statement="Reworded by an editor.")

    load_graph(path=path)

    openai = Entity.objects.get(slug="openai")
    assert (openai.description, openai.status) == ("Edited by an editor.", "draft")
    assert Claim.objects.get(slug="block-from-july-9").statement == "Reworded by an editor."


def test_missing_links_are_added_to_existing_rows(story, write_graph):
    editor_made = EntityFactory(slug="openai", name="OpenAI (editor)", kind="company")

    report = load_graph(path=write_graph(graph_toml()))

    assert (report.entities.created, report.entities.existing) == (1, 1)
    editor_made.refresh_from_db()
    assert editor_made.name == "OpenAI (editor)"
    assert editor_made.wikidata_id == ""  # not overwritten from the file
    assert editor_made.aliases.filter(name="开放人工智能").exists()
    assert Mention.objects.filter(entity=editor_made, article=story).exists()


def test_status_applies_to_the_rows_created(story, write_graph):
    load_graph(path=write_graph(graph_toml()), status=Status.DRAFT)
    for model in (Entity, Event, Claim):
        assert set(model.objects.values_list("status", flat=True)) == {Status.DRAFT}


def assert_refused(path, *fragments):
    before = row_counts()
    with pytest.raises(GraphError) as caught:
        load_graph(path=path)
    for fragment in fragments:
        assert fragment in str(caught.value)
    assert row_counts() == before, "a refused graph must write nothing"
    return caught.value


def test_malformed_toml_is_refused(story, write_graph):
    assert_refused(write_graph(graph_toml() + '\n[[entities]\nslug = "x"\n'), "malformed TOML")


def test_a_missing_file_is_refused(tmp_path):
    assert_refused(tmp_path / "nowhere.toml", "nowhere.toml", "cannot read")


def test_a_quote_not_in_the_body_is_refused(story, write_graph):
    claims = graph_toml().split("[[claims]]", 1)[1].split("[[claim_relations]]")[0]
    bad = "[[claims]]" + claims.replace(
        "starting July 9.", "starting July 10.", 1
    )  # a quote the story does not contain
    assert_refused(write_graph(graph_toml(claims=bad)), "'block-from-july-9'", "quote not found")


def _replace(old: str, new: str) -> str:
    text = graph_toml()
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "fragments"),
    [
        pytest.param(
            'claimant = "openai"',
            'claimant = "nobody"',
            ["'block-from-july-9'", "'nobody'"],
            id="unknown claimant entity",
        ),
        pytest.param(
            'about_events = ["block"]',
            'about_events = ["no-such-event"]',
            ["'no-such-event'"],
            id="unknown event",
        ),
        pytest.param(
            'target = "block-from-july-9"',
            'target = "no-such-claim"',
            ["'no-such-claim'"],
            id="unknown claim",
        ),
        pytest.param(
            'article = "story"',
            'article = "no-such-article"',
            ["'no-such-article'"],
            id="unknown article",
        ),
        pytest.param(
            'participants = [{ entity = "openai", role = "blocked API access" }]',
            'participants = [{ entity = "ghost", role = "blocked API access" }]',
            ["[[events]] 'block'", "'ghost'"],
            id="unknown participant",
        ),
        pytest.param(
            'kind = "place"',
            'kind = "planet"',
            ["[[entities]] 'china'", "'planet'"],
            id="unknown entity kind",
        ),
        pytest.param(
            'precision = "day"',
            'precision = "week"',
            ["[[events]] 'block'", "'week'"],
            id="unknown precision",
        ),
        pytest.param(
            'kind = "fact"',
            'kind = "rumour"',
            ["'block-from-july-9'", "'rumour'"],
            id="unknown claim kind",
        ),
        pytest.param(
            'kind = "supports"',
            'kind = "likes"',
            ["[[claim_relations]]", "'likes'"],
            id="unknown relation kind",
        ),
        pytest.param(
            'name = "China"\n',
            "",
            ["[[entities]] 'china'", "missing required key(s): name"],
            id="missing required key",
        ),
        pytest.param(
            'date = "2024-06-01"',
            'date = "2024-06-15"',
            ["[[events]] 'notice'", "1st of the month"],
            id="month date not on the 1st",
        ),
        pytest.param(
            'date = "2024-07-09"',
            'date = "9 July 2024"',
            ["[[events]] 'block'", "not a date"],
            id="unparseable date",
        ),
        pytest.param(
            'verification_reason = "Said in the story."',
            'verification_reason = ""',
            ["'developers-move'", "needs a verification_reason"],
            id="verdict without reason",
        ),
        pytest.param(
            'verification_reason = "Said in the story."',
            'verification_reason = "Said in the story."\nstanding = "deprecated"\n'
            'deprecation = "retracted"',
            ["'developers-move'", "needs a standing_reason"],
            id="deprecated without reason",
        ),
        pytest.param(
            'verification_reason = "Said in the story."',
            'verification_reason = "Said in the story."\nstanding = "deprecated"\n'
            'standing_reason = "Withdrawn by the outlet."',
            ["'developers-move'", "deprecation (superseded or retracted)"],
            id="deprecated without saying how",
        ),
        pytest.param(
            'verification_reason = "Said in the story."',
            'verification_reason = "Said in the story."\nstanding = "ranked"',
            ["'developers-move'", "'ranked'"],
            id="unknown standing",
        ),
        pytest.param(
            'target = "block-from-july-9"',
            'target = "developers-move"',
            ["itself"],
            id="self relation",
        ),
        pytest.param(
            'wikidata_id = "Q21708200"',
            'wikidata_id = "21708200"',
            ["'openai'", "wikidata_id"],
            id="malformed wikidata id",
        ),
        pytest.param(
            'mentioned_in = ["story"]\n\n[[entities]]\nslug = "china"',
            'mentioned_in = ["story"]\n\n[[entities]]\nslug = "openai"',
            ["duplicate slug 'openai'"],
            id="duplicate slug",
        ),
        pytest.param(
            'description = "From the graph."',
            'descripton = "From the graph."',
            ["unknown key(s): descripton"],
            id="misspelt key",
        ),
    ],
)
def test_invalid_graphs_are_refused_naming_the_entry(story, write_graph, old, new, fragments):
    assert_refused(write_graph(_replace(old, new)), *fragments)


def test_every_problem_is_reported_at_once(story, write_graph):
    text = graph_toml().replace('claimant = "openai"', 'claimant = "nobody"')
    text = text.replace('precision = "day"', 'precision = "week"')
    error = assert_refused(write_graph(text), "'nobody'", "'week'")
    assert len(error.problems) == 2


def test_a_duplicate_relation_is_refused(story, write_graph):
    relations = graph_toml().split("[[claim_relations]]", 1)[1]
    twice = "[[claim_relations]]" + relations + "\n[[claim_relations]]" + relations
    assert_refused(write_graph(graph_toml(claim_relations=twice)), "duplicate relation")


def test_a_clash_with_editors_rows_rolls_back_everything(story, write_graph):
    # An editor already gave China's Wikidata ID to another entity: the graph's
    # "china" cannot be created, and "openai", created just before, is undone.
    EntityFactory(slug="prc", name="PRC", kind="place", wikidata_id="Q148")
    text = graph_toml().replace('slug = "china"\n', 'slug = "china"\nwikidata_id = "Q148"\n')
    assert_refused(write_graph(text), "[[entities]] 'china'", "wikidata_id")
    assert not Entity.objects.filter(slug="openai").exists()


# --- Editors and re-seeding -------------------------------------------------------


def test_reseeding_creates_nothing_and_keeps_an_editors_edit():
    call_command("seed", verbosity=0)
    Entity.objects.filter(slug="sensetime").update(description="Rewritten by an editor.")
    before = row_counts()

    call_command("seed", verbosity=0)

    assert row_counts() == before
    assert Entity.objects.get(slug="sensetime").description == "Rewritten by an editor."
