"""The API keeps its own OpenAPI schema: schemathesis sends it what the schema allows, and
what it does not, and every answer must be documented, well-formed and never a 5xx."""

import json

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from aiwatch.api.endpoints import api
from aiwatch.wsgi import application
from tests.site.snapshot_story import make_story

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# The schema the site serves at /api/v1/openapi.json, as the code builds it; the calls go
# to the WSGI application itself, every middleware included.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = application


@pytest.fixture(autouse=True)
def story(db):
    """Lists with rows in them, drafts beside them; the test's connection kept open."""
    # As Django's test client does: a request's end must not hand the connection, inside
    # the test's transaction, back to the pool.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield make_story()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_the_schema_is_openapi_3_1_and_served_as_built(client):
    served = client.get("/api/v1/openapi.json").json()
    assert served["openapi"] == "3.1.0"
    built = api.get_openapi_schema(path_prefix="/api/v1/")
    assert served == json.loads(json.dumps(built))  # status codes become strings in JSON


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_its_schema_says(case):
    case.call_and_validate(headers={"Host": "127.0.0.1"})
