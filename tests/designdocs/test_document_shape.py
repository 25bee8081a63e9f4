"""The section registry as the one description of the document's shape: the models agree
with it, the API serializers are generated from it and check types before the rules run,
an update reads and saves the document once, and people without a role learn nothing from
validation messages about who or what else exists."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from designdocs.api.serializers import (
    DesignDocPatchSerializer,
    DesignDocWriteSerializer,
    StrictIntegerField,
)
from designdocs.content import canonical_json, content_of
from designdocs.models import DesignDoc
from designdocs.sections import METADATA_FIELDS, ROW_SECTIONS, SCALE_MAX, SCALE_MIN
from designdocs.selectors import with_content
from designdocs.services import designdoc_update
from registry.core.models import AuditEvent
from registry.core.testing import assert_error_shape
from teams.models import Team
from tests.designdocs.factories import FullDesignDocFactory, raci_row, risk_row
from tests.factories import TeamFactory, TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/api/designdocs/"


def detail_url(doc: DesignDoc) -> str:
    return f"/api/designdocs/{doc.pk}/"


def etag(doc: DesignDoc) -> str:
    return f'"{doc.pk}-{doc.version}"'


def stored_json(doc: DesignDoc) -> str:
    return canonical_json(content_of(with_content(DesignDoc.objects.filter(pk=doc.pk)).get()))


@pytest.fixture
def doc(team, alice) -> DesignDoc:
    """alice's document in `team`, every section filled, at version 1 / revision 1."""
    return FullDesignDocFactory(title="Demand forecasting", owner_team=team, product_owner=alice)


@pytest.fixture
def alice_api(token_client, alice):
    return token_client(alice)


# --- the registry and the models agree ---------------------------------------------------------


def _model_field_of(model: type[models.Model], field) -> models.Field:
    return model._meta.get_field(field.attname)


def _registry_fields():
    for field in METADATA_FIELDS:
        yield pytest.param(DesignDoc, field, id=f"designdoc.{field.name}")
    for section in ROW_SECTIONS:
        for field in section.row_fields:
            yield pytest.param(section.row_model, field, id=f"{section.key}.{field.name}")


@pytest.mark.embedded
@pytest.mark.parametrize(("model", "field"), list(_registry_fields()))
def test_every_registry_field_agrees_with_the_model_field_storing_it(model, field):
    stored = _model_field_of(model, field)
    if field.kind == "user":
        user_model = get_user_model()
        assert stored.related_model is user_model
        username = user_model._meta.get_field(user_model.USERNAME_FIELD)
        assert field.max_length == username.max_length
    elif field.kind == "team":
        assert stored.related_model is Team
        assert field.max_length == Team._meta.get_field("slug").max_length
    elif field.kind == "int":
        assert isinstance(stored, models.PositiveSmallIntegerField)
        assert (field.max_length, SCALE_MIN, SCALE_MAX) == (None, 1, 5)
    elif field.kind == "longtext":
        assert isinstance(stored, models.TextField)
    else:
        assert isinstance(stored, models.CharField), stored
        assert stored.max_length == field.max_length
        if field.kind == "choice":
            assert list(stored.choices) == list(field.choices.choices)
        else:
            assert not stored.choices
    # A field the section may leave empty is one the model may store empty.
    if not field.required and not stored.many_to_many:
        assert stored.blank


@pytest.mark.embedded
@pytest.mark.parametrize("section", ROW_SECTIONS, ids=lambda s: s.key)
def test_every_stored_column_of_a_row_model_is_in_the_registry(section):
    bookkeeping = {"id", "design_doc", "position"}
    columns = {f.name for f in section.row_model._meta.concrete_fields} - bookkeeping
    assert columns == {f.attname for f in section.row_fields}
    assert section.row_model._meta.get_field("design_doc").remote_field.related_name == (
        section.related_name
    )


