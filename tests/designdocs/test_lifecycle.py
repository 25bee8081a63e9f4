"""The ML lifecycle of a solution: the transition table (every legal and illegal move), the
guards with their messages, the record of each move, the API and the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from designdocs import lifecycle
from designdocs.choices import MLStage, WorkflowStatus
from designdocs.content import content_of
from designdocs.models import DesignDoc, LifecycleTransition
from designdocs.services import designdoc_set_risk_tier, designdoc_transition, designdoc_update
from registry.core.errors import ConflictError, DomainError, PermissionDeniedError
from registry.core.models import AuditEvent
from tests.designdocs.factories import DesignDocFactory, FullDesignDocFactory, monitoring_row

pytestmark = pytest.mark.django_db

S = MLStage
STAGES = [s for s in S if s != S.UNCLASSIFIED]


def at(doc: DesignDoc, stage: str) -> DesignDoc:
    DesignDoc.objects.filter(pk=doc.pk).update(stage=stage)
    doc.refresh_from_db()
    return doc


def approve(doc: DesignDoc) -> None:
    """What the review app does on the last approval (not in this branch)."""
    doc.refresh_from_db()
    DesignDoc.objects.filter(pk=doc.pk).update(
        status=WorkflowStatus.APPROVED, approved_revision=doc.latest_revision
    )
    doc.refresh_from_db()


@pytest.fixture
def ready(alice, team):
    """A full doc (monitoring contract agreed by stakeholders), approved, at error analysis."""
    doc = FullDesignDocFactory(title="Ready", owner_team=team, product_owner=alice)
    approve(doc)
    return at(doc, S.ERROR_ANALYSIS)


LEGAL = sorted(lifecycle.MOVES)
ILLEGAL = sorted((a, b) for a in S for b in STAGES if a != b and (a, b) not in lifecycle.MOVES)


def test_the_table_goes_forward_back_where_work_goes_back_and_retires_from_anywhere():
    forward = list(zip(lifecycle.ORDER[:-2], lifecycle.ORDER[1:-1], strict=True))
    assert all(move in lifecycle.MOVES for move in forward)
    assert (S.ERROR_ANALYSIS, S.DATA_PREPARATION) in lifecycle.MOVES
    assert (S.MONITORING, S.MODEL_TRAINING) in lifecycle.MOVES
    assert all((s, S.RETIRED) in lifecycle.MOVES for s in STAGES if s != S.RETIRED)
    assert not [m for m in lifecycle.MOVES if m[0] == S.RETIRED]


@pytest.mark.parametrize(("start", "to"), LEGAL, ids=[f"{a}->{b}" for a, b in LEGAL])
def test_every_legal_move_is_made_recorded_and_audited(ready, alice, start, to):
    doc = at(ready, start)
    revisions = doc.revisions.count()

    transition = designdoc_transition(doc=doc, actor=alice, to_stage=to, reason="Because")

    doc.refresh_from_db()
    assert doc.stage == to
    assert (transition.from_stage, transition.to_stage, transition.actor) == (start, to, alice)
    assert transition.reason == "Because"
    # Not a content edit: no revision, the approval holds.
    assert doc.revisions.count() == revisions and doc.is_approved
    event = AuditEvent.objects.filter(action="designdoc.transition").latest("id")
    assert event.payload["from"] == start and event.payload["to"] == to


@pytest.mark.parametrize(("start", "to"), ILLEGAL, ids=[f"{a}->{b}" for a, b in ILLEGAL])
def test_every_illegal_move_is_refused_with_a_sentence_and_changes_nothing(ready, alice, start, to):
    doc = at(ready, start)

    with pytest.raises(ConflictError) as refused:
        designdoc_transition(doc=doc, actor=alice, to_stage=to, reason="Because")

    assert refused.value.status_code == 409
    assert "cannot move to" in refused.value.message or "moves no further" in refused.value.message
    doc.refresh_from_db()
    assert doc.stage == start
    assert not LifecycleTransition.objects.exists()


def test_without_an_approved_revision_a_solution_cannot_enter_deployment(alice, team):
    doc = at(FullDesignDocFactory(owner_team=team, product_owner=alice), S.ERROR_ANALYSIS)

    with pytest.raises(ConflictError, match="requires an approved current revision"):
        designdoc_transition(doc=doc, actor=alice, to_stage=S.DEPLOYMENT)
    assert DesignDoc.objects.get(pk=doc.pk).stage == S.ERROR_ANALYSIS

    approve(doc)
    designdoc_transition(doc=doc, actor=alice, to_stage=S.DEPLOYMENT)
    assert DesignDoc.objects.get(pk=doc.pk).stage == S.DEPLOYMENT


def test_an_edit_after_approval_blocks_deployment_again(ready, alice):
    designdoc_update(
        doc=ready, user=alice, expected_version=ready.version, changes={"data": "New data"}
    )

    with pytest.raises(ConflictError, match="approved current revision"):
        designdoc_transition(doc=ready, actor=alice, to_stage=S.DEPLOYMENT)


def test_deployment_requires_a_monitoring_contract_with_a_row(alice, team):
    doc = DesignDocFactory(owner_team=team, product_owner=alice)
    approve(doc)
    at(doc, S.ERROR_ANALYSIS)

    with pytest.raises(ConflictError) as refused:
        designdoc_transition(doc=doc, actor=alice, to_stage=S.DEPLOYMENT)
    assert refused.value.message == (
        "Entering deployment requires a monitoring contract with at least one row."
    )


def test_monitoring_requires_a_contract_agreed_by_a_stakeholder(alice, team):
    doc = DesignDocFactory(
        owner_team=team,
        product_owner=alice,
        content={"monitoring": [monitoring_row(stakeholders="")]},
    )
    at(doc, S.DEPLOYMENT)

    with pytest.raises(ConflictError, match="agreed by at least one stakeholder"):
        designdoc_transition(doc=doc, actor=alice, to_stage=S.MONITORING)

    designdoc_update(
        doc=doc,
        user=alice,
        expected_version=doc.version,
        changes={"monitoring": [monitoring_row(stakeholders="Finance")]},
    )
    designdoc_transition(doc=doc, actor=alice, to_stage=S.MONITORING)
    assert DesignDoc.objects.get(pk=doc.pk).stage == S.MONITORING


@pytest.mark.parametrize("reason", ["", "   "])
def test_retiring_requires_a_reason(ready, alice, reason):
    with pytest.raises(ConflictError, match="requires a reason"):
        designdoc_transition(doc=ready, actor=alice, to_stage=S.RETIRED, reason=reason)


def test_only_editors_move_a_solution(ready, dave):
    with pytest.raises(PermissionDeniedError):
        designdoc_transition(doc=ready, actor=dave, to_stage=S.DATA_PREPARATION)


@pytest.mark.parametrize("to", ["", "launched", "unclassified", "\x00"])
def test_an_unknown_stage_is_a_400_naming_to(ready, alice, to):
    with pytest.raises(DomainError) as refused:
        designdoc_transition(doc=ready, actor=alice, to_stage=to)
    assert refused.value.status_code == 400 and "to" in refused.value.errors


def test_the_stage_is_not_content_and_an_edit_cannot_set_it(ready, alice):
    assert "stage" not in content_of(ready)
    with pytest.raises(DomainError, match="moves through lifecycle transitions"):
        designdoc_update(
            doc=ready, user=alice, expected_version=ready.version, changes={"stage": "retired"}
        )


def test_the_tier_is_set_by_its_service_only_and_a_change_voids_the_approval(ready, alice):
    with pytest.raises(DomainError, match="questionnaire"):
        designdoc_update(
            doc=ready, user=alice, expected_version=ready.version, changes={"risk_tier": "high"}
        )
    assert ready.is_approved

    result = designdoc_set_risk_tier(doc=ready, actor=alice, tier="high", reasons=["Annex III"])

    doc = DesignDoc.objects.get(pk=ready.pk)
    assert result.revision.content["risk_tier"] == "high" == doc.risk_tier
    assert doc.status == WorkflowStatus.DRAFT and not doc.is_approved
    # The same tier again: nothing new.
    assert designdoc_set_risk_tier(doc=doc, actor=alice, tier="high").revision is None


# --- API and page ------------------------------------------------------------------------


def test_api_transition_answers_201_and_409_with_the_sentence(token_client, alice, ready):
    client = token_client(alice)
    url = f"/api/designdocs/{ready.pk}/transition/"

    refused = client.post(url, {"to": "monitoring"}, format="json")
    assert refused.status_code == 409
    assert "cannot move to monitoring" in refused.json()["message"]

    moved = client.post(url, {"to": "deployment", "reason": "Go"}, format="json")
    assert moved.status_code == 201, moved.content
    assert moved.json()["to_stage"] == "deployment"
    body = client.get(f"/api/designdocs/{ready.pk}/").json()
    assert body["stage"] == "deployment"
    listed = client.get(f"/api/designdocs/{ready.pk}/transitions/").json()["results"]
    assert [t["to_stage"] for t in listed] == ["deployment"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "to"), ({"to": 3}, "to"), ({"to": "deployment", "reason": 5}, "reason"),
     ({"to": "deployment", "extra": 1}, "extra")],
)  # fmt: skip
def test_api_transition_bad_input_is_400_naming_the_field(token_client, alice, ready, body, field):
    response = token_client(alice).post(
        f"/api/designdocs/{ready.pk}/transition/", body, format="json"
    )
    assert response.status_code == 400
    assert field in str(response.json())
    assert DesignDoc.objects.get(pk=ready.pk).stage == S.ERROR_ANALYSIS


def test_api_transition_by_a_viewer_is_403_and_invisible_is_404(token_client, dave, ready):
    assert (
        token_client(dave)
        .post(f"/api/designdocs/{ready.pk}/transition/", {"to": "deployment"}, format="json")
        .status_code
        == 403
    )


def test_the_page_shows_the_moves_the_blocking_sentence_and_the_timeline(client, alice, team):
    doc = at(FullDesignDocFactory(owner_team=team, product_owner=alice), S.ERROR_ANALYSIS)
    client.force_login(alice)
    page = client.get(doc.get_absolute_url()).content.decode()
    assert 'id="lifecycle"' in page
    assert "Entering deployment requires an approved current revision" in page

    response = client.post(
        reverse("designdocs:designdoc_transition", kwargs={"slug": doc.slug}),
        {"to": "model_training", "reason": "More data needed"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Error analysis → Model training" in page and "More data needed" in page

    response = client.post(
        reverse("designdocs:designdoc_transition", kwargs={"slug": doc.slug}),
        {"to": "monitoring"},
        follow=True,
    )
    assert "cannot move to monitoring" in response.content.decode()
    assert DesignDoc.objects.get(pk=doc.pk).stage == S.MODEL_TRAINING
