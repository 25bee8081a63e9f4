"""Valid requests are accepted: every create and update body that the OpenAPI schema calls
valid (schemathesis generates them, positive mode only) passes the API's type checks.

The write serializers are generated from the section registry and the schema from the
serializers, so the schema promises exactly what the type checks accept. A 400 for such a
body may only come from the content validator: rules and references a schema cannot
state (one Accountable per activity, a mitigation for a high risk, a username that
exists). The rest of the API's conformance is tests/core/test_api_schemathesis.py.

Generation leaves out NUL (refused as text that cannot be stored, which a JSON schema
cannot say); lone surrogates are never generated (UTF-8 codec).
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks
from schemathesis.core import NotSet
from schemathesis.core.parameters import ParameterLocation

from designdocs.api.serializers import DesignDocPatchSerializer, DesignDocWriteSerializer
from registry.wsgi import application

MAX_EXAMPLES = 30

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.phases.coverage.enabled = False
schema.config.generation.update(modes=["positive"], allow_x00=False)
writes = schema.include(path_regex=r"^/api/designdocs/(\{id\}/)?$", method=["POST", "PUT", "PATCH"])

SERIALIZERS = {"POST": DesignDocWriteSerializer, "PUT": DesignDocWriteSerializer,
               "PATCH": DesignDocPatchSerializer}  # fmt: skip


@pytest.mark.django_db
@writes.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_body_the_schema_calls_valid_passes_the_type_checks(
    case, alice, team, wsgi_requests_keep_the_test_transaction
):
    from registry.core.testing.api import api_token_key
    from tests.designdocs.factories import FullDesignDocFactory

    # Positive mode: the schema's object, or no body at all (optional for PATCH).
    body = {} if isinstance(case.body, NotSet) else case.body
    assert isinstance(body, dict), body
    assert ParameterLocation.BODY in _valid_locations(case)
    serializer = SERIALIZERS[case.method](data=body)
    assert serializer.is_valid(), serializer.errors
    if "{id}" in case.path:
        doc = FullDesignDocFactory(owner_team=team, product_owner=alice)
        case.path_parameters["id"] = doc.pk
        case.headers["If-Match"] = doc.etag
    case.call_and_validate(
        headers={"Authorization": f"Token {api_token_key(alice)}"},
        checks=[checks.not_a_server_error, checks.status_code_conformance],
    )


def _valid_locations(case) -> set[ParameterLocation]:
    meta = case.meta
    return {
        location
        for location in ParameterLocation
        if meta is None or not meta.is_negative_at(location)
    }
