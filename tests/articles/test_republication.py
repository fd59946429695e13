"""Republished wire copy is found on import and linked, for an editor to confirm or reject."""

import datetime

import pytest

from articles.models import Article, Republication
from articles.services import import_capture
from articles.shingles import signature, similarity

pytestmark = pytest.mark.django_db

WIRE = [
    "BEIJING, July 9 (Meridian) - OpenAI began blocking access to its application programming "
    "interface from mainland China and Hong Kong on Tuesday, cutting off developers who had "
    "built products on its models.",
    "The company had warned users in June that it would take additional steps to block API "
    "traffic from regions where it does not support access, without giving a reason.",
    "Chinese AI companies including Zhipu AI, Baidu and Alibaba Cloud responded with offers of "
    "free tokens and tools to help developers move their applications to domestic models.",
    "Analysts said the move would accelerate the adoption of Chinese large language models, "
    "which have narrowed the gap with US rivals over the past year.",
    "Microsoft's Azure cloud continued to offer OpenAI's models to some enterprise customers "
    "in China through a joint venture, people familiar with the matter said.",
]


def capture(title: str, date: str, paragraphs: list[str]) -> str:
    return "\n\n".join([title, date, *paragraphs]) + "\n"


def wire_original() -> str:
    return capture("OpenAI blocks API access in China, Hong Kong", "July 9, 2024", WIRE)


def republished() -> str:
    # Another outlet's headline, one paragraph rewritten and one added.
    changed = [
        *WIRE[:3],
        "Industry watchers in Shenzhen said the cut-off could hasten a shift that was "
        "already under way as domestic models improved.",
        WIRE[4],
        "The Deccan Ledger has not independently verified the report.",
    ]
    return capture("Chinese developers lose OpenAI as rivals circle", "July 10, 2024", changed)


def unrelated() -> str:
    return capture(
        "Hong Kong budget sets aside funds for AI research",
        "July 10, 2024",
        [
            "Hong Kong's government set aside HK$3 billion for a new artificial intelligence "
            "research centre, the financial secretary said in a statement on Wednesday.",
            "The centre will give universities and start-ups access to computing power that "
            "has become scarce since the United States restricted exports of advanced chips.",
        ],
    )


def test_a_republished_wire_story_is_linked_to_the_earlier_article():
    original = import_capture(raw=wire_original()).article

    outcome = import_capture(raw=republished())

    link = Republication.objects.get()
    assert (link.copy, link.original) == (outcome.article, original)
    assert link.status == Republication.Status.SUGGESTED
    assert 0.5 <= link.similarity < 1
    assert outcome.republications == [link]


def test_the_earlier_article_is_the_original_whichever_is_imported_first():
    copy = import_capture(raw=republished()).article  # July 10, imported first

    original = import_capture(raw=wire_original()).article  # July 9

    link = Republication.objects.get()
    assert (link.copy, link.original) == (copy, original)
    assert copy.published_on == datetime.date(2024, 7, 10)


def test_a_different_story_on_the_same_subject_is_not_a_republication():
    import_capture(raw=wire_original())

    outcome = import_capture(raw=unrelated())

    assert outcome.republications == []
    assert not Republication.objects.exists()


def test_a_rejected_link_stays_rejected_when_the_copy_is_found_again():
    import_capture(raw=wire_original())
    copy = import_capture(raw=republished()).article
    Republication.objects.update(status=Republication.Status.REJECTED)

    from articles.services import link_republications

    link_republications(copy)

    assert Republication.objects.get().status == Republication.Status.REJECTED


def test_counts_by_outlet_can_leave_confirmed_republications_out():
    original = import_capture(raw=wire_original()).article
    copy = import_capture(raw=republished()).article

    assert set(Article.objects.not_republished()) == {original, copy}  # only suggested so far
    Republication.objects.update(status=Republication.Status.CONFIRMED)
    assert list(Article.objects.not_republished()) == [original]


def test_an_article_an_editor_calls_a_republication_is_counted_as_one():
    from articles.models import Role

    own, copy = import_capture(raw=wire_original()).article, import_capture(raw=unrelated()).article
    copy.role = Role.REPUBLICATION
    copy.save()

    assert list(Article.objects.not_republished()) == [own]
    assert Article.objects.counted() == {"articles": 2, "republications": 1}


def test_the_candidates_are_found_with_the_indexed_band_overlap(django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.services import link_republications

    import_capture(raw=wire_original())
    copy = Article(body="\n\n".join(WIRE[:4]), title="A copy", raw="x")
    copy.save()

    with CaptureQueriesContext(connection) as queries:
        links = link_republications(copy)

    assert len(links) == 1
    # The candidates come from the GIN-indexed overlap of bands, not a scan of every signature.
    assert '"articles_article"."minhash_bands" &&' in queries.captured_queries[0]["sql"]
    # The candidates, then get_or_create's look-up and its savepointed insert.
    assert len(queries.captured_queries) <= 5


def test_similarity_estimates_shared_shingles():
    a, _ = signature(" ".join(WIRE))
    b, _ = signature(" ".join(WIRE[:4]))
    c, _ = signature(unrelated())

    assert similarity(a, a) == 1.0
    assert 0.6 < similarity(a, b) < 1.0
    assert similarity(a, c) < 0.1
    assert similarity(a, []) == 0.0


def test_an_editor_links_a_republication_by_hand(editor_client):
    from django.urls import reverse

    from aiwatch.core.publishing import Status

    original = import_capture(raw=wire_original(), status=Status.PUBLISHED).article
    copy = import_capture(raw=unrelated(), status=Status.PUBLISHED).article

    response = editor_client.post(
        reverse("admin:articles_republication_add"),
        {"copy": copy.pk, "original": original.pk, "status": "confirmed"},
    )

    assert response.status_code == 302, response.content[:2000]
    link = Republication.objects.get()
    assert (link.copy, link.original, link.similarity) == (copy, original, None)
    assert "linked by hand" in editor_client.get(copy.get_absolute_url()).content.decode()


def test_an_original_file_cannot_be_deleted_from_the_admin(editor_client):
    from django.urls import reverse

    from articles.models import Original

    article = import_capture(raw=wire_original()).article
    Original.objects.create(article=article, content=b"x", media_type="text/plain")

    response = editor_client.post(
        reverse("admin:articles_original_delete", args=[article.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Original.objects.filter(article=article).exists()
