"""Hostile input, on every endpoint that writes a design document: each case is a 4xx (the
htmx preview: its error partial) naming the field, in debug and production mode, and the
database is unchanged (documents, revisions, audit events; the document's version).

Add an endpoint to ENDPOINTS, or a case to CASES: every pair the endpoint can carry runs.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from designdocs.content import content_of
from designdocs.markdown_io import FORMAT
from designdocs.models import DesignDoc, Revision
from designdocs.sections import METADATA_KEYS, NARRATIVE_KEYS, ROW_KEYS
from registry.core.models import AuditEvent
from registry.core.testing.api import assert_error_shape
from registry.core.testing.hostile import (
    HOSTILE_STRINGS,
    INVISIBLE_STRINGS,
    ROOT,
    WRONG_CHOICE_VALUES,
    Deep,
    HostileCase,
    HostileEndpoint,
    ManyKeys,
    ManyRows,
    assert_generated_input_handled,
    assert_refused,
    db_state,
    get_path,
    hostile_params,
    json_text,
    with_changes,
)
from registry.core.testing.strategies import form_safe, hostile_json, hostile_text
from tests.designdocs.factories import FullDesignDocFactory, risk_row

# --- how each endpoint carries a case -------------------------------------------------------


def api_errors(response) -> dict[str, list[str]]:
    return assert_error_shape(response, response.status_code)["errors"]


def _api(method: str, *, detail: bool):
    def send(ctx, changes):
        base: dict[str, Any] = {"title": "Hostile", "owner_team": ctx.team.slug}
        headers = {}
        if detail:
            base = content_of(ctx.doc) if method == "put" else {}
            headers = {"HTTP_IF_MATCH": ctx.doc.etag}
        if any(p.startswith("risks.") for p in changes) and "risks" not in base:
            base["risks"] = [risk_row()]  # the row the change goes into
        path = (
            reverse("api:designdoc-detail", kwargs={"pk": ctx.doc.pk})
            if detail
            else reverse("api:designdoc-list")
        )
        body = json_text(with_changes(base, changes))
        return getattr(ctx.api, method)(path, body, content_type="application/json", **headers)

    return send


def markdown_file(ctx, changes) -> str:
    """A valid import file for `ctx.team` with `changes` applied: narrative sections in the
    body, everything else in the front matter (written as JSON, which is YAML too)."""
    content = content_of(ctx.doc)
    content["title"] = "Imported"
    front = {"format": FORMAT, **{k: content[k] for k in METADATA_KEYS + ROW_KEYS}}
    body = {k: content[k] for k in NARRATIVE_KEYS}
    front_changes = {p: v for p, v in changes.items() if p.split(".")[0] not in NARRATIVE_KEYS}
    front = with_changes(front, front_changes)
    for path, value in changes.items():
        if path in NARRATIVE_KEYS:
            body[path] = value
    sections = "".join(f"\n<!-- section: {k} -->\n## {k}\n\n{v}\n" for k, v in body.items())
    return f"---\n{json_text(front)}\n---\n{sections}"


def api_import(ctx, changes):
    body = json_text({"markdown": markdown_file(ctx, changes)})
    return ctx.api.post(
        reverse("api:designdoc-import-markdown"), body, content_type="application/json"
    )


def page_import(ctx, changes):
    # A lone surrogate cannot be UTF-8: the bytes a client could send instead are the
    # surrogate's three-byte form, which the import must refuse as not UTF-8.
    data = markdown_file(ctx, changes).encode("utf-8", "surrogatepass")
    upload = SimpleUploadedFile("hostile.md", data, content_type="text/markdown")
    return ctx.client.post(reverse("designdocs:designdoc_import"), {"file": upload})


def page_import_errors(response) -> dict[str, list[str]]:
    return {"file": list(response.context["errors"])} if response.context["errors"] else {}


def details_page(ctx, changes):
    content = content_of(ctx.doc)
    data = {
        "title": content["title"],
        "owner_team": content["owner_team"],
        "co_authors": ", ".join(content["co_authors"]),
        "message": "",
        "version": str(ctx.doc.version),
        **changes,
    }
    return ctx.client.post(
        reverse("designdocs:designdoc_edit", kwargs={"slug": ctx.doc.slug}), data
    )


def form_errors(response) -> dict[str, list[str]]:
    form = response.context["form"]
    return {("non_field_errors" if k == "__all__" else k): v for k, v in form.errors.items()}


def rows_page(ctx, changes):
    rows = [risk_row(likelihood=2, impact=2)]
    data = {"version": str(ctx.doc.version), "message": "", "risks-INITIAL_FORMS": "0"}
    total = len(rows)
    for path, value in changes.items():
        if isinstance(value, ManyRows):
            total = value.declared
        elif path.startswith("risks."):
            _, index, name = path.split(".")
            rows[int(index)][name] = value
        else:
            data[path] = value
    data["risks-TOTAL_FORMS"] = str(total)
    for index, row in enumerate(rows):
        data.update({f"risks-{index}-{name}": str(value) for name, value in row.items()})
    path = reverse("designdocs:section_edit", kwargs={"slug": ctx.doc.slug, "section_key": "risks"})
    return ctx.client.post(path, data)


def narrative_page(ctx, changes):
    data = {
        "version": str(ctx.doc.version),
        "message": changes.get("message", ""),
        "text": changes.get("problem_statement", "Fine text."),
    }
    path = reverse(
        "designdocs:section_edit", kwargs={"slug": ctx.doc.slug, "section_key": "problem_statement"}
    )
    return ctx.client.post(path, data)


def editor_errors(response) -> dict[str, list[str]]:
    """The section editor's errors under the content's dotted names (`risks.0.likelihood`)."""
    editor = response.context["editor"]
    key = editor.section.key
    errors = {
        (key if name == "text" else name): list(messages)
        for name, messages in editor.meta.errors.items()
    }
    if editor.rows:
        formset = editor.rows.formset
        section_errors = [*formset.non_form_errors(), *editor.rows.section_errors]
        if section_errors:
            errors[key] = section_errors
        for index, form in enumerate(formset.forms):
            for name, messages in form.errors.items():
                errors[f"{key}.{index}.{name}"] = list(messages)
    return errors


def preview(ctx, changes):
    return ctx.client.post(
        reverse("designdocs:markdown_preview"), {"text": changes["problem_statement"]}
    )


def preview_errors(response) -> dict[str, list[str]]:
    error = response.context["error"]
    return {"problem_statement": [error]} if error else {}


# --- how each endpoint's accepted request is read back ----------------------------------------


def stored(doc: DesignDoc, ctx) -> dict[str, Any]:
    """The document's content as stored, and the message of a revision this request made."""
    doc = DesignDoc.objects.get(pk=doc.pk)
    content = content_of(doc)
    latest = doc.revisions.order_by("-number").first()
    if latest is not None and latest.pk > ctx.last_revision_pk:
        content["message"] = latest.message
    return content


