"""A system check: every searched kind has a value in SearchKind, and every value a kind."""

from django.core import checks

from aiwatch.search.models import SearchKind


def search_kinds_match(app_configs, **kwargs):
    from aiwatch.search.indexing import searched

    keys = {kind.key for kind in searched()}
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
    return errors


def register() -> None:
    checks.register(search_kinds_match)
