"""`manage.py corpus_relevance`: search_relevance on the story seeded into a generated corpus.

The same judged set, the same report and options, with the generated pages
graded from what the generator wrote (bench.judging): run `generate_corpus`,
then `seed`, then this.
"""

from django.core.management.base import CommandError

from aiwatch.search.management.commands import search_relevance
from bench.judging import judge_corpus


class Command(search_relevance.Command):
    help = (
        "Score the search page on the judged queries against the story seeded into a "
        "generated corpus, grading the generated pages from the corpus's own links."
    )

    def judge(self, queries):
        judged = judge_corpus(queries)
        if judged.unmatched:
            named = "; ".join(f"{qid}: {what}" for qid, what in judged.unmatched)
            raise CommandError(
                f"corpus judgments that grade no page (is a corpus generated?): {named}"
            )
        return judged.queries
