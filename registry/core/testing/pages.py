"""Page test cases: every app's pages get the same checks by declaring a few attributes,
as `APIViewTestCases` does for the API (NetBox's `ViewTestCases`).

    from registry.core.testing.pages import PageViewTestCases

    class TestDesignDocPages(
        PageViewTestCases.ListPageTestCase, PageViewTestCases.DetailPageTestCase
    ):
        model = DesignDoc
        list_url_name = "designdocs:designdoc_list"
        detail_url_name = "designdocs:designdoc"  # reversed with url_kwargs(obj)
        reader = "viewer"                         # fixture names of users (tests/conftest.py)
        hidden_from = "user_without_role"         # signed in, must not see the object

        def make_object(self):
            return DesignDocFactory()

The cases (mix in what the app has):

- `ListPageTestCase`: anonymous -> the login page; `hidden_from` -> 200 without the object;
  `reader` -> 200 with a link to the object; the query count does not grow with the rows.
- `DetailPageTestCase`: anonymous -> login; `hidden_from` -> 404; `reader` -> 200 naming it.
- `CreatePageTestCase`, `EditPageTestCase`, `DeletePageTestCase`: anonymous GET and POST ->
  login, nothing written; `hidden_from` -> 404 (edit, delete); `forbidden_writer` -> 403 on
  GET and POST, nothing written, no audit event; `writer` -> the form (200); invalid data ->
  400 with the error inside the wrapper of the field it is about (`invalid_field`, the
  input's name), the input marked `aria-invalid`, nothing written; valid data -> a redirect,
  the change stored and one audit event with the action, the object and the actor.

"Nothing written" is `state(obj)`: the model's row count, the object's `snapshot_fields`,
and the newest audit event id. Users are fixture names, signed in with `force_login`.
`assert_login_redirect` and `assert_error_next_to_field` are usable on their own.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.shortcuts import resolve_url
from django.test import Client
from django.test.html import Element, parse_html
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from registry.core.testing.api import _last_audit_id, assert_audit_event


def parameterless_urls(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every URL of the project that takes no parameter; of the admin, its index only.

    New pages join checks built on this automatically (CSP, static manifest, no 500s).
    """
    resolver = resolver or get_resolver()
    urls = []
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if any(marker in route for marker in ("<", "(", "*", "+", "?")):
            continue
        route = route.lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            if route == "admin/":
                urls.append("/" + prefix + route)
            else:
                urls.extend(parameterless_urls(pattern, prefix + route))
        elif isinstance(pattern, URLPattern):
            urls.append("/" + prefix + route)
    return sorted(set(urls))


# --- assertions usable on their own ------------------------------------------------------------


def assert_login_redirect(response, path: str) -> None:
    """The response sends an anonymous visitor to the login page, coming back to `path`."""
    assert response.status_code == 302, (
        f"expected a redirect to the login page, got {response.status_code}"
    )
    location = response["Location"]
    login = resolve_url(settings.LOGIN_URL)
    assert location.startswith(login), f"redirected to {location}, not to the login page"
    assert "next=" in location, location


def _walk(element, parents=()):
    if isinstance(element, Element):
        yield element, parents
        for child in element.children:
            yield from _walk(child, (*parents, element))


def _attrs(element: Element) -> dict[str, str]:
    return {name: value or "" for name, value in element.attributes}


def _classes(element: Element) -> set[str]:
    return set(_attrs(element).get("class", "").split())


def _text(element) -> str:
    if isinstance(element, str):
        return element
    return " ".join(_text(child) for child in element.children)


def assert_error_next_to_field(html: str, field: str, message: str | None = None) -> str:
    """The input named `field` sits in a `.field` wrapper that shows an error (a
    `.field-error` element, with `message` if given), and is marked `aria-invalid` and
    described by that error. Returns the error's text."""
    inputs = [
        (element, parents)
        for element, parents in _walk(parse_html(html))
        if element.name in {"input", "select", "textarea"} and _attrs(element).get("name") == field
    ]
    assert inputs, f"the page has no input named {field!r}"
    element, parents = inputs[0]
    wrappers = [p for p in parents if "field" in _classes(p)]
    assert wrappers, f"the input {field!r} is not inside a .field wrapper"
    errors = [e for e, _ in _walk(wrappers[-1]) if "field-error" in _classes(e)]
    text = " ".join(_text(e) for e in errors).strip()
    assert text, f"no error is shown next to {field!r} (errors elsewhere do not count)"
    if message is not None:
        assert message in text, f"{message!r} not in the error next to {field!r}: {text!r}"
    attrs = _attrs(element)
    assert attrs.get("aria-invalid") == "true", f"{field!r} is not marked aria-invalid"
    error_ids = {_attrs(e).get("id") for e in errors} - {None, ""}
    described = set(attrs.get("aria-describedby", "").split())
    assert error_ids & described, f"{field!r} is not described by its error ({error_ids})"
    return text


# --- the cases ------------------------------------------------------------------------------------


