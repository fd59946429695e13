"""Judgments for the pages of a generated corpus, from what the generator wrote.

The judged set (tests/search/search_judgments.toml) grades the seeded story's
pages by hand. Seeded into a generated corpus, the story shares its search
results with thousands of generated pages, many as good an answer as the
story's own ("Baidu offers migration services to OpenAI API users" for
"migration services"); scored 0 as unjudged, they would make a perfect
ranking look poor. Nobody can grade them by hand, but the generator knows
what each one is, so a query's `corpus` table says how to grade them:

- `entity`: the entity the query asks for. Its generated page is graded 3,
  the events it takes part in, the claims it makes and the claims about it
  (those whose quote names it) 2, the articles that mention it 1.
- `pages`: URL globs with a grade, for a kind of page the generator writes
  from one template (every "{co} offers migration services to OpenAI API
  users" event).

Only generated rows (those without a seed key) are graded here; a page of the
story keeps the grade the judged set gives it, or none. Only published pages
count, since no other page can be returned, and only those of the kind a
query's kind filter asks for.
"""

from dataclasses import replace
from fnmatch import fnmatchcase
from typing import NamedTuple

from aiwatch.search.relevance import JudgedQuery
from articles.models import Article
from entities.models import Claim, Entity, Event

ENTITY_PAGE, TAKES_PART, CLAIMS_MADE, CLAIMS_ABOUT, MENTIONED = 3, 2, 2, 2, 1


def _urls(queryset) -> list[str]:
    """The URLs of a queryset's generated, published rows. Runs one query."""
    rows = queryset.filter(seed_key__isnull=True).published().only("pk", "slug").distinct()
    return [row.get_absolute_url() for row in rows]


def _entity_grades(slug: str) -> dict[str, int]:
    """Runs five queries: the entity, then its mentions, claims about it and made, events."""
    entity = Entity.objects.published().filter(slug=slug).first()
    if entity is None:
        return {}
    graded: list[tuple[list[str], int]] = [
        (_urls(Article.objects.filter(mentions__entity=entity)), MENTIONED),
        (_urls(Claim.objects.filter(entity_links__entity=entity)), CLAIMS_ABOUT),
        (_urls(Claim.objects.filter(claimant=entity)), CLAIMS_MADE),
        (_urls(Event.objects.filter(participations__entity=entity)), TAKES_PART),
    ]
    if entity.seed_key is None:
        graded.append(([entity.get_absolute_url()], ENTITY_PAGE))
    grades: dict[str, int] = {}
    for urls, grade in graded:
        for url in urls:
            grades[url] = max(grades.get(url, 0), grade)
    return grades


def generated_urls() -> list[str]:
    """Every generated, published page a glob may grade. Runs four queries."""
    return [url for model in (Entity, Event, Claim, Article) for url in _urls(model.objects.all())]


# A kind filter's pages, by the path their URLs start with.
KIND_PATHS = {
    "article": "/articles/",
    "entity": "/entities/",
    "event": "/events/",
    "claim": "/claims/",
}


class CorpusJudgments(NamedTuple):
    queries: list[JudgedQuery]
    # What graded nothing: (query id, entity slug or URL glob). An empty corpus, a
    # misspelt slug or a glob no generated URL matches would otherwise score as if
    # there were no corpus at all.
    unmatched: list[tuple[str, str]]


def judge_corpus(queries: list[JudgedQuery]) -> CorpusJudgments:
    """The queries with the generated pages graded as their `corpus` tables say.

    A page the query's kind filter rules out is not graded (it cannot be returned);
    the other filters are not applied, which can only lower a score. Queries the
    database: five per entity named, and once for all URLs if any query has globs.
    """
    pool = generated_urls() if any(q.corpus_pages for q in queries) else []
    by_entity: dict[str, dict[str, int]] = {}
    judged, unmatched = [], []
    for query in queries:
        grades: dict[str, int] = {}
        if query.corpus_entity:
            if query.corpus_entity not in by_entity:
                by_entity[query.corpus_entity] = _entity_grades(query.corpus_entity)
            grades.update(by_entity[query.corpus_entity])
            if not by_entity[query.corpus_entity]:
                unmatched.append((query.id, query.corpus_entity))
        for glob, grade in query.corpus_pages.items():
            matched = [url for url in pool if fnmatchcase(url, glob)]
            if not matched:
                unmatched.append((query.id, glob))
            for url in matched:
                grades[url] = max(grades.get(url, 0), grade)
        kind = KIND_PATHS.get(query.params.get("kind", ""))
        if kind:
            grades = {url: grade for url, grade in grades.items() if url.startswith(kind)}
        # The story's judgments win, and a page the query must not return earns nothing.
        for url in query.must_not:
            grades.pop(url, None)
        judged.append(replace(query, judgments={**grades, **query.judgments}))
    return CorpusJudgments(judged, unmatched)
