import contextlib
import logging

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, QueryDict
from django.template.loader import render_to_string

logger = logging.getLogger("aiwatch")


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection into a 503 page instead of a 500 with a traceback.

    OperationalError and InterfaceError mean the server is down, restarting or
    unreachable; other database errors (a constraint, bad SQL) are bugs and
    still surface as 500s. The page is rendered without the request so that
    no context processor touches the database that just failed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable while serving %s: %s", request.path, exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response


class DropNulMiddleware:
    """Drop NUL characters from the names and values of every GET and POST parameter.

    PostgreSQL can neither store nor compare text holding NUL: a view that hands
    a parameter to a query without a form (the admin's autocomplete and list
    filters, its history of an object) would answer 500. Nobody types a NUL; a
    value without it is what was meant. A path holding one names no page: 404.
    Forms drop the other control characters (aiwatch.core.forms).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("No page has a NUL character in its address.")
        request.GET = _without_nul(request.GET)
        if request.method == "POST":
            # A body the client broke off is left for the view to find, as without this.
            with contextlib.suppress(OSError):
                request.POST = _without_nul(request.POST)
        return self.get_response(request)


def _without_nul(params: QueryDict) -> QueryDict:
    if not any("\x00" in key or "\x00" in "".join(values) for key, values in params.lists()):
        return params
    cleaned = QueryDict(mutable=True, encoding=params.encoding)
    for key, values in params.lists():
        for value in values:
            cleaned.appendlist(key.replace("\x00", ""), value.replace("\x00", ""))
    cleaned._mutable = False
    return cleaned
