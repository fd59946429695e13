"""A server-side SVG timeline: events placed by date on a line, each dot a link. No JavaScript.

Dots that would overlap are stacked in rows above the axis, so every event
stays visible and clickable.
"""

import datetime
from dataclasses import dataclass

WIDTH, MARGIN = 1000, 40
RADIUS = 12  # about 24 px across at full width: a target large enough to hit
ROW = 2 * RADIUS + 6
BELOW_AXIS = 34  # room for the year labels


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


def _rows(xs: list[float]) -> list[int]:
    """For each x (in order), the lowest row whose last dot it does not touch."""
    last_in_row: list[float] = []
    rows = []
    for x in xs:
        row = next((r for r, last in enumerate(last_in_row) if x - last >= ROW), None)
        if row is None:
            row = len(last_in_row)
            last_in_row.append(x)
        last_in_row[row] = x
        rows.append(row)
    return rows


def layout(events) -> dict | None:
    """Positions for the events (already in date order), or None when there are none."""
    events = list(events)
    if not events:
        return None
    start = datetime.date(events[0].date.year, 1, 1)
    end = datetime.date(max(e.end_date or e.date for e in events).year + 1, 1, 1)
    span = max((end - start).days, 1)
    xs = [round(_x(e.date, start, span), 1) for e in events]
    rows = _rows(xs)
    axis = RADIUS + 4 + ROW * max(rows)
    points = [
        Point(
            x=x,
            y=axis - ROW * row,
            title=e.title,
            when=e.date_display,
            url=e.get_absolute_url(),
            precise=e.date_precision == "day",
        )
        for e, x, row in zip(events, xs, rows, strict=True)
    ]
    ticks = [
        Tick(round(_x(datetime.date(year, 1, 1), start, span), 1), str(year))
        for year in range(start.year, end.year + 1)
    ]
    return {
        "width": WIDTH,
        "height": axis + BELOW_AXIS,
        "top": 0,
        "axis": axis,
        "radius": RADIUS,
        "points": points,
        "ticks": ticks,
        "start": MARGIN,
        "end": WIDTH - MARGIN,
    }