@pytest.mark.embedded
@pytest.mark.parametrize("serializer_class", [DesignDocWriteSerializer, DesignDocPatchSerializer])
def test_api_serializer_fields_take_type_length_and_choices_from_the_registry(serializer_class):
    fields = serializer_class().fields
    for field in METADATA_FIELDS:
        api = fields[field.name]
        api = getattr(api, "child", api)
        if field.kind == "choice":
            assert set(api.choices) == set(field.choices.values)
        else:
            assert api.max_length == field.max_length
    for section in ROW_SECTIONS:
        row = fields[section.key].child.fields
        for field in section.row_fields:
            if field.kind == "int":
                assert isinstance(row[field.name], StrictIntegerField)
                assert (row[field.name].min_value, row[field.name].max_value) == (1, 5)
            elif field.kind == "choice":
                assert set(row[field.name].choices) == set(field.choices.values)
            else:
                assert row[field.name].max_length == field.max_length


# --- types before rules, every error in one answer ----------------------------------------------


@pytest.mark.embedded
@pytest.mark.parametrize(
    ("value", "field"),
    [
        pytest.param("3", "likelihood", id="likelihood-as-text"),
        pytest.param(3.5, "likelihood", id="likelihood-as-fraction"),
        pytest.param(3.0, "impact", id="impact-as-float"),
        pytest.param(True, "impact", id="impact-as-boolean"),
    ],
)
def test_a_scale_value_not_written_as_a_whole_number_is_a_400_naming_the_field(
    alice_api, doc, value, field
):
    before, revisions = stored_json(doc), doc.revisions.count()

    response = alice_api.patch(
        detail_url(doc), {"risks": [risk_row(**{field: value})]}, format="json",
        HTTP_IF_MATCH=etag(doc),
    )  # fmt: skip

    body = assert_error_shape(response, 400, code="invalid")
    assert f"risks.0.{field}" in body["errors"], body["errors"]
    assert (stored_json(doc), doc.revisions.count()) == (before, revisions)


@pytest.mark.embedded
def test_text_for_a_text_field_and_an_unknown_choice_are_refused_by_type_on_create(alice_api, team):
    counts = (DesignDoc.objects.count(), AuditEvent.objects.count())

    response = alice_api.post(
        LIST_URL,
        {"title": "Churn", "owner_team": team.slug, "risks": [risk_row(category=7)],
         "monitoring": [{"metric": ["not", "text"]}]},
        format="json",
    )  # fmt: skip

    body = assert_error_shape(response, 400, code="invalid")
    assert {"risks.0.category", "monitoring.0.metric"} <= set(body["errors"]), body["errors"]
    assert (DesignDoc.objects.count(), AuditEvent.objects.count()) == counts


@pytest.mark.embedded
def test_a_tampered_likelihood_is_reported_with_the_rule_errors_of_the_other_rows(alice_api, doc):
    rows = [
        risk_row("Drift", likelihood="3"),
        risk_row("Leak", likelihood=5, impact=5),  # very high: needs mitigation and owner
    ]
    raci = [raci_row("Approve", "C", person="alice")]  # no Accountable

    response = alice_api.patch(
        detail_url(doc), {"risks": rows, "raci": raci}, format="json", HTTP_IF_MATCH=etag(doc)
    )

    errors = assert_error_shape(response, 400, code="invalid")["errors"]
    assert {"risks.0.likelihood", "risks.1.mitigation", "risks.1.owner", "raci.0.role"} <= set(
        errors
    ), errors
    # Where validator and serializer name the same field, the message names row and field.
    assert errors["risks.0.likelihood"][0].startswith("Risks, row 1: likelihood")


# --- one read, one save -----------------------------------------------------------------------

#: 18 on PostgreSQL (17 on SQLite, no search vector): the token and roles, the document
#: (permission, ETag), the document locked with its content (itself, co-authors, four row
#: sections), the references (users, teams), one save of the document, the changed
#: section, the search vector, the revision, the audit event, savepoints. 33 before an
#: update read the document once under its lock (bench/designdocs_api.py prints both).
#: +2 since the architecture section names catalogue entries (two links read under the lock),
#: +1 for the facts other apps contribute (maturity: latest assessment).
PATCH_MAX_QUERIES = 21


def _doc_reads(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and re.search(r'FROM "designdocs_designdoc"', q["sql"])
    ]


def _doc_saves(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith(
        'UPDATE "designdocs_designdoc" SET "title"'
    )]  # fmt: skip