def read_api_object(ctx, response):
    return stored(DesignDoc.objects.get(pk=response.json()["id"]), ctx)


def read_target(ctx, response):
    return stored(ctx.doc, ctx)


def read_imported_page(ctx, response):
    if response.status_code != 302:
        return None  # the mapping step of a file from elsewhere: nothing stored yet
    slug = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    return stored(DesignDoc.objects.get(slug=slug), ctx)


#: Where generated input goes on endpoints that take any field: every part of the content.
CONTENT_FIELDS = (
    *METADATA_KEYS,
    *NARRATIVE_KEYS,
    *ROW_KEYS,
    "risks.0.title",
    "risks.0.mitigation",
    "risks.0.likelihood",
    "success_criteria.0.metric",
    "raci.0.activity",
    "monitoring.0.metric",
    "message",
)
FILE_FIELDS = tuple(f for f in CONTENT_FIELDS if f != "message")

ENDPOINTS = [
    HostileEndpoint(
        "api-create",
        "json",
        ("*",),
        _api("post", detail=False),
        api_errors,
        generated_fields=CONTENT_FIELDS,
        read_back=read_api_object,
    ),
    HostileEndpoint(
        "api-put",
        "json",
        ("*",),
        _api("put", detail=True),
        api_errors,
        generated_fields=CONTENT_FIELDS,
        read_back=read_target,
    ),
    HostileEndpoint(
        "api-patch",
        "json",
        ("*",),
        _api("patch", detail=True),
        api_errors,
        generated_fields=CONTENT_FIELDS,
        read_back=read_target,
    ),
    HostileEndpoint(
        "api-import",
        "markdown",
        (*METADATA_KEYS, *NARRATIVE_KEYS, *ROW_KEYS, ROOT),
        api_import,
        api_errors,
        also_names=("markdown",),
        generated_fields=FILE_FIELDS,
        read_back=read_api_object,
    ),
    HostileEndpoint(
        "import-page",
        "markdown",
        (*METADATA_KEYS, *NARRATIVE_KEYS, *ROW_KEYS, ROOT),
        page_import,
        page_import_errors,
        also_names=("file",),
        generated_fields=FILE_FIELDS,
        read_back=read_imported_page,
    ),
    HostileEndpoint(
        "details-page",
        "form",
        ("title", "owner_team", "co_authors", "message"),
        details_page,
        form_errors,
        read_back=read_target,
    ),
    HostileEndpoint(
        "rows-editor-page",
        "form",
        ("risks", "message"),
        rows_page,
        editor_errors,
        generated_fields=(
            "risks.0.title",
            "risks.0.category",
            "risks.0.likelihood",
            "risks.0.mitigation",
            "risks.0.owner",
            "message",
        ),
        read_back=read_target,
    ),
    HostileEndpoint(
        "narrative-editor-page",
        "form",
        ("problem_statement", "message"),
        narrative_page,
        editor_errors,
        read_back=read_target,
    ),
    HostileEndpoint(
        "markdown-preview",
        "form",
        ("problem_statement",),
        preview,
        preview_errors,
        refusal_statuses=(200,),
    ),
]