class PageTestCase:
    """What every case needs. Subclasses declare the attributes below."""

    pytestmark: ClassVar = [pytest.mark.django_db]

    model: ClassVar[type[Model]]
    reader: ClassVar[str] = "viewer"
    hidden_from: ClassVar[str] = "user_without_role"
    writer: ClassVar[str] = "superuser"
    forbidden_writer: ClassVar[str] = "viewer"
    #: fields of the object that a refused write must leave as they were
    snapshot_fields: ClassVar[tuple[str, ...]] = ()

    def make_object(self) -> Model:
        """A new object, visible to `reader` (and `writer`). Called several times by lists."""
        raise NotImplementedError(f"{type(self).__name__} must define make_object()")

    def url_kwargs(self, obj: Model) -> dict[str, Any]:
        return {"slug": obj.slug}

    def object_url(self, url_name: str, obj: Model) -> str:
        return reverse(url_name, kwargs=self.url_kwargs(obj))

    def client_for(self, request: pytest.FixtureRequest, role_attribute: str | None) -> Client:
        client = Client()
        if role_attribute is not None:
            client.force_login(self.user(request, role_attribute))
        return client

    def user(self, request: pytest.FixtureRequest, role_attribute: str):
        return request.getfixturevalue(getattr(self, role_attribute))

    def state(self, obj: Model | None = None) -> tuple:
        """What a refused write leaves as it was."""
        fields = None
        if obj is not None:
            fresh = type(obj)._default_manager.filter(pk=obj.pk)
            fields = fresh.values(*self.snapshot_fields).first() if self.snapshot_fields else None
            fields = (fresh.exists(), fields)
        return self.model._default_manager.count(), fields, _last_audit_id()


def _html(response) -> str:
    return response.content.decode()


class _WritePage(PageTestCase):
    """Shared by create, edit and delete: a form page whose POST calls a service."""

    #: the input (by name) the error of the invalid data must appear next to
    invalid_field: ClassVar[str]
    #: text the error must contain (None: any error)
    invalid_message: ClassVar[str | None] = None
    audit_action: ClassVar[str]
    refused_status: ClassVar[int] = 400

    def write_url(self, obj: Model | None) -> str:
        raise NotImplementedError

    def target(self) -> Model | None:
        """The object the page writes to (none for a create page)."""
        return self.make_object()

    def valid_data(self, obj: Model | None) -> dict[str, Any]:
        raise NotImplementedError(f"{type(self).__name__} must define valid_data()")

    def invalid_data(self, obj: Model | None) -> dict[str, Any]:
        raise NotImplementedError(f"{type(self).__name__} must define invalid_data()")

    def test_page_sends_anonymous_to_login_and_writes_nothing(self):
        obj = self.target()
        url, before = self.write_url(obj), self.state(obj)
        assert_login_redirect(Client().get(url), url)
        assert_login_redirect(Client().post(url, self.valid_data(obj)), url)
        assert self.state(obj) == before, "an anonymous post changed stored data"

    def test_page_refuses_forbidden_writer_with_403_and_writes_nothing(self, request):
        client = self.client_for(request, "forbidden_writer")
        obj = self.target()
        url, before = self.write_url(obj), self.state(obj)
        response = client.get(url)
        assert response.status_code == 403, f"expected 403 on GET, got {response.status_code}"
        response = client.post(url, self.valid_data(obj))
        assert response.status_code == 403, f"expected 403 on POST, got {response.status_code}"
        assert self.state(obj) == before, "a forbidden post changed stored data"

    def test_page_shows_the_form_to_writer(self, request):
        obj = self.target()
        response = self.client_for(request, "writer").get(self.write_url(obj))
        assert response.status_code == 200, f"expected 200, got {response.status_code}"
        assert "<form" in _html(response)

    def test_invalid_post_shows_the_error_next_to_its_field_and_writes_nothing(self, request):
        obj = self.target()
        client = self.client_for(request, "writer")
        before = self.state(obj)
        response = client.post(self.write_url(obj), self.invalid_data(obj))
        assert response.status_code == self.refused_status, (
            f"expected {self.refused_status}, got {response.status_code}"
        )
        assert_error_next_to_field(_html(response), self.invalid_field, self.invalid_message)
        assert self.state(obj) == before, "a refused post changed stored data"

    def written(self, obj: Model | None, response) -> Model:
        """The object the valid post wrote (reloaded)."""
        raise NotImplementedError

    def assert_written(self, obj: Model, data: dict[str, Any]) -> None:
        """The valid post's change is stored. Override for what plain fields cannot say."""

    def test_valid_post_writes_redirects_and_records_audit_event(self, request):
        obj = self.target()
        writer = self.user(request, "writer")
        client, last_audit = self.client_for(request, "writer"), _last_audit_id()
        data = self.valid_data(obj)
        response = client.post(self.write_url(obj), data)
        assert response.status_code == 302, (
            f"expected a redirect after the write, got {response.status_code}"
        )
        written = self.written(obj, response)
        self.assert_written(written, data)
        assert_audit_event(action=self.audit_action, obj=written, actor=writer, since_id=last_audit)


