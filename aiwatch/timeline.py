"""A server-side SVG timeline: events placed by date on a line, each dot a link. No JavaScript."""

import datetime
from dataclasses import dataclass

WIDTH, HEIGHT, MARGIN = 1000, 60, 40


@dataclass
class Point:
    x: float
    y: float
    title: str
    when: str
    url: str
    precise: bool


@dataclass
class Tick:
    x: float
    label: str


def _x(day: datetime.date, start: datetime.date, span: int) -> float:
    return MARGIN + (WIDTH - 2 * MARGIN) * (day - start).days / span


def layout(events) -> dict | None:
    """Positions for the events (already in date order), or None when there are none."""
    events = list(events)
    if not events:
        return None
    start = datetime.date(events[0].date.year, 1, 1)
    end = datetime.date(max(e.end_date or e.date for e in events).year + 1, 1, 1)
    span = max((end - start).days, 1)
    axis = 20
    points = [
        Point(
            x=round(_x(e.date, start, span), 1),
            y=axis,
            title=e.title,
            when=e.date_display,
            url=e.get_absolute_url(),
            precise=e.date_precision == "day",
        )
        for e in events
    ]
    ticks = [
        Tick(round(_x(datetime.date(year, 1, 1), start, span), 1), str(year))
        for year in range(start.year, end.year + 1)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "top": 0,
        "axis": axis,
        "points": points,
        "ticks": ticks,
        "start": MARGIN,
        "end": WIDTH - MARGIN,
    }