@pytest.mark.embedded
def test_a_patch_reads_the_document_twice_saves_it_once_and_stays_under_the_query_budget(
    token_client, alice, team, django_assert_max_num_queries
):
    client = token_client(alice)
    doc = FullDesignDocFactory(title="Budget", owner_team=team, product_owner=alice)
    client.get(detail_url(doc))  # the token and the session warm

    with (
        django_assert_max_num_queries(PATCH_MAX_QUERIES),
        CaptureQueriesContext(connection) as captured,
    ):
        response = client.patch(
                detail_url(doc), {"business_value": "More value"}, format="json",
                HTTP_IF_MATCH=etag(doc),
            )  # fmt: skip

    assert response.status_code == 200, response.content[:500]
    # The permission check's read, then the locked read with the content; no reload after.
    assert len(_doc_reads(captured)) == 2, _doc_reads(captured)
    assert len(_doc_saves(captured)) == 1, _doc_saves(captured)
    body = response.json()
    assert body["business_value"] == "More value"
    assert (body["version"], body["revision_number"]) == (2, 2)
    stored = DesignDoc.objects.get(pk=doc.pk)
    assert (stored.version, stored.revision_number) == (2, 2)
    assert stored.content_hash == doc.revisions.get(number=2).content_hash == body["content_hash"]
    assert stored_json(doc) == canonical_json(
        {k: v for k, v in body.items() if k in content_of(stored)}
        | {"risks": [{k: v for k, v in r.items() if k not in ("score", "level")}
                     for r in body["risks"]]}
    )  # fmt: skip


@pytest.mark.postgres
def test_the_locked_read_locks_only_the_document_row(token_client, alice, team):
    client = token_client(alice)
    doc = FullDesignDocFactory(title="Locked", owner_team=team, product_owner=alice)

    with CaptureQueriesContext(connection) as captured:
        response = client.patch(
            detail_url(doc), {"data": "New data"}, format="json", HTTP_IF_MATCH=etag(doc)
        )

    assert response.status_code == 200, response.content[:500]
    locked = [q["sql"] for q in captured.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locked) == 1 and locked[0].endswith('FOR UPDATE OF "designdocs_designdoc"')


# --- no enumeration for people without a role ------------------------------------------------


@pytest.fixture
def erin_co_author(alice, team, user_without_role):
    """erin, with no role, co-author of alice's document (so she edits it)."""
    doc = FullDesignDocFactory(title="Shared", owner_team=team, product_owner=alice)
    designdoc_update(doc=doc, user=alice, expected_version=1, changes={"co_authors": ["erin"]})
    return DesignDoc.objects.get(pk=doc.pk)


def _anonymised(messages: list[str], name: str) -> list[str]:
    return [m.replace(f"“{name}”", "“…”") for m in messages]


def _patch_errors(client, doc, changes) -> dict[str, list[str]]:
    response = client.patch(detail_url(doc), changes, format="json", HTTP_IF_MATCH=etag(doc))
    return assert_error_shape(response, 400, code="invalid")["errors"]


@pytest.mark.embedded
def test_an_editor_without_a_role_hears_the_same_of_existing_and_unknown_people(
    token_client, erin_co_author, user_without_role
):
    UserFactory(username="zed", first_name="Zedekiah", last_name="Quist")
    UserFactory(username="gone", first_name="Gone", is_active=False)
    client = token_client(user_without_role)
    answers = {}
    for name in ("zed", "gone", "nobody-at-all"):
        errors = _patch_errors(
            client, erin_co_author,
            {"risks": [risk_row(owner=name)], "co_authors": ["erin", name],
             "raci": [raci_row("Run", "A", person=name)]},
        )  # fmt: skip
        answers[name] = {
            key: _anonymised(errors[key], name)
            for key in ("risks.0.owner", "co_authors", "raci.0.person")
        }
        assert "Zedekiah" not in str(errors)

    assert answers["zed"] == answers["gone"] == answers["nobody-at-all"]
    assert answers["zed"]["risks.0.owner"] == [
        "Risks, row 1: “…” is not someone you can name here."
    ]


