"""Strict parsing of settings from the environment.

os.environ only holds strings, and a truthiness check would read "False" as
True. These helpers accept a closed set of spellings and raise
ImproperlyConfigured for anything else, so a typo fails at start-up instead
of silently flipping a switch.
"""

import os
import re
from urllib.parse import parse_qsl, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of {sorted(_TRUE | _FALSE)}."
    )


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is out of range; use {minimum if minimum is not None else '…'}"
            f" to {maximum if maximum is not None else '…'}."
        )
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set in production.")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, "").strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of {', '.join(choices)}.")
    return value


_REDIS_SCHEMES = ("redis", "rediss", "unix")


def env_redis_url(name: str) -> str:
    """A Redis URL (redis://host:port/db, rediss://… for TLS, unix:///path?db=N), or "" if unset.

    redis-py only parses the URL on the first command, so a typo would
    surface as a cache that never works; it is checked here instead.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    try:
        parsed = urlsplit(raw)
        port = parsed.port
    except ValueError:  # a port that is not a number or out of range, a broken [IPv6] host
        parsed, port = None, None
    problem = None
    if parsed is None:
        problem = "has a host or port that cannot be read"
    elif parsed.scheme not in _REDIS_SCHEMES:
        problem = f"must start with {', '.join(s + '://' for s in _REDIS_SCHEMES)}"
    elif parsed.scheme == "unix" and not parsed.path:
        problem = "names no socket path"
    elif parsed.scheme != "unix" and not parsed.hostname:
        problem = "names no host"
    elif port == 0:
        problem = "has port 0"
    else:
        db = parsed.path.strip("/") if parsed.scheme != "unix" else ""
        db = db or dict(parse_qsl(parsed.query)).get("db", "0")
        if not db.isdigit():
            problem = f"has database {db!r}, which is not a number"
    if problem:
        # The URL may carry a password: it is not repeated in the message.
        raise ImproperlyConfigured(f"{name} {problem}; e.g. redis://127.0.0.1:6379/0.")
    return raw


def env_base_url(name: str, default: str) -> str:
    """An origin such as https://aiwatch.example (no path), without a trailing slash."""
    raw = os.environ.get(name, "").strip() or default
    try:
        parsed = urlsplit(raw)
        parsed.port  # noqa: B018 — raises ValueError for a port that is not a number
    except ValueError:
        parsed = None
    if (
        parsed is None
        or parsed.scheme not in ("http", "https")
        or not parsed.hostname
        or parsed.path.strip("/")
        or parsed.query
    ):
        raise ImproperlyConfigured(
            f"{name}={raw!r} must be an origin such as https://aiwatch.example, with no path."
        )
    return raw.rstrip("/")


_RATE = re.compile(r"([1-9][0-9]{0,6})/(s|sec|m|min|h|hour|d|day)")


def env_rate(name: str, default: str) -> str:
    """A request rate such as 120/m (per second, minute, hour or day)."""
    value = os.environ.get(name, "").strip().lower() or default
    if not _RATE.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name}={value!r} must be a rate such as 120/m: a count, then /s, /m, /h or /d."
        )
    return value
