"""System checks: SearchKind matches the searched kinds; search follows every watched model."""

from django.core import checks

from aiwatch.core import registry
from aiwatch.search.models import SearchKind


def search_kinds_match(app_configs, **kwargs):
    from aiwatch.search import indexing

    keys = {kind.key for kind in indexing.searched()}
    errors = []
    if missing := sorted(keys - set(SearchKind.values)):
        errors.append(
            checks.Error(
                f"Searched kinds without a SearchKind value: {', '.join(missing)}.",
                hint="Add them to SearchKind in aiwatch/search/models.py and run makemigrations.",
                id="search.E001",
            )
        )
    if unused := sorted(set(SearchKind.values) - keys):
        errors.append(
            checks.Error(
                f"SearchKind values no registered kind indexes: {', '.join(unused)}.",
                hint="Remove them from SearchKind, or register a kind whose indexed() says how.",
                id="search.E002",
            )
        )
    if late := [m._meta.label for m in registry.watched() if m not in indexing.CONNECTED]:
        errors.append(
            checks.Error(
                f"Search does not follow changes to {', '.join(late)}: registered after it.",
                hint="List the app that registers them before aiwatch.search in INSTALLED_APPS.",
                id="search.E003",
            )
        )
    return errors


def register() -> None:
    checks.register(search_kinds_match)
