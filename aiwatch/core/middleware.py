import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
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
