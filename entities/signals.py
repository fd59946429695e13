"""What the graph does when an article changes."""

from django.db import transaction
from django.db.models.signals import post_save

from articles.models import Article
from entities.article_edits import recheck_quotes, suggest_mentions


def article_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    recheck_quotes(article=instance)
    # After commit, so that links made in the same transaction (an editor's
    # inline mentions, the seed's graph) are there first and not re-suggested.
    transaction.on_commit(lambda: suggest_mentions(article=instance))


def connect():
    post_save.connect(article_saved, sender=Article, dispatch_uid="entities-article-saved")
