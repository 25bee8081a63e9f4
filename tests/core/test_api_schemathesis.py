"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis).

Every operation in /api/schema/ becomes a test here, once per role
(`test_api_conforms_to_its_schema[GET /api/teams/-bob]`, ...), so endpoints added later join
without any change to this file. Requests go through the WSGI application in-process,
authenticated with the token of a product owner (alice, who owns the target document), an
architect (bob, who may read but not edit it) and a viewer (dave).

Bounded: each operation gets its explicit examples plus at most MAX_EXAMPLES generated
requests per role, valid and invalid (schemathesis's default modes), so the run grows
linearly with the number of operations (~1 s per operation and role today). Every request
is counted per role (GENERATED); the session's summary prints the counts, and a session that
ran every operation for every role fails if they add up to fewer than MIN_GENERATED (CI's
floor, tests/conftest.py). The coverage phase is off: its number of cases
per operation is not capped by max_examples and grows with the size of request bodies (it
took 30 s for the three design doc writes alone).

A real design doc: the operations on one document (`{id}`: retrieve, PUT, PATCH, DELETE,
revisions, a revision, diff, markdown) are aimed at a full document with two revisions,
owned by a team with its product owner, read afresh before every request (earlier requests
may have updated it) and recreated when a DELETE removed it. `aim_at` rewrites only the
parts of a case that were generated valid; parts generated invalid keep their value:
- the path `id` becomes the document's (an invalid one is answered 404);
- revision numbers (path `number`, diff `from`/`to`) are folded onto 1 .. last revision + 1,
  so mostly existing revisions and sometimes a missing one;
- PUT/PATCH: most cases get `If-Match` with the current ETag, some none (428, unless the
  body's `version` states one: then 412, or the update when it is current); a body naming
  an owner team or product owner names the document's, so updates pass the reference checks
  and are written (new revision), or are refused for the rest of their content (400).

Checks: no 5xx; every status code, content type and response body is the one the schema
documents; every 2xx write is read back (`assert_write_reads_back`): what a POST, PUT or
PATCH answered is what a GET of the object answers, and holds every field that was sent as
it was sent; a deleted object answers 404. Not used: `positive_data_acceptance` and `negative_data_rejection`, which report
rules a schema cannot express (a well-formed login with wrong credentials is a 400; DRF
ignores a malformed `?limit=`) rather than defects.

`GET /api/teams/{id}/` is aimed the same way at the document's team, which `GET
/api/teams/` lists. `DELETE /api/auth/tokens/{id}/` is aimed at a new token of the role's
user made for the case, never at the token the run authenticates with.
"""

import zlib
from collections import Counter
from urllib.parse import urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks
from schemathesis.core.parameters import ParameterLocation

from registry.wsgi import application

MAX_EXAMPLES = 45
ROLES = ("alice", "bob", "dave")
MIN_GENERATED = 2000
#: requests sent in this session, per role (read by the summary hook in tests/conftest.py)
GENERATED: Counter[str] = Counter()
#: 2xx writes read back, per method
READ_BACK: Counter[str] = Counter()

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.phases.coverage.enabled = False

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(params=ROLES)
def role_user(request, team):
    """The user the case runs as: alice (product owner in `team`), bob, dave."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def role_token(role_user):
    from registry.core.testing.api import api_token_key

    return api_token_key(role_user)


@pytest.fixture
def design_doc(team, alice):
    """`design_doc()`: the document the `{id}` cases are aimed at, as stored now, or a new
    one (two revisions) if a DELETE removed it. Created on first use only."""
    from designdocs.models import DesignDoc
    from designdocs.services import designdoc_update
    from tests.designdocs.factories import FullDesignDocFactory

    current: dict[str, int] = {}

    def get() -> DesignDoc:
        doc = DesignDoc.objects.select_related("owner_team", "product_owner").filter(
            pk=current.get("pk")
        )
        doc = doc.first()
        if doc is None:
            doc = FullDesignDocFactory(owner_team=team, product_owner=alice)
            doc = designdoc_update(
                doc=doc,
                user=alice,
                expected_version=doc.version,
                changes={"open_questions": "Which regions go first?"},
                message="Second revision",
            ).design_doc
            current["pk"] = doc.pk
            doc = get()
            assert doc.revision_number == 2
        return doc

    return get


def _revision_number(value, doc) -> int:
    """A generated revision number folded onto 1 .. last revision + 1 (the one missing)."""
    return 1 + int(value) % (doc.revision_number + 1)


def _valid_locations(case) -> set[ParameterLocation]:
    """Where `case` was generated valid. Read before changing the case: a change makes
    schemathesis revalidate its metadata."""
    meta = case.meta
    return {
        location
        for location in ParameterLocation
        if meta is None or not meta.is_negative_at(location)
    }


def aim_at(case, doc) -> None:
    """Point the parts of `case` that were generated valid at `doc` (see the module docs)."""
    valid = _valid_locations(case)
    if ParameterLocation.PATH in valid:
        case.path_parameters["id"] = doc.pk
        if "number" in case.path_parameters:
            number = case.path_parameters["number"]
            case.path_parameters["number"] = str(_revision_number(number, doc))
    if case.path.endswith("/diff/") and ParameterLocation.QUERY in valid:
        for name in ("from", "to"):
            if isinstance(case.query.get(name), int):
                case.query[name] = _revision_number(case.query[name], doc)
    if case.method not in ("PUT", "PATCH"):
        return
    body = case.body if isinstance(case.body, dict) else None
    if body is not None and ParameterLocation.BODY in valid:
        if "owner_team" in body:
            body["owner_team"] = doc.owner_team.slug
        if "product_owner" in body:
            body["product_owner"] = doc.product_owner.get_username()
    if ParameterLocation.HEADER in valid:
        # Deterministic (hypothesis derandomizes): one case in four states no version.
        if zlib.crc32(repr(case.body).encode()) % 4:
            case.headers["If-Match"] = doc.etag
        else:
            case.headers.pop("If-Match", None)


def aim_create_at(case, team, user) -> None:
    """A create generated valid names `team` (alice's) and the user as product owner, so
    that it passes the reference checks and is written (alice) or refused as forbidden."""
    if ParameterLocation.BODY in _valid_locations(case) and isinstance(case.body, dict):
        case.body["owner_team"] = team.slug
        if "product_owner" in case.body:
            case.body["product_owner"] = user.get_username()


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(
    case, role_user, role_token, design_doc, team, wsgi_requests_keep_the_test_transaction
):
    from registry.core.tokens import token_create

    path_valid = ParameterLocation.PATH in _valid_locations(case)
    if case.path.startswith("/api/designdocs/{id}/"):
        aim_at(case, design_doc())
    elif case.path == "/api/designdocs/" and case.method == "POST":
        aim_create_at(case, team, role_user)
    elif "{designdoc_pk}" in case.path and path_valid:
        case.path_parameters["designdoc_pk"] = design_doc().pk  # the review app's operations
    elif case.path.startswith("/api/teams/{id}/") and path_valid:
        case.path_parameters["id"] = team.pk
        if "membership_id" in case.path_parameters:
            membership = team.memberships.order_by("pk").first()
            case.path_parameters["membership_id"] = membership.pk
    elif case.path == "/api/auth/tokens/{id}/" and path_valid:
        case.path_parameters["id"] = token_create(user=role_user).token.pk
    auth = {"Authorization": f"Token {role_token}"}
    GENERATED[role_user.get_username()] += 1
    response = case.call_and_validate(headers=auth, checks=CHECKS)
    assert_write_reads_back(case, response, auth)


#: What a write may answer that a GET of the object does not repeat as sent: the version
#: moves on, and the write's own instructions (the revision message) are not content.
NOT_ECHOED = {"version", "message"}


def assert_write_reads_back(case, response, auth: dict[str, str]) -> None:
    """A 2xx write is stored as answered and as sent; a 2xx DELETE leaves nothing to read."""
    # Through the same WSGI application as schemathesis (Django's test client would
    # reconnect the signal handlers that close the test's connection).
    from werkzeug.test import Client

    if not 200 <= response.status_code < 300 or case.method not in (
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
    ):
        return
    client = Client(application)
    path = case.formatted_path
    if case.method == "DELETE":
        gone = client.get(path, headers=auth)
        if gone.status_code != 405:  # a token has no GET: its revocation has its own tests
            READ_BACK[case.method] += 1
            assert gone.status_code == 404, f"{path} answered {gone.status_code} after DELETE"
        return
    written = response.json()
    if not isinstance(written, dict) or "id" not in written or "url" not in written:
        return  # not an object of the API (a token sign-in answers a key)
    READ_BACK[case.method] += 1
    url = urlsplit(written["url"]).path
    reread = client.get(url, headers=auth)
    assert reread.status_code == 200, f"{url} answered {reread.status_code}"
    stored = reread.get_json()
    assert stored == written, f"GET {url} differs from what the write answered"
    if isinstance(case.body, dict):
        for key, value in case.body.items():
            if key in stored and key not in NOT_ECHOED:
                if value is None and stored[key] in ("", []):
                    continue  # null clears a section (nullable in the schema): its empty value
                assert stored[key] == value, f"{key}: sent {value!r}, stored {stored[key]!r}"


def test_schema_lists_the_foundation_operations():
    labels = {result.ok().label for result in schema.get_all_operations()}
    assert {
        "POST /api/auth/token/",
        "GET /api/auth/tokens/",
        "DELETE /api/auth/tokens/{id}/",
        "GET /api/teams/",
        "GET /api/teams/{id}/",
    } <= labels
