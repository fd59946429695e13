"""aiwatch's WSGI application, telling in a response header how many queries each database got.

For the streaming-replication tests (test_replica_streaming.py), which run it
under gunicorn: `X-Test-Queries: default=0,replica_1=3`. Test-only; the site's
own application is aiwatch.wsgi.
"""

import contextlib
from collections import Counter

from django.db import connections

from aiwatch.wsgi import application as aiwatch_application


def _counting(alias: str, counts: Counter):
    def wrapper(execute, sql, params, many, context):
        counts[alias] += 1
        return execute(sql, params, many, context)

    return wrapper


def application(environ, start_response):
    counts = Counter()

    def start_with_counts(status, headers, exc_info=None):
        told = ",".join(f"{alias}={counts[alias]}" for alias in connections)
        return start_response(status, [*headers, ("X-Test-Queries", told)], exc_info)

    # Django's handler calls start_response once the response is complete.
    with contextlib.ExitStack() as wrappers:
        for alias in connections:
            wrappers.enter_context(connections[alias].execute_wrapper(_counting(alias, counts)))
        return aiwatch_application(environ, start_with_counts)