@pytest.mark.embedded
def test_an_editor_without_a_role_hears_the_same_of_existing_and_unknown_teams(
    token_client, erin_co_author, user_without_role
):
    TeamFactory(name="Pricing", slug="pricing")
    client = token_client(user_without_role)
    answers = {}
    for slug in ("pricing", "no-such-team"):
        errors = _patch_errors(client, erin_co_author, {"raci": [raci_row("Run", "A", team=slug)]})
        answers[slug] = _anonymised(errors["raci.0.team"], slug)

    assert (
        answers["pricing"]
        == answers["no-such-team"]
        == ["RACI row 1: “…” is not a team you can name here."]
    )


@pytest.mark.embedded
def test_an_editor_without_a_role_still_names_those_the_document_names_and_their_team_mates(
    token_client, erin_co_author, user_without_role
):
    mate = UserFactory(username="mate")
    TeamMembershipFactory(team=TeamFactory(slug="erins-team"), user=user_without_role)
    TeamMembershipFactory(team=Team.objects.get(slug="erins-team"), user=mate)
    client = token_client(user_without_role)
    raci = [
        raci_row("Run", "A", person="alice"),  # named by the document already
        raci_row("Run", "R", person="mate"),
        raci_row("Run", "C", team="erins-team"),
        raci_row("Run", "I", team="fraud-detection"),  # the document's team
    ]

    response = client.patch(
        detail_url(erin_co_author), {"raci": raci}, format="json",
        HTTP_IF_MATCH=etag(erin_co_author),
    )  # fmt: skip

    assert response.status_code == 200, response.content[:500]


@pytest.mark.embedded
def test_people_with_a_role_keep_the_precise_messages(alice_api, doc):
    UserFactory(username="gone", is_active=False)

    errors = _patch_errors(
        alice_api,
        doc,
        {"risks": [risk_row(owner="gone")], "raci": [raci_row("Run", "A", team="x")]},
    )

    assert errors["risks.0.owner"] == ["Risks, row 1: there is no active user “gone”."]
    assert errors["raci.0.team"] == ["RACI row 1: there is no team “x”."]


@pytest.mark.embedded
def test_creating_for_a_team_one_is_not_in_or_that_does_not_exist_answers_alike_without_a_role(
    token_client, user_without_role
):
    TeamFactory(name="Pricing", slug="pricing")
    client = token_client(user_without_role)
    answers = {}
    for slug in ("pricing", "atlantis"):
        response = client.post(LIST_URL, {"title": "Probe", "owner_team": slug}, format="json")
        body = response.json()
        answers[slug] = (response.status_code, body["message"].replace(slug, "…"), body["errors"])
        answers[slug][2]["owner_team"] = _anonymised(body["errors"]["owner_team"], slug)

    assert answers["pricing"] == answers["atlantis"]
    assert answers["pricing"][0] == 400
    assert not DesignDoc.objects.exists()


@pytest.mark.embedded
def test_creating_for_an_unknown_team_or_a_foreign_one_stays_precise_with_a_role(
    alice_api, other_team
):
    unknown = alice_api.post(LIST_URL, {"title": "T", "owner_team": "atlantis"}, format="json")
    foreign = alice_api.post(LIST_URL, {"title": "T", "owner_team": "pricing"}, format="json")

    assert assert_error_shape(unknown, 400)["errors"] == {
        "owner_team": ["There is no team “atlantis”."]
    }
    assert_error_shape(foreign, 403)


@pytest.fixture
def other_team():
    return TeamFactory(name="Pricing", slug="pricing")


@pytest.mark.embedded
def test_the_read_page_shows_full_names_only_to_those_who_may_browse_people(
    client, alice, erin_co_author, user_without_role
):
    UserFactory(username="zed", first_name="Zedekiah", last_name="Quist")
    designdoc_update(
        doc=erin_co_author, user=alice, expected_version=erin_co_author.version,
        changes={"raci": [raci_row("Run", "A", person="alice"),
                          raci_row("Run", "C", person="zed")]},
    )  # fmt: skip
    page_url = reverse("designdocs:designdoc", kwargs={"slug": erin_co_author.slug})

    client.force_login(user_without_role)
    seen_without_role = unescape(client.get(page_url).content.decode())
    client.force_login(alice)
    seen_with_role = unescape(client.get(page_url).content.decode())

    assert "Zedekiah Quist" in seen_with_role
    assert "Zedekiah" not in seen_without_role
    assert "zed" in seen_without_role