# --- the cases ----------------------------------------------------------------------------------

JSON_AND_FILE = {"json", "markdown"}
S = HOSTILE_STRINGS

CASES = [
    # Text no store or encoder accepts, in values and in keys.
    *(HostileCase(f"{name}-in-title", {"title": text}, "title") for name, text in S.items()),
    *(
        HostileCase(f"{name}-in-row", {"risks.0.title": text}, "risks.0.title")
        for name, text in S.items()
    ),
    *(
        HostileCase(f"{name}-in-markdown", {"problem_statement": text}, "problem_statement")
        for name, text in S.items()
    ),
    HostileCase("surrogate-in-key", {S["lone-surrogate"]: "x"}, "a\\ud800b", JSON_AND_FILE),
    HostileCase("nul-in-key", {"a\x00b": "x"}, "a\\x00b", JSON_AND_FILE),
    HostileCase(
        "surrogate-in-row-key", {f"risks.0.{S['lone-surrogate']}": "x"}, "risks.0", JSON_AND_FILE
    ),
    HostileCase("nul-in-message", {"message": S["nul"]}, "message", {"json", "form"}),
    HostileCase("surrogate-in-message", {"message": S["lone-surrogate"]}, "message", {"json"}),
    # Bounded work.
    HostileCase("json-900-deep", {"co_authors": Deep(900)}, "co_authors", JSON_AND_FILE),
    HostileCase("yaml-500-deep", {"co_authors": Deep(500)}, "co_authors", JSON_AND_FILE),
    HostileCase("200000-keys", {ROOT: ManyKeys(200_000)}, "non_field_errors", JSON_AND_FILE),
    HostileCase(
        "1000000-rows",
        {"risks": ManyRows(declared=1_000_000, sent=201, row=risk_row())},
        "risks",
    ),
    # No silent coercion.
    *(
        HostileCase(f"stage-{name}", {"stage": value}, "stage")
        for name, value in {**WRONG_CHOICE_VALUES, "yaml-no": "no", "unknown": "sunset"}.items()
    ),
    *(
        HostileCase(f"risk-tier-{name}", {"risk_tier": value}, "risk_tier")
        for name, value in WRONG_CHOICE_VALUES.items()
    ),
    *(
        HostileCase(f"likelihood-{name}", {"risks.0.likelihood": value}, "risks.0.likelihood")
        for name, value in {"arabic-indic-3": "\u0663", "float": 3.0}.items()
    ),
    # "3" is what a form sends (the page converts it to 3); as JSON or YAML it is text.
    HostileCase(
        "likelihood-text", {"risks.0.likelihood": "3"}, "risks.0.likelihood", JSON_AND_FILE
    ),
    # Read as "" it would silently empty the section.
    HostileCase("markdown-null", {"problem_statement": None}, "problem_statement", {"json"}),
    HostileCase("message-1000-chars", {"message": "m" * 1000}, "message", {"json", "form"}),
    HostileCase("message-number", {"message": 12345}, "message", {"json"}),
    *(
        HostileCase(f"title-{name}", {"title": text}, "title")
        for name, text in INVISIBLE_STRINGS.items()
    ),
    HostileCase("title-bidi-override", {"title": "\u202eevil"}, "title"),
]

