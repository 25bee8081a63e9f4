"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis).

Every operation in /api/schema/ becomes a test here (`test_api_conforms_to_its_schema[GET
/api/teams/]`, ...), so endpoints added later join without any change to this file. Requests
go through the WSGI application in-process, authenticated with a superuser's token.

Bounded: each operation gets its explicit examples plus at most MAX_EXAMPLES generated
requests, valid and invalid (schemathesis's default modes), so the run grows linearly with
the number of operations (~1 s each today). The coverage phase is off: its number of cases
per operation is not capped by max_examples and grows with the size of request bodies (it
took 30 s for the three design doc writes alone).

Checks: no 5xx; every status code, content type and response body is the one the schema
documents. Not used: `positive_data_acceptance` and `negative_data_rejection`, which report
rules a schema cannot express (a well-formed login with wrong credentials is a 400; DRF
ignores a malformed `?limit=`) rather than defects.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

from registry.wsgi import application

MAX_EXAMPLES = 25

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.phases.coverage.enabled = False

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def wsgi_requests_keep_the_test_transaction():
    # The real WSGI handler closes the database connection at the end of every request
    # (CONN_MAX_AGE=0), which would end the test's transaction on PostgreSQL. Django's own
    # test client detaches the same signal handlers for the same reason.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def superuser_token(superuser):
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=superuser).key


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, superuser_token, wsgi_requests_keep_the_test_transaction):
    case.call_and_validate(headers={"Authorization": f"Token {superuser_token}"}, checks=CHECKS)


def test_schema_lists_the_foundation_operations():
    labels = {result.ok().label for result in schema.get_all_operations()}
    assert {"POST /api/auth/token/", "GET /api/teams/", "GET /api/teams/{id}/"} <= labels
