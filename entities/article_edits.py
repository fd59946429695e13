"""What an article's save changes in the graph: claims re-find their quotes, names become mentions.

Both run from the article's post_save signal (entities/signals.py), because the
articles app must not know about the graph. Neither refuses the edit: problems
are left for an editor to review.
"""

import re

from articles.models import Article
from entities.models import Claim, Entity, Mention, MentionStatus


def recheck_quotes(*, article: Article) -> int:
    """Re-find each claim's quote after an edit; flag the claims whose quote is gone.

    The edit itself is never refused: the claims are marked `needs_review` for an
    editor, and their stored positions follow the text. Returns how many are flagged.
    """
    flagged = 0
    for claim in Claim.objects.filter(article=article):
        claim.article = article
        before = (claim.quote_start, claim.quote_end, claim.needs_review)
        span = claim.locate_quote()
        after = (*(span or (None, None)), span is None)
        if after != before:
            claim.save(update_fields=["quote_start", "quote_end", "needs_review"])
        flagged += span is None
    return flagged


def _name_pattern(names: list[str]) -> re.Pattern | None:
    # Latin names must stand as words; CJK names have no spaces around them.
    parts = [
        rf"(?<!\w){re.escape(n)}(?!\w)" if n.isascii() else re.escape(n)
        for n in sorted(set(names), key=len, reverse=True)
        if len(n) >= 2
    ]
    return re.compile("|".join(parts)) if parts else None


def suggest_mentions(*, article: Article) -> list[Mention]:
    """Suggest a mention for every known entity named in the article, by name or alias.

    An entity already linked to the article, whatever the link's status, is
    skipped: an accepted mention needs nothing, and a rejected one must not come back.
    """
    known = set(Mention.objects.filter(article=article).values_list("entity_id", flat=True))
    text = f"{article.title}\n{article.body}"
    suggestions = []
    for entity in Entity.objects.exclude(pk__in=known).prefetch_related("aliases"):
        pattern = _name_pattern([entity.name, *(a.name for a in entity.aliases.all())])
        if pattern and pattern.search(text):
            suggestions.append(
                Mention(article=article, entity=entity, status=MentionStatus.SUGGESTED)
            )
    return Mention.objects.bulk_create(suggestions, ignore_conflicts=True)
