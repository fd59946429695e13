"""A claim's lineage: where it first appeared, where it was repeated, and how it was updated
or contradicted since; and the admin's suggestions of where else it appears.

Suggestions come from quote similarity (rapidfuzz): the articles that name the
claimant or what the claim is about are read paragraph by paragraph, and a
paragraph close to the claim's quote is offered to an editor, who decides. An
appearance in another language is linked by hand; similarity of letters cannot
see a translation.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Q
from rapidfuzz import fuzz, utils

from aiwatch.core.publishing import Status
from articles.models import Article
from entities.models import Claim, ClaimRelation, RelationKind

CANDIDATES = 300  # the newest articles naming the claim's entities that are read
THRESHOLD = 72  # rapidfuzz's partial_ratio, 0–100: below it, a shared phrase is chance
SUGGESTIONS = 5
CHAIN_DEPTH = 10
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+")


@dataclass(frozen=True)
class Suggestion:
    article: Article
    passage: str  # the sentence closest to the claim's quote, verbatim
    score: float  # 0–100


@dataclass(frozen=True)
class Appearance:
    article: Article
    quote: str
    language: str
    original: bool  # the article the claim itself is quoted from

    @property
    def date(self) -> datetime.date | None:
        return self.article.published_on


@dataclass(frozen=True)
class Link:
    """`source` updates (or contradicts) `target`; `claim` is the end new to the chain."""

    source: Claim
    kind: str
    target: Claim
    claim: Claim


def suggestions(claim: Claim, *, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Articles that may restate `claim`, closest first. Three queries and some reading."""
    entity_ids = [claim.claimant_id, *claim.about_entities.values_list("pk", flat=True)]
    taken = {claim.article_id, *claim.appearances.values_list("article_id", flat=True)}
    candidates = (
        Article.objects.published()
        .filter(mentions__entity__in=entity_ids, mentions__status="accepted")
        .exclude(pk__in=taken)
        .distinct()
        .newest_first()
        .only("pk", "title", "slug", "body", "published_on", "language")[:CANDIDATES]
    )
    found = []
    for article in candidates:
        best = max(
            ((_alike(claim.quote, p, fuzz.partial_ratio), p) for p in article.paragraphs),
            default=(0, ""),
        )
        if best[0] >= THRESHOLD:
            found.append(Suggestion(article, _closest_sentence(claim.quote, best[1]), best[0]))
    return sorted(found, key=lambda s: (-s.score, s.article.pk))[:limit]


def _closest_sentence(quote: str, paragraph: str) -> str:
    sentences = [s for s in _SENTENCE.split(paragraph) if s.strip()] or [paragraph]
    return max(sentences, key=lambda s: _alike(quote, s, fuzz.ratio)).strip()


def _alike(a: str, b: str, measure) -> float:
    # Case, punctuation and spacing aside: a restatement is rarely typeset alike.
    return measure(a, b, processor=utils.default_process)


def appearances(claim: Claim) -> list[Appearance]:
    """The claim's own article and the published articles that restate it, oldest first.

    Undated articles last. Reads `claim.article` and the prefetched
    `appearances` when they are loaded; else hides a query each.
    """
    own = [Appearance(claim.article, claim.quote, claim.article.language, original=True)]
    if claim.article.status != Status.PUBLISHED:  # a preview's: not a reader's to follow
        own = []
    others = [
        Appearance(a.article, a.quote, a.quote_language, original=False)
        for a in claim.appearances.all()
        if a.article.status == Status.PUBLISHED
    ]
    return sorted(
        [*own, *others],
        key=lambda a: (a.date is None, a.date or datetime.date.max, not a.original),
    )


def chain(claim: Claim) -> list[Link]:
    """The updates and contradictions around `claim`, and theirs in turn, nearest first.

    Only between published claims; one query a step, at most CHAIN_DEPTH steps.
    """
    kinds = [RelationKind.UPDATES, RelationKind.CONTRADICTS]
    seen, frontier, links, recorded = {claim.pk}, {claim.pk}, [], set()
    for _ in range(CHAIN_DEPTH):
        if not frontier:
            break
        relations = (
            ClaimRelation.objects.between_published()
            .filter(kind__in=kinds)
            .filter(Q(source_id__in=frontier) | Q(target_id__in=frontier))
            .select_related("source__article", "target__article")
            .order_by("id")
        )
        step = set()
        for relation in relations:
            if relation.pk in recorded:
                continue
            recorded.add(relation.pk)
            # The end new to the chain; a link between two claims already in it, its source.
            new = [c for c in (relation.source, relation.target) if c.pk not in seen]
            for other in new:
                seen.add(other.pk)
                step.add(other.pk)
            claim_shown = new[0] if new else relation.source
            links.append(Link(relation.source, relation.kind, relation.target, claim_shown))
        frontier = step
    return links
