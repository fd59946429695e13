"""Coverage over time: articles per outlet per week, and events per month, drawn as SVG.

A republication is counted once: a confirmed copy of another article charted
here is left out, so a wire story run by five outlets is one article, in its
original outlet's row. A copy whose original is not charted (unpublished,
undated, or outside the filters) counts in its own outlet's row. Both charts are small multiples
drawn server-side, with the numbers in a table beside them; nothing needs
JavaScript or colour to be read.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

from django import forms
from django.db.models import Count
from django.db.models.functions import TruncMonth, TruncWeek

from articles.models import Article, Role
from entities.models import Entity, Event

WIDTH = 1000
LABEL = 190  # room on the left for an outlet's name
ROW = 34
MOST_OUTLETS = 20  # the rest share one row, "Other outlets"
MOST_TICKS = 10  # labels under an axis, so that they never overlap
WIDEST_BAR = 24
EDGE = 40  # room at either end of the events' axis for a label centred on its first bar
UNKNOWN_OUTLET = "Outlet not known"


class CoverageForm(forms.Form):
    """The page's filters; a value that does not validate is reported and left out."""

    entity = forms.ModelChoiceField(
        queryset=Entity.objects.published().order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="Any entity",
        label="About",
    )
    role = forms.ChoiceField(
        choices=[("", "Any role"), *Role.choices], required=False, label="Article role"
    )


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # what a screen reader and a tooltip say


@dataclass
class Row:
    name: str
    total: int
    top: float
    bars: list[Bar]


def _bars(slots, counts, *, left, step, share, bottom, tall, peak, label) -> list[Bar]:
    """A bar for each slot (a week, a month) with a count, drawn up from `bottom`.

    Each slot is `step` wide from `left`; its bar takes `share` of it, at most
    WIDEST_BAR, and is `tall` at the `peak` count.
    """
    width = min(max(step * share, 2.0), WIDEST_BAR)
    bars = []
    for i, slot in enumerate(slots):
        n = counts.get(slot, 0)
        if not n:
            continue
        height = max(3.0, tall * n / peak)
        bars.append(
            Bar(
                x=round(left + i * step + (step - width) / 2, 1),
                y=round(bottom - height, 1),
                width=round(width, 1),
                height=round(height, 1),
                label=label(slot, n),
            )
        )
    return bars


def _articles(n: int) -> str:
    return f"{n} article{'' if n == 1 else 's'}"


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _weeks(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    weeks, week = [], _monday(first)
    while week <= last:
        weeks.append(week)
        week += datetime.timedelta(weeks=1)
    return weeks


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def articles_by_outlet(*, entity=None, role="") -> dict:
    """Published articles per outlet per week, republications once. Three queries."""
    articles = Article.objects.published()
    if entity is not None:
        articles = articles.mentioning(entity)
    if role:
        articles = articles.filter(role=role)
    undated = articles.filter(published_on__isnull=True).count()
    articles = articles.filter(published_on__isnull=False)
    republications = articles.copies_among()
    counts = (
        articles.counted_once()
        .annotate(week=TruncWeek("published_on"))
        .values("source__name", "week")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    per_outlet: dict[str, dict[datetime.date, int]] = defaultdict(dict)
    for row in counts:
        per_outlet[row["source__name"] or UNKNOWN_OUTLET][row["week"]] = row["n"]
    ranked = sorted(per_outlet.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    if len(ranked) > MOST_OUTLETS:
        others: dict[datetime.date, int] = defaultdict(int)
        for _, weeks in ranked[MOST_OUTLETS - 1 :]:
            for week, n in weeks.items():
                others[week] += n
        ranked = [*ranked[: MOST_OUTLETS - 1], ("Other outlets", dict(others))]
    table = [
        {"outlet": name, "week": week, "count": n}
        for name, weeks in ranked
        for week, n in sorted(weeks.items())
    ]
    if not ranked:
        return {"rows": [], "table": [], "republications": republications, "undated": undated}
    all_weeks = [w for _, weeks in ranked for w in weeks]
    weeks = _weeks(min(all_weeks), max(all_weeks))
    peak = max(n for _, counts in ranked for n in counts.values())
    step = (WIDTH - LABEL) / len(weeks)
    rows = []
    for i, (name, counts) in enumerate(ranked):
        top = i * ROW
        bars = _bars(
            weeks,
            counts,
            left=LABEL,
            step=step,
            share=0.8,
            bottom=top + ROW - 4,
            tall=ROW - 8,
            peak=peak,
            label=lambda week, n, name=name: (
                f"{name}, week of {week.day} {week:%B %Y}: {_articles(n)}"
            ),
        )
        rows.append(Row(name, sum(counts.values()), top, bars))
    return {
        "rows": rows,
        "table": table,
        "republications": republications,
        "undated": undated,
        "total": sum(r.total for r in rows),
        "width": WIDTH,
        "label_width": LABEL,
        "height": len(rows) * ROW + 24,
        "first": weeks[0],
        "last": weeks[-1],
        "ticks": _ticks(
            [(LABEL + j * step + step / 2, week) for j, week in enumerate(weeks)], len(rows) * ROW
        ),
    }


def _ticks(places: list[tuple[float, datetime.date]], y: float) -> list[dict]:
    """Labels under an axis: every place while few, else evenly spaced, at most MOST_TICKS."""
    every = math.ceil(len(places) / MOST_TICKS)
    return [
        {
            "x": round(x, 1),
            "y": y + 16,
            "label": f"{day.day} {day:%b %Y}" if every < 5 else f"{day:%b %Y}",
        }
        for i, (x, day) in enumerate(places)
        if i % every == 0
    ]


def events_by_month(*, entity=None) -> dict:
    """Published events per month; those dated only to the year are counted apart. One query."""
    events = Event.objects.published()
    if entity is not None:
        events = events.involving(entity)
    counts = (
        events.annotate(month=TruncMonth("date"))
        .values("month", "date_precision")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    per_month: dict[datetime.date, int] = defaultdict(int)
    year_only = 0
    for row in counts:
        if row["date_precision"] == "year":
            year_only += row["n"]
        else:
            per_month[row["month"]] += row["n"]
    if not per_month:
        return {"bars": [], "table": [], "year_only": year_only, "total": year_only}
    months = _months(min(per_month), max(per_month))
    peak = max(per_month.values())
    height = 120
    step = (WIDTH - 2 * EDGE) / len(months)
    bars = _bars(
        months,
        per_month,
        left=EDGE,
        step=step,
        share=0.7,
        bottom=height,
        tall=height - 10,
        peak=peak,
        label=lambda month, n: f"{month:%B %Y}: {n} event{'s' if n != 1 else ''}",
    )
    every = math.ceil(len(months) / MOST_TICKS)
    ticks = [
        {"x": round(EDGE + i * step + step / 2, 1), "y": height + 16, "label": f"{month:%b %Y}"}
        for i, month in enumerate(months)
        if i % every == 0
    ]
    return {
        "bars": bars,
        "table": [{"month": m, "count": per_month[m]} for m in months if per_month.get(m)],
        "year_only": year_only,
        "total": sum(per_month.values()) + year_only,
        "width": WIDTH,
        "height": height + 24,
        "ticks": ticks,
    }