class _ObjectWritePage(_WritePage):
    """Edit and delete: a page of one object, which `hidden_from` may not see."""

    write_url_name: ClassVar[str]

    def write_url(self, obj: Model | None) -> str:
        return self.object_url(self.write_url_name, obj)

    def test_page_hides_object_from_user_without_permission(self, request):
        obj = self.make_object()
        client = self.client_for(request, "hidden_from")
        url, before = self.write_url(obj), self.state(obj)
        assert client.get(url).status_code == 404, "the page shows an object the user may not see"
        assert client.post(url, self.valid_data(obj)).status_code == 404
        assert self.state(obj) == before


class PageViewTestCases:
    class ListPageTestCase(PageTestCase):
        list_url_name: ClassVar[str]

        def list_url(self) -> str:
            return reverse(self.list_url_name)

        def listed(self, obj: Model) -> str:
            """What shows that `obj` is on the page (default: a link to it)."""
            return f'href="{obj.get_absolute_url()}"'

        def test_list_sends_anonymous_to_login(self):
            self.make_object()
            assert_login_redirect(Client().get(self.list_url()), self.list_url())

        def test_list_hides_objects_from_user_without_permission(self, request):
            obj = self.make_object()
            response = self.client_for(request, "hidden_from").get(self.list_url())
            assert response.status_code == 200, f"expected 200, got {response.status_code}"
            assert self.listed(obj) not in _html(response), "the list shows a hidden object"

        def test_list_shows_object_to_reader(self, request):
            obj = self.make_object()
            response = self.client_for(request, "reader").get(self.list_url())
            assert response.status_code == 200, f"expected 200, got {response.status_code}"
            assert self.listed(obj) in _html(response), "the list does not show the object"

        def test_list_query_count_does_not_grow_with_rows(self, request):
            client = self.client_for(request, "reader")
            self.make_object()
            client.get(self.list_url())  # session, caches: what every request pays once
            with CaptureQueriesContext(connection) as one_row:
                assert client.get(self.list_url()).status_code == 200
            for _ in range(3):
                self.make_object()
            with CaptureQueriesContext(connection) as four_rows:
                assert client.get(self.list_url()).status_code == 200
            assert len(four_rows) == len(one_row), (
                f"{len(one_row)} queries for one row but {len(four_rows)} for four.\n"
                + "\n".join(q["sql"] for q in four_rows.captured_queries)
            )

    class DetailPageTestCase(PageTestCase):
        detail_url_name: ClassVar[str]

        def shown(self, obj: Model) -> str:
            """Text the page of `obj` must hold (default: its str, HTML-escaped)."""
            from django.utils.html import escape

            return escape(str(obj))

        def test_detail_sends_anonymous_to_login(self):
            url = self.object_url(self.detail_url_name, self.make_object())
            assert_login_redirect(Client().get(url), url)

        def test_detail_hides_object_from_user_without_permission(self, request):
            url = self.object_url(self.detail_url_name, self.make_object())
            response = self.client_for(request, "hidden_from").get(url)
            assert response.status_code == 404, f"expected 404, got {response.status_code}"

        def test_detail_shows_object_to_reader(self, request):
            obj = self.make_object()
            response = self.client_for(request, "reader").get(
                self.object_url(self.detail_url_name, obj)
            )
            assert response.status_code == 200, f"expected 200, got {response.status_code}"
            assert self.shown(obj) in _html(response), "the page does not show the object"

    class CreatePageTestCase(_WritePage):
        create_url_name: ClassVar[str]

        def target(self) -> None:
            return None

        def write_url(self, obj: Model | None) -> str:
            return reverse(self.create_url_name)

        def written(self, obj: Model | None, response) -> Model:
            newest = self.model._default_manager.order_by("-pk").first()
            assert newest is not None, "the valid post created nothing"
            return newest

    class EditPageTestCase(_ObjectWritePage):
        #: fields and the values the valid post must store (compared after reloading)
        edited_values: ClassVar[dict[str, Any]] = {}

        def written(self, obj: Model | None, response) -> Model:
            obj.refresh_from_db()
            return obj

        def assert_written(self, obj: Model, data: dict[str, Any]) -> None:
            stored = {field: getattr(obj, field) for field in self.edited_values}
            assert stored == self.edited_values, f"stored {stored}, sent {self.edited_values}"

    class DeletePageTestCase(_ObjectWritePage):
        invalid_field = ""

        def invalid_data(self, obj):
            return {}

        # A delete form has no field to get wrong: not collected.
        test_invalid_post_shows_the_error_next_to_its_field_and_writes_nothing = None

        def written(self, obj: Model | None, response) -> Model:
            assert not type(obj)._default_manager.filter(pk=obj.pk).exists(), "not deleted"
            return obj
