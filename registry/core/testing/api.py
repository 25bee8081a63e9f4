"""Shared API test cases: every model's API gets the same checks by declaring a few attributes.

Modelled on NetBox's `APIViewTestCases`. A test class in `tests/` inherits the cases that
apply and says what to build and who may do what; the cases supply the tests:

    from registry.core.testing import APIViewTestCases
    from tests.designdocs.factories import DesignDocFactory

    class TestDesignDocAPI(APIViewTestCases.APIViewTestCase):
        basename = "designdoc"                 # router basename: api:designdoc-list/-detail
        model = DesignDoc
        reader = "viewer"                      # fixture names of users (see tests/conftest.py)
        hidden_from = "user_without_role"      # signed in, must not see the object (404/empty)
        writer = "alice"                       # may create/update/delete
        forbidden_writer = "dave"              # sees the object but may not change it (403)
        create_action = "designdoc.create"     # AuditEvent.action each write must record
        update_action = "designdoc.update"
        delete_action = "designdoc.delete"
        invalid_field = "title"                # named in `errors` for invalid_create_data

        def make_object(self):                 # an object `reader` may see
            return DesignDocFactory()

        def create_data(self):
            return {"title": "Churn model", "owner_team": TeamFactory().slug}

        invalid_create_data = {"title": ""}
        update_data = {"title": "Churn model v2"}

        def update_headers(self, obj):         # e.g. optimistic concurrency
            return {"HTTP_IF_MATCH": f'"{obj.pk}-{obj.version}"'}

The cases (mix in what the endpoint supports):

- `GetObjectViewTestCase`: anonymous -> 401 in the error shape; `hidden_from` -> 404;
  `reader` -> 200 with the object's id.
- `ListObjectsViewTestCase`: anonymous -> 401; `hidden_from` -> empty list; `reader` -> 200,
  paginated, containing the object; the query count does not grow with the number of rows.
- `CreateObjectViewTestCase`, `UpdateObjectViewTestCase`, `DeleteObjectViewTestCase`:
  anonymous -> 401; `forbidden_writer` -> 403 and nothing changes, no audit event;
  invalid data -> 400 naming `invalid_field` in `errors`; `writer` -> 201/200/204 and one
  AuditEvent with the action code, the object and the actor.
- `WritesNotAllowedTestCase`: POST/PUT/PATCH/DELETE answer 405 in the error shape.
- `APIViewTestCase` = all five read/write cases; `ReadOnlyAPIViewTestCase` = get, list and
  writes-not-allowed.

Users are fixture names, resolved with `request.getfixturevalue`, so any fixture returning a
user works. Clients authenticate with a real API token (`Authorization: Token ...`).
`api_namespace` changes the URL namespace (default `api`). The helpers `assert_error_shape`
and `assert_audit_event` are usable on their own.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

ERROR_KEYS = {"status", "code", "message", "errors"}


def assert_error_shape(response, status: int, *, code: str | None = None) -> dict[str, Any]:
    """The response is JSON in the API's one error shape, with this status (and code)."""
    assert response.status_code == status, (
        f"expected {status}, got {response.status_code}: {response.content[:500]!r}"
    )
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) >= ERROR_KEYS, f"not the error shape: {body!r}"
    assert body["status"] == status, body
    assert isinstance(body["message"], str) and body["message"], body
    assert isinstance(body["errors"], dict), body
    if code is not None:
        assert body["code"] == code, body
    return body


def assert_audit_event(*, action: str, obj: Model, actor, since_id: int = 0):
    """Exactly one AuditEvent newer than `since_id` records `actor` doing `action` to `obj`."""
    from registry.core.models import AuditEvent

    events = list(AuditEvent.objects.filter(id__gt=since_id, action=action))
    assert len(events) == 1, (
        f"expected one {action!r} audit event, found {len(events)}: "
        f"{list(AuditEvent.objects.filter(id__gt=since_id).values_list('action', flat=True))}"
    )
    event = events[0]
    assert event.object_type == obj._meta.label_lower, event.object_type
    assert event.object_id == str(obj.pk), (event.object_id, obj.pk)
    assert event.actor_id == actor.pk, (event.actor_username, actor.get_username())
    return event


def _last_audit_id() -> int:
    from registry.core.models import AuditEvent

    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def api_token_key(user) -> str:
    """The key of a new API token of `user`, made by the service, and counted as used just
    now: the first request of a minute also records the token's use (one UPDATE), which
    would otherwise make a test's first request run one query more than the next ones."""
    from django.utils import timezone

    from registry.core.tokens import token_create

    created = token_create(user=user)
    type(created.token).objects.filter(pk=created.token.pk).update(last_used_at=timezone.now())
    return created.key


def _client(user=None):
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return client


def _results(response) -> list[dict[str, Any]]:
    body = response.json()
    assert isinstance(body, dict) and "results" in body, f"not a paginated list: {body!r}"
    return body["results"]


