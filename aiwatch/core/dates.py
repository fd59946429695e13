"""Dates as precisely as they are known: an event of "July 2024" is never shown as 1 July."""

import datetime

# Precision -> (how a reader sees it, ISO 8601 as schema.org takes it).
_FORMATS = {
    "day": ("%-d %B %Y", "%Y-%m-%d"),
    "month": ("%B %Y", "%Y-%m"),
    "year": ("%Y", "%Y"),
}


def display_date(value: datetime.date | None, precision: str = "day") -> str:
    """'9 July 2024', 'July 2024' or '2024'; an unknown precision shows the day."""
    if not value:
        return ""
    return value.strftime(_FORMATS.get(precision, _FORMATS["day"])[0])


def iso_date(value: datetime.date, precision: str = "day") -> str:
    """'2024-07-09', '2024-07' or '2024'."""
    return value.strftime(_FORMATS.get(precision, _FORMATS["day"])[1])
