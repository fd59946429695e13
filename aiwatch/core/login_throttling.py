"""Sign-in throttling (django-axes): whose address a request is, what a locked-out editor sees.

aiwatch.settings configures axes (how many failures, for how long, by username
and by address) and names the two callables below.
"""

import ipaddress

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db.models import Q, Sum
from django.shortcuts import render
from django.utils import timezone


def _address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address the request came from, as the nearest proxy we trust saw it.

    With TRUSTED_PROXY_COUNT = n, the n-th address from the right of
    X-Forwarded-For was written by our outermost proxy; everything to its left
    is whatever the client sent. A header too short or unreadable means the
    request did not come through the proxies, so the socket's peer is used.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(hops) >= count:
            forwarded = _address(hops[-count])
            if forwarded:
                return forwarded
    return _address(request.META.get("REMOTE_ADDR"))


def lockout_response(request, original_response=None, credentials=None):
    """The admin's login page, saying sign-in is paused, until when, and whom to ask."""
    cool_off = get_cool_off(request)
    last_failure = getattr(request, "axes_attempt_time", None) or timezone.now()
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in paused",
        "failure_limit": get_failure_limit(request, credentials),
        "cool_off_minutes": round(cool_off.total_seconds() / 60),
        "lifts_at": last_failure + cool_off,
    }
    return render(
        request,
        "admin/aiwatch/locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def attempts_in_force(now=None):
    """The failed sign-ins behind a lockout that has not lifted yet.

    A lockout counts a username's failures from every address, and an address's
    for every username, so a row takes part when either total reached the limit.
    """
    since = (now or timezone.now()) - get_cool_off()
    limit = settings.AXES_FAILURE_LIMIT
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)

    def locked(field):
        return (
            recent.exclude(**{f"{field}__isnull": True})
            .order_by()  # the model's ordering would split the groups by time
            .values(field)
            .annotate(failures=Sum("failures_since_start"))
            .filter(failures__gte=limit)
            .values(field)
        )

    return recent.filter(
        Q(username__in=locked("username")) | Q(ip_address__in=locked("ip_address"))
    )