class APITestCase:
    """What every case needs. Subclasses declare the attributes below."""

    pytestmark: ClassVar = [pytest.mark.django_db]

    api_namespace: ClassVar[str] = "api"
    basename: ClassVar[str]
    model: ClassVar[type[Model]]
    reader: ClassVar[str] = "viewer"
    hidden_from: ClassVar[str] = "user_without_role"
    writer: ClassVar[str] = "superuser"
    forbidden_writer: ClassVar[str] = "viewer"
    lookup_field: ClassVar[str] = "pk"

    def make_object(self) -> Model:
        """A new object, visible to `reader`. Called several times by the list checks."""
        raise NotImplementedError(f"{type(self).__name__} must define make_object()")

    def list_url(self) -> str:
        return reverse(f"{self.api_namespace}:{self.basename}-list")

    def detail_url(self, obj: Model) -> str:
        return reverse(
            f"{self.api_namespace}:{self.basename}-detail",
            kwargs={self.lookup_field: getattr(obj, self.lookup_field)},
        )

    def user(self, request: pytest.FixtureRequest, role_attribute: str):
        return request.getfixturevalue(getattr(self, role_attribute))


class APIViewTestCases:
    class GetObjectViewTestCase(APITestCase):
        def test_get_refuses_anonymous_with_401_error_shape(self):
            response = _client().get(self.detail_url(self.make_object()))
            assert_error_shape(response, 401)
            assert response.has_header("WWW-Authenticate")

        def test_get_hides_object_from_user_without_permission(self, request):
            obj = self.make_object()
            response = _client(self.user(request, "hidden_from")).get(self.detail_url(obj))
            assert_error_shape(response, 404)

        def test_get_returns_object_to_permitted_user(self, request):
            obj = self.make_object()
            response = _client(self.user(request, "reader")).get(self.detail_url(obj))
            assert response.status_code == 200, response.content[:500]
            assert response.json()["id"] == obj.pk

    class ListObjectsViewTestCase(APITestCase):
        def test_list_refuses_anonymous_with_401_error_shape(self):
            self.make_object()
            assert_error_shape(_client().get(self.list_url()), 401)

        def test_list_is_empty_for_user_without_permission(self, request):
            self.make_object()
            response = _client(self.user(request, "hidden_from")).get(self.list_url())
            assert response.status_code == 200, response.content[:500]
            assert _results(response) == [], "a user without permission sees objects"
            assert response.json()["count"] == 0

        def test_list_shows_object_to_permitted_user(self, request):
            obj = self.make_object()
            response = _client(self.user(request, "reader")).get(self.list_url())
            assert response.status_code == 200, response.content[:500]
            assert obj.pk in [row["id"] for row in _results(response)]

        def test_list_query_count_does_not_grow_with_rows(self, request):
            client = _client(self.user(request, "reader"))
            self.make_object()
            with CaptureQueriesContext(connection) as one_row:
                assert client.get(self.list_url()).status_code == 200
            for _ in range(3):
                self.make_object()
            with CaptureQueriesContext(connection) as four_rows:
                response = client.get(self.list_url())
            assert response.status_code == 200
            assert len(_results(response)) >= 4
            assert len(four_rows) == len(one_row), (
                f"{len(one_row)} queries for one row but {len(four_rows)} for four: "
                "add select_related/prefetch_related to the selector.\n"
                + "\n".join(q["sql"] for q in four_rows.captured_queries)
            )

    class CreateObjectViewTestCase(APITestCase):
        create_action: ClassVar[str]
        invalid_field: ClassVar[str]
        invalid_create_data: ClassVar[dict[str, Any]]

        def create_data(self) -> dict[str, Any]:
            raise NotImplementedError(f"{type(self).__name__} must define create_data()")

        def test_create_refuses_anonymous_with_401_error_shape(self):
            before = self.model.objects.count()
            assert_error_shape(_client().post(self.list_url(), self.create_data()), 401)
            assert self.model.objects.count() == before

        def test_create_refuses_forbidden_user_with_403_and_changes_nothing(self, request):
            client = _client(self.user(request, "forbidden_writer"))
            data, before, last_audit = (
                self.create_data(),
                self.model.objects.count(),
                _last_audit_id(),
            )
            assert_error_shape(client.post(self.list_url(), data), 403)
            assert self.model.objects.count() == before
            assert _last_audit_id() == last_audit

        def test_create_rejects_invalid_data_with_400_naming_the_field(self, request):
            client = _client(self.user(request, "writer"))
            before, last_audit = self.model.objects.count(), _last_audit_id()
            body = assert_error_shape(client.post(self.list_url(), self.invalid_create_data), 400)
            assert self.invalid_field in body["errors"], f"{self.invalid_field!r} not named: {body}"
            assert self.model.objects.count() == before
            assert _last_audit_id() == last_audit

        def test_create_by_permitted_user_records_audit_event(self, request):
            writer = self.user(request, "writer")
            data, last_audit = self.create_data(), _last_audit_id()
            response = _client(writer).post(self.list_url(), data)
            assert response.status_code == 201, response.content[:500]
            obj = self.model.objects.get(pk=response.json()["id"])
            assert_audit_event(
                action=self.create_action, obj=obj, actor=writer, since_id=last_audit
            )

    class UpdateObjectViewTestCase(APITestCase):
        update_action: ClassVar[str]
        update_data: ClassVar[dict[str, Any]]
        invalid_field: ClassVar[str]
        invalid_update_data: ClassVar[dict[str, Any] | None] = None

        def update_headers(self, obj: Model) -> dict[str, str]:
            """Extra request headers an update needs (e.g. If-Match)."""
            return {}

        def snapshot(self, obj: Model) -> dict[str, Any]:
            """What `update_data` changes, read from `obj`; after a successful update it must
            equal `update_data`. Override when the data is not plain field values."""
            return {field: getattr(obj, field) for field in self.update_data}

        def test_update_refuses_anonymous_with_401_error_shape(self):
            obj = self.make_object()
            response = _client().patch(
                self.detail_url(obj), self.update_data, **self.update_headers(obj)
            )
            assert_error_shape(response, 401)

        def test_update_refuses_forbidden_user_with_403_and_changes_nothing(self, request):
            obj = self.make_object()
            client = _client(self.user(request, "forbidden_writer"))
            before, last_audit = self.snapshot(obj), _last_audit_id()
            response = client.patch(
                self.detail_url(obj), self.update_data, **self.update_headers(obj)
            )
            assert_error_shape(response, 403)
            obj.refresh_from_db()
            assert self.snapshot(obj) == before
            assert _last_audit_id() == last_audit

        def test_update_rejects_invalid_data_with_400_naming_the_field(self, request):
            obj = self.make_object()
            data = self.invalid_update_data or self.invalid_create_data
            client = _client(self.user(request, "writer"))
            before, last_audit = self.snapshot(obj), _last_audit_id()
            response = client.patch(self.detail_url(obj), data, **self.update_headers(obj))
            body = assert_error_shape(response, 400)
            assert self.invalid_field in body["errors"], f"{self.invalid_field!r} not named: {body}"
            obj.refresh_from_db()
            assert self.snapshot(obj) == before
            assert _last_audit_id() == last_audit

        def test_update_by_permitted_user_records_audit_event(self, request):
            obj = self.make_object()
            writer, last_audit = self.user(request, "writer"), _last_audit_id()
            response = _client(writer).patch(
                self.detail_url(obj), self.update_data, **self.update_headers(obj)
            )
            assert response.status_code == 200, response.content[:500]
            obj.refresh_from_db()
            assert self.snapshot(obj) == self.update_data
            assert_audit_event(
                action=self.update_action, obj=obj, actor=writer, since_id=last_audit
            )

    class DeleteObjectViewTestCase(APITestCase):
        delete_action: ClassVar[str]

        def delete_headers(self, obj: Model) -> dict[str, str]:
            return {}

        def test_delete_refuses_anonymous_with_401_error_shape(self):
            obj = self.make_object()
            assert_error_shape(
                _client().delete(self.detail_url(obj), **self.delete_headers(obj)), 401
            )
            assert self.model.objects.filter(pk=obj.pk).exists()

        def test_delete_refuses_forbidden_user_with_403_and_changes_nothing(self, request):
            obj = self.make_object()
            client = _client(self.user(request, "forbidden_writer"))
            last_audit = _last_audit_id()
            assert_error_shape(client.delete(self.detail_url(obj), **self.delete_headers(obj)), 403)
            assert self.model.objects.filter(pk=obj.pk).exists()
            assert _last_audit_id() == last_audit

        def test_delete_by_permitted_user_records_audit_event(self, request):
            obj = self.make_object()
            writer, last_audit = self.user(request, "writer"), _last_audit_id()
            response = _client(writer).delete(self.detail_url(obj), **self.delete_headers(obj))
            assert response.status_code == 204, response.content[:500]
            assert not self.model.objects.filter(pk=obj.pk).exists()
            assert_audit_event(
                action=self.delete_action, obj=obj, actor=writer, since_id=last_audit
            )

    class WritesNotAllowedTestCase(APITestCase):
        def test_writes_answer_405_in_error_shape(self, request):
            client = _client(self.user(request, "writer"))
            obj = self.make_object()
            before = self.model.objects.count()
            assert_error_shape(client.post(self.list_url(), {}), 405)
            for method in ("put", "patch", "delete"):
                assert_error_shape(getattr(client, method)(self.detail_url(obj), {}), 405)
            assert self.model.objects.count() == before

    class ReadOnlyAPIViewTestCase(
        GetObjectViewTestCase, ListObjectsViewTestCase, WritesNotAllowedTestCase
    ):
        pass

    class APIViewTestCase(
        GetObjectViewTestCase,
        ListObjectsViewTestCase,
        CreateObjectViewTestCase,
        UpdateObjectViewTestCase,
        DeleteObjectViewTestCase,
    ):
        pass
