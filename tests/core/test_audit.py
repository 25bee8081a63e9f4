"""The audit log: who did what to which object, with the request id, and its admin list."""

import pytest
from django.db import transaction

from registry.core.audit import AuditAction, action_label, record_audit_event, register_actions
from registry.core.context import current_request_id
from registry.core.models import AuditEvent
from tests.factories import TeamFactory

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

# Actions these tests record, declared as an app declares its own (in its audit.py).
register_actions(
    AuditAction("team.create", "created"),
    AuditAction("team.update", "edited"),
    AuditAction("team.delete", "deleted"),
    AuditAction("system.cleanup", "cleaned up"),
    AuditAction("x.y", "did"),
)


def test_an_undeclared_action_is_refused_and_nothing_is_recorded(alice, team):
    with pytest.raises(ValueError, match="not declared"):
        record_audit_event(actor=alice, action="team.renamed", obj=team)
    assert not AuditEvent.objects.exists()


def test_declared_actions_give_their_label_and_unknown_codes_show_as_they_are():
    assert action_label("designdoc.update") == "edited"  # declared by designdocs/audit.py
    assert action_label("gone.app") == "gone.app"


def test_declaring_one_code_with_two_labels_is_refused():
    with pytest.raises(ValueError, match="already declared"):
        register_actions(AuditAction("designdoc.update", "changed"))


def test_record_audit_event_stores_actor_action_object_and_payload(alice, team):
    event = record_audit_event(
        actor=alice, action="team.update", obj=team, payload={"fields": ["description"]}
    )
    event.refresh_from_db()
    assert event.actor == alice
    assert event.actor_username == "alice"
    assert event.action == "team.update"
    assert event.object_type == "teams.team"
    assert event.object_id == str(team.pk)
    assert event.object_repr == "Fraud Detection"
    assert event.payload == {"fields": ["description"]}
    assert event.request_id == ""
    assert event.created_at is not None


def test_event_outlives_its_actor_and_object(alice, team):
    event = record_audit_event(actor=alice, action="team.delete", obj=team)
    team.delete()
    alice.delete()
    event.refresh_from_db()
    assert event.actor is None
    assert event.actor_username == "alice"
    assert event.object_repr == "Fraud Detection"


def test_anonymous_or_system_actor_is_recorded_without_user():
    from django.contrib.auth.models import AnonymousUser

    assert record_audit_event(actor=None, action="system.cleanup").actor_username == ""
    assert record_audit_event(actor=AnonymousUser(), action="system.cleanup").actor is None


def test_request_id_of_the_current_request_is_recorded(alice):
    token = current_request_id.set("req-42")
    try:
        event = record_audit_event(actor=alice, action="team.create", obj=TeamFactory())
    finally:
        current_request_id.reset(token)
    assert event.request_id == "req-42"


def test_oversized_payload_is_refused(alice):
    with pytest.raises(ValueError, match="small summary"):
        record_audit_event(actor=alice, action="x.y", payload={str(i): i for i in range(51)})
    assert not AuditEvent.objects.exists()


def test_event_rolls_back_with_the_change_it_describes(alice):
    with pytest.raises(RuntimeError), transaction.atomic():
        record_audit_event(actor=alice, action="team.create", obj=TeamFactory())
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.exists()


@pytest.mark.urls("tests.core.harness_api")
def test_x_request_id_header_reaches_the_audit_event_of_a_write(token_client, superuser):
    response = token_client(superuser).post(
        "/api/harness/teams/",
        {"name": "Search", "slug": "search"},
        HTTP_X_REQUEST_ID="deploy-pipeline-1234",
    )
    assert response.status_code == 201, response.content
    assert response["X-Request-ID"] == "deploy-pipeline-1234"
    event = AuditEvent.objects.get(action="team.create")
    assert event.request_id == "deploy-pipeline-1234"
    assert event.actor == superuser
    assert event.object_id == str(response.json()["id"])


@pytest.mark.urls("tests.core.harness_api")
def test_unsafe_x_request_id_is_replaced_by_a_generated_one(token_client, superuser):
    response = token_client(superuser).post(
        "/api/harness/teams/", {"name": "Ads", "slug": "ads"}, HTTP_X_REQUEST_ID="a b\nInjected: 1"
    )
    generated = response["X-Request-ID"]
    assert len(generated) == 32 and generated.isalnum()
    assert AuditEvent.objects.get(action="team.create").request_id == generated


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert first["X-Request-ID"] and first["X-Request-ID"] != second["X-Request-ID"]


def test_admin_lists_audit_events_for_a_superuser(client, superuser, alice, team):
    record_audit_event(actor=alice, action="designdoc.update", obj=team)
    client.force_login(superuser)
    response = client.get("/admin/core/auditevent/")
    assert response.status_code == 200
    assert b"designdoc.update" in response.content
    assert b'<td class="field-what">edited</td>' in response.content  # the declared label
    assert b"designdoc.update (edited)" in response.content  # the filter, from the registry
    assert b"alice" in response.content
    assert client.get("/admin/core/auditevent/?q=alice").status_code == 200


def test_admin_audit_events_are_read_only(client, superuser, alice, team):
    event = record_audit_event(actor=alice, action="team.update", obj=team)
    client.force_login(superuser)
    assert client.get("/admin/core/auditevent/add/").status_code == 403
    assert client.post(f"/admin/core/auditevent/{event.pk}/delete/").status_code == 403
    detail = client.get(f"/admin/core/auditevent/{event.pk}/change/")
    assert detail.status_code == 200
    assert b'name="action"' not in detail.content
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_audit_list_is_refused_to_non_staff(client, alice):
    client.force_login(alice)
    response = client.get("/admin/core/auditevent/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
