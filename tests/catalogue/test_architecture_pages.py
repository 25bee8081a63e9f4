"""The architecture example pages architects write through: create, edit (diagram
replaced or removed, components with their roles), delete, with the shared page cases
(login, 404 for what the user cannot see, 403 for non-architects, the error next to its
field, nothing written on refusal, one audit event) and the cases of these forms: a bad
diagram, an SVG with a script, an unknown or duplicate component, a row without role."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalogue import services
from catalogue.models import ArchitectureExample
from registry.core.testing.api import _last_audit_id
from registry.core.testing.pages import PageViewTestCases, assert_error_next_to_field
from tests.catalogue.factories import ArchitectureFactory, ComponentFactory

pytestmark = pytest.mark.django_db

SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">'
    b'<script>alert(2)</script><rect width="5" height="5" fill="#0a0"/>'
    b'<image href="https://evil.example/x.png"/></svg>'
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def svg(content: bytes = SVG_WITH_SCRIPT, name: str = "diagram.svg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/svg+xml")


def rows(*pairs: tuple[str, str], prefix: str = "components", initial: int = 0) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(pairs)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for index, (component, role) in enumerate(pairs):
        data[f"{prefix}-{index}-component"] = component
        data[f"{prefix}-{index}-role"] = role
    return data


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def parts(db, team):
    return (
        ComponentFactory(name="Feature store", slug="feature-store", owner_team=team),
        ComponentFactory(name="Batch scoring", slug="batch-scoring", owner_team=team),
    )


class ArchitecturePages:
    model = ArchitectureExample
    writer = "bob"  # an architect
    forbidden_writer = "alice"  # a product owner, member of the owner team: not an architect
    hidden_from = "user_without_role"

    @pytest.fixture(autouse=True)
    def _fixtures(self, team, parts):
        self.team, self.parts = team, parts

    def make_object(self):
        return ArchitectureFactory(owner_team=self.team)


class TestArchitectureCreatePage(ArchitecturePages, PageViewTestCases.CreatePageTestCase):
    create_url_name = "catalogue:architecture_add"
    invalid_field = "diagram"
    invalid_message = "PNG or an SVG"
    audit_action = "architecture.create"

    def valid_data(self, obj):
        return {
            "title": "Batch forecasting",
            "summary": "Nightly forecasts from the feature store.",
            "owner_team": self.team.slug,
            "lifecycle": "production",
            "tags": "batch, forecasting",
            "problem": "Forecasts **every night**.",
            "body": "Features, then scoring.",
            "diagram": svg(),
            **rows(("feature-store", "features"), ("batch-scoring", "scores nightly")),
        }

    def invalid_data(self, obj):
        return {**self.valid_data(obj), "diagram": svg(b"just some text", "notes.txt")}

    def assert_written(self, obj, data):
        assert obj.title == "Batch forecasting" and obj.owner_team == self.team
        assert sorted(t.name for t in obj.tags.all()) == ["batch", "forecasting"]
        assert [(r.component.slug, r.role) for r in obj.component_roles.all()] == [
            ("feature-store", "features"),
            ("batch-scoring", "scores nightly"),
        ]
        assert obj.diagram_format == "svg"
        stored = obj.diagram.open("rb").read()
        assert b"<rect" in stored
        for gone in (b"script", b"onload", b"alert", b"evil.example"):
            assert gone not in stored, gone


class TestArchitectureEditPage(ArchitecturePages, PageViewTestCases.EditPageTestCase):
    write_url_name = "catalogue:architecture_edit"
    invalid_field = "tags"
    invalid_message = "not a valid tag"
    audit_action = "architecture.update"
    edited_values = {"title": "Renamed architecture", "summary": "New summary."}
    snapshot_fields = ("title", "summary")

    def valid_data(self, obj):
        return {
            "title": "Renamed architecture",
            "summary": "New summary.",
            "owner_team": self.team.slug,
            **rows(("feature-store", "features")),
        }

    def invalid_data(self, obj):
        return {**self.valid_data(obj), "tags": "two words"}


class TestArchitectureDeletePage(ArchitecturePages, PageViewTestCases.DeletePageTestCase):
    write_url_name = "catalogue:architecture_delete"
    audit_action = "architecture.delete"

    def valid_data(self, obj):
        return {}


# --- the cases of these forms ----------------------------------------------------------------


def _create_url():
    return reverse("catalogue:architecture_add")


def _valid(team, **changes):
    data = {
        "title": "Real-time recommendation",
        "summary": "Online features and a model server.",
        "owner_team": team.slug,
        "lifecycle": "experimental",
        **rows(("feature-store", "online features"), ("batch-scoring", "candidates")),
    }
    data.update(changes)
    return data


def _refused(client, url, data, field, message=None):
    count, last = ArchitectureExample.objects.count(), _last_audit_id()
    response = client.post(url, data)
    assert response.status_code == 400, response.status_code
    text = assert_error_next_to_field(response.content.decode(), field, message)
    assert ArchitectureExample.objects.count() == count and _last_audit_id() == last
    return text


def test_duplicate_component_is_an_error_on_its_row(client, bob, team, parts):
    client.force_login(bob)
    data = _valid(team, **rows(("feature-store", "features"), ("feature-store", "again")))
    _refused(client, _create_url(), data, "components-1-component", "already listed in row 1")


def test_unknown_component_is_an_error_on_its_row(client, bob, team, parts):
    client.force_login(bob)
    data = _valid(team, **rows(("feature-store", "features"), ("no-such-thing", "x")))
    _refused(client, _create_url(), data, "components-1-component", "no component “no-such-thing”")


def test_component_without_role_is_an_error_on_its_role(client, bob, team, parts):
    client.force_login(bob)
    data = _valid(team, **rows(("feature-store", "")))
    _refused(client, _create_url(), data, "components-0-role", "say its role")


def test_form_suggests_components_and_is_closed_to_users_without_role(
    client, bob, user_without_role, parts
):
    client.force_login(bob)
    page = client.get(_create_url()).content.decode()
    assert '<option value="feature-store">Feature store</option>' in page
    assert 'enctype="multipart/form-data"' in page and 'hx-post="/catalogue/preview/"' in page
    client.force_login(user_without_role)
    assert client.get(_create_url()).status_code == 403
    assert client.post(_create_url(), {"title": "x"}).status_code == 403


def test_blank_rows_are_dropped_and_rows_keep_their_order(client, bob, team, parts):
    client.force_login(bob)
    data = _valid(team, **rows(("", ""), ("batch-scoring", "second"), ("feature-store", "third")))
    response = client.post(_create_url(), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    arch = ArchitectureExample.objects.get(title="Real-time recommendation")
    assert [r.component.slug for r in arch.component_roles.all()] == [
        "batch-scoring",
        "feature-store",
    ]
    assert response["Location"] == arch.get_absolute_url()


def test_png_diagram_is_kept_as_it_is(client, bob, team, parts):
    client.force_login(bob)
    upload = SimpleUploadedFile("d.png", PNG, content_type="image/png")
    assert client.post(_create_url(), _valid(team, diagram=upload)).status_code == 302
    arch = ArchitectureExample.objects.get(title="Real-time recommendation")
    assert arch.diagram_format == "png" and arch.diagram.open("rb").read() == PNG


def test_unreadable_svg_is_refused_next_to_the_diagram(client, bob, team, parts):
    client.force_login(bob)
    data = _valid(team, diagram=svg(b"<svg><rect></svg>"))
    _refused(client, _create_url(), data, "diagram", "cannot be read")


def test_svg_with_entities_is_refused(client, bob, team, parts):
    client.force_login(bob)
    bomb = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>'
    _refused(client, _create_url(), _valid(team, diagram=svg(bomb)), "diagram")


def _with_diagram(bob, team, parts):
    return services.architecture_create(
        actor=bob,
        data={
            "title": "Batch forecasting",
            "summary": "S",
            "owner_team": team,
            "diagram": b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>',
            "components": [{"component": parts[0], "role": "features"}],
        },
    )


def test_edit_replaces_the_diagram(client, bob, team, parts, django_capture_on_commit_callbacks):
    arch = _with_diagram(bob, team, parts)
    before = arch.diagram.name
    client.force_login(bob)
    url = reverse("catalogue:architecture_edit", kwargs={"slug": arch.slug})
    page = client.get(url).content.decode()
    assert 'name="remove_diagram"' in page and "feature-store" in page
    data = {"title": arch.title, "summary": "S", "owner_team": team.slug, "diagram": svg()}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    arch.refresh_from_db()
    assert arch.diagram.name != before and b"script" not in arch.diagram.open("rb").read()
    assert not arch.diagram.storage.exists(before)  # the replaced file is gone
    # Rows not sent: the components stay as they were.
    assert [r.component_id for r in arch.component_roles.all()] == [parts[0].pk]


def test_edit_removes_the_diagram(client, bob, team, parts, django_capture_on_commit_callbacks):
    arch = _with_diagram(bob, team, parts)
    before = arch.diagram.name
    client.force_login(bob)
    url = reverse("catalogue:architecture_edit", kwargs={"slug": arch.slug})
    data = {"title": arch.title, "summary": "S", "owner_team": team.slug, "remove_diagram": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    arch.refresh_from_db()
    assert not arch.diagram and arch.diagram_format == ""
    assert before and not arch.diagram.storage.exists(before)
    assert client.get(arch.get_absolute_url()).status_code == 200


def test_edit_with_all_rows_removed_empties_the_components(client, bob, team, parts):
    arch = _with_diagram(bob, team, parts)
    client.force_login(bob)
    url = reverse("catalogue:architecture_edit", kwargs={"slug": arch.slug})
    data = {"title": arch.title, "summary": "S", "owner_team": team.slug, **rows(initial=1)}
    assert client.post(url, data).status_code == 302
    assert not arch.component_roles.exists()


def test_buttons_show_only_to_architects(client, bob, alice, team):
    arch = ArchitectureFactory(owner_team=team)
    edit = reverse("catalogue:architecture_edit", kwargs={"slug": arch.slug})
    delete = reverse("catalogue:architecture_delete", kwargs={"slug": arch.slug})
    add = reverse("catalogue:architecture_add")
    client.force_login(bob)
    detail, browse = (
        client.get(u).content.decode() for u in (arch.get_absolute_url(), "/catalogue/")
    )
    assert f'href="{edit}"' in detail and f'href="{delete}"' in detail
    assert f'href="{add}"' in browse and "Add architecture example" in browse
    client.force_login(alice)
    detail, browse = (
        client.get(u).content.decode() for u in (arch.get_absolute_url(), "/catalogue/")
    )
    assert f'href="{edit}"' not in detail and f'href="{delete}"' not in detail
    assert f'href="{add}"' not in browse


def test_delete_page_names_the_design_docs_that_adopted_it(client, bob, alice, team):
    from tests.designdocs.factories import DesignDocFactory

    arch = ArchitectureFactory(owner_team=team)
    DesignDocFactory(
        title="Demand forecast", owner_team=team, product_owner=alice
    ).adopted_architectures.add(arch)
    client.force_login(bob)
    url = reverse("catalogue:architecture_delete", kwargs={"slug": arch.slug})
    assert "Demand forecast" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("catalogue:browse")
    assert not ArchitectureExample.objects.filter(pk=arch.pk).exists()


def test_markdown_preview_renders_through_the_sanitiser(client, bob):
    client.force_login(bob)
    url = reverse("catalogue:markdown_preview")
    response = client.post(url, {"preview": "body", "body": "**bold** <script>x()</script>"})
    html = response.content.decode()
    assert response.status_code == 200 and "<strong>bold</strong>" in html
    assert "<script>" not in html
    assert client.post(url, {"preview": "title", "title": "x"}).status_code == 400
    assert client.get(url).status_code == 405
    refused = client.post(url, {"preview": "body", "body": "a\x00b"})
    assert refused.status_code == 200 and "field-error" in refused.content.decode()
    assert Client().post(url, {"preview": "body", "body": "x"}).status_code == 302


class TestBrowseListedThroughThePages(PageViewTestCases.ListPageTestCase):
    """Browse at a fixed number of queries with entries as the pages make them: tags,
    diagram, components."""

    model = ArchitectureExample
    list_url_name = "catalogue:browse"

    @pytest.fixture(autouse=True)
    def _fixtures(self, bob, team, parts):
        self.bob, self.team, self.parts = bob, team, parts
        self.n = 0

    def make_object(self):
        self.n += 1
        return services.architecture_create(
            actor=self.bob,
            data={
                "title": f"Example {self.n}",
                "summary": "S",
                "owner_team": self.team,
                "tags": ["batch", f"t{self.n}"],
                "diagram": b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>',
                "components": [{"component": c, "role": "part"} for c in self.parts],
            },
        )


def test_edit_form_starts_from_the_stored_values(client, bob, team, parts):
    arch = _with_diagram(bob, team, parts)
    arch.problem = "Forecasts are late."
    arch.save()
    arch.tags.create(name="batch")
    client.force_login(bob)
    html = client.get(reverse("catalogue:architecture_edit", kwargs={"slug": arch.slug})).content
    html = html.decode()
    assert 'name="title" value="Batch forecasting"' in html
    assert "Forecasts are late." in html and 'value="batch"' in html
    assert 'value="feature-store"' in html and 'value="features"' in html


def test_deleting_an_example_deletes_its_diagram_file_once_committed(
    bob, team, parts, django_capture_on_commit_callbacks
):
    arch = _with_diagram(bob, team, parts)
    name, storage = arch.diagram.name, arch.diagram.storage
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.architecture_delete(actor=bob, architecture=arch)
    assert storage.exists(name)  # not before the commit
    for callback in callbacks:
        callback()
    assert not storage.exists(name)
