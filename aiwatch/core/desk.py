"""The editor's desk on the admin's home: what is waiting for the signed-in editor.

Each app names its lines from its admin module with `register`: a label, the
rows waiting, and the change-list filter that shows the same rows. The base
imports no app; the lines are handed to it, as content kinds are to the registry.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import models
from django.urls import NoReverseMatch, reverse

# The desk's sections, in the order it shows them.
REVIEW = "In review"
DECIDE = "To decide"
SIGN_IN = "Sign-in"
SECTIONS = (REVIEW, DECIDE, SIGN_IN)


@dataclass(frozen=True)
class Line:
    label: str
    model: type[models.Model]
    rows: Callable[[], models.QuerySet]
    # The change list's query parameters that show exactly `rows()`.
    filters: dict[str, str]
    section: str


_lines: dict[str, Line] = {}


def register(
    *,
    label: str,
    model: type[models.Model],
    rows: Callable[[], models.QuerySet],
    filters: dict[str, str],
    section: str,
) -> None:
    if section not in SECTIONS:
        raise ValueError(f"{section!r} is not one of the desk's sections {SECTIONS}.")
    _lines[label] = Line(label, model, rows, filters, section)


def _may_open(user, model) -> bool:
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
        for action in ("view", "change")
    )


def waiting_for(user, site_name: str = "admin") -> list[dict]:
    """The lines `user` may open, each with its count and link: one query a line."""
    shown = []
    for line in sorted(_lines.values(), key=lambda line: SECTIONS.index(line.section)):
        opts = line.model._meta
        if not _may_open(user, line.model):
            continue
        try:
            url = reverse(f"{site_name}:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:  # not in this admin site
            continue
        shown.append(
            {
                "section": line.section,
                "label": line.label,
                "count": line.rows().count(),
                "url": f"{url}?{urlencode(line.filters)}",
            }
        )
    return shown