PARAMS = hostile_params(ENDPOINTS, CASES)


@pytest.fixture
def hostile(client, token_client, alice, team):
    doc = FullDesignDocFactory(title="Target", owner_team=team, product_owner=alice)
    client.force_login(alice)
    return SimpleNamespace(client=client, api=token_client(alice), team=team, doc=doc)


@pytest.mark.django_db
@pytest.mark.embedded
@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
@pytest.mark.parametrize(("endpoint", "case"), PARAMS)
def test_hostile_input_is_refused_naming_the_field_and_nothing_is_stored(
    endpoint, case, debug, hostile, settings
):
    settings.DEBUG = debug
    doc = hostile.doc
    assert_refused(
        endpoint,
        case,
        hostile,
        state=lambda: db_state(
            DesignDoc, Revision, AuditEvent, objects=[doc], fields=("version", "latest_revision_id")
        ),
    )


def test_every_endpoint_carries_cases_and_every_case_runs_somewhere():
    # A new endpoint or case that nothing exercises would prove nothing.
    ids = {p.id for p in PARAMS}
    for endpoint in ENDPOINTS:
        assert any(i.startswith(endpoint.id + "-") for i in ids), endpoint.id
    for case in CASES:
        assert any(i.endswith("-" + case.id) for i in ids), case.id


@pytest.mark.django_db
@pytest.mark.embedded
def test_row_editor_claiming_a_million_rows_builds_only_the_rows_it_carries(hostile):
    response = rows_page(hostile, {"risks": ManyRows(declared=1_000_000, sent=0)})
    editor = response.context["editor"]
    assert response.status_code == 400
    assert len(editor.rows.formset.forms) == 1  # the one row the post carries
    assert editor.rows.section_errors == ["Risks may hold at most 200 rows; nothing was saved."]
    assert "at most 200 rows" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.embedded
def test_row_editor_with_201_real_rows_shows_200_and_the_limit(hostile):
    data = {"version": str(hostile.doc.version), "message": "", "risks-INITIAL_FORMS": "0"}
    data["risks-TOTAL_FORMS"] = "201"
    for index in range(201):
        data[f"risks-{index}-title"] = f"Risk {index}"
    path = reverse(
        "designdocs:section_edit", kwargs={"slug": hostile.doc.slug, "section_key": "risks"}
    )
    response = hostile.client.post(path, data)
    editor = response.context["editor"]
    assert response.status_code == 400
    assert len(editor.rows.formset.forms) == 200
    assert "Risks may hold at most 200 rows; nothing was saved." in editor.rows.section_errors


# --- generated hostile input ---------------------------------------------------------------------

GENERATED_EXAMPLES = 40  # per endpoint: ~0.1 s each


@pytest.mark.django_db
@pytest.mark.embedded
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.id for e in ENDPOINTS])
def test_generated_hostile_input_never_fails_the_server_and_is_stored_as_sent_or_not_at_all(
    endpoint, hostile
):
    # Every endpoint of the declaration list, every field it takes: no 5xx; refused, nothing
    # changed (documents, revisions, audit events, the target's version); accepted, what is
    # stored reads back as it was sent.
    def values(path: str):
        if endpoint.transport == "form":
            return hostile_text().map(form_safe)
        if endpoint.transport == "markdown" and path in NARRATIVE_KEYS:
            return hostile_text()  # the file's body: a section is text
        return hostile_json()

    @settings(
        max_examples=GENERATED_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(data=st.data())
    def run(data):
        path = data.draw(st.sampled_from(endpoint.fields_to_generate()), label="path")
        value = data.draw(values(path), label="value")
        hostile.doc.refresh_from_db()
        # An accepted `null` for a row section stores no rows: a later example naming one
        # of those rows has nothing to change.
        parent = path.rpartition(".")[0]
        if parent and parent[-1].isdigit():
            try:
                get_path(content_of(hostile.doc), parent)
            except (KeyError, IndexError):
                assume(False)
        hostile.last_revision_pk = Revision.objects.order_by("-pk").values_list("pk", flat=True)[0]
        cache.clear()  # the preview's rate limit counts per user: every example is a first
        assert_generated_input_handled(
            endpoint,
            hostile,
            path,
            value,
            state=lambda: db_state(
                DesignDoc,
                Revision,
                AuditEvent,
                objects=[hostile.doc],
                fields=("version", "latest_revision_id"),
            ),
        )

    run()
