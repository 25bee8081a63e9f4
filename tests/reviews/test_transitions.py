"""Every (state, transition) pair of the review workflow, legal and illegal. A legal one
reaches its target state and records its audit event; an illegal one answers 409 with a
sentence saying why, and leaves the document, the review requests, the audit log, the
notifications and the e-mail outbox as they were."""

from __future__ import annotations

import pytest

from designdocs.choices import WorkflowStatus as S
from registry.core.errors import ConflictError
from registry.core.models import AuditEvent
from reviews import services
from reviews.models import Notification, Review, ReviewRequest
from tests.reviews.factories import classified_doc, doc_in_state, fresh

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]

STATES = [S.DRAFT, S.IN_REVIEW, S.CHANGES_REQUESTED, S.APPROVED, S.SUPERSEDED, S.ARCHIVED]


def _submit(doc, w):
    services.designdoc_submit(doc=doc, actor=w["alice"], reviewers=["bob"])


def _withdraw(doc, w):
    services.designdoc_withdraw(doc=doc, actor=w["alice"])


def _decide(decision, body=""):
    def run(doc, w):
        services.review_decide(
            doc=doc, actor=w["bob"], decision=decision, body=body, revision=doc.revision_number
        )

    return run


def _archive(doc, w):
    services.designdoc_archive(doc=doc, actor=w["alice"])


def _supersede(doc, w):
    services.designdoc_supersede(doc=doc, actor=w["alice"], superseded_by=w["replacement"])


TRANSITIONS = {
    "submit": (_submit, "audit", "designdoc.submit"),
    "withdraw": (_withdraw, "audit", "designdoc.withdraw"),
    "approve": (_decide("approve"), "audit", "review.approve"),
    "request_changes": (
        _decide("request_changes", "Needs owners."),
        "audit",
        "review.request_changes",
    ),
    "comment": (_decide("comment", "A remark."), "audit", "review.comment"),
    "archive": (_archive, "audit", "designdoc.archive"),
    "supersede": (_supersede, "audit", "designdoc.supersede"),
}

#: (state, transition) -> the state reached; absent pairs are illegal.
LEGAL = {
    (S.DRAFT, "submit"): S.IN_REVIEW,
    (S.CHANGES_REQUESTED, "submit"): S.IN_REVIEW,
    (S.IN_REVIEW, "withdraw"): S.DRAFT,
    (S.IN_REVIEW, "approve"): S.APPROVED,
    (S.IN_REVIEW, "request_changes"): S.CHANGES_REQUESTED,
    (S.IN_REVIEW, "comment"): S.IN_REVIEW,
    **{(state, "archive"): S.ARCHIVED for state in STATES if state != S.ARCHIVED},
    **{
        (state, "supersede"): S.SUPERSEDED
        for state in (S.DRAFT, S.IN_REVIEW, S.CHANGES_REQUESTED, S.APPROVED)
    },
}

#: Words the refusal of each illegal pair must hold (the reason in plain words).
REASONS = {
    S.DRAFT: "is a draft",
    S.IN_REVIEW: "is already in review",
    S.CHANGES_REQUESTED: "has changes requested",
    S.APPROVED: "is approved",
    S.SUPERSEDED: "is superseded",
    S.ARCHIVED: "is archived",
}


@pytest.fixture
def w(world):
    world["replacement"] = classified_doc(
        team=world["team"], product_owner=world["alice"], title="Replacement"
    )
    return world


def _snapshot(doc, mailoutbox):
    row = (
        type(doc)
        .objects.filter(pk=doc.pk)
        .values("status", "approved_revision", "superseded_by", "version", "latest_revision")
        .get()
    )
    return (
        row,
        list(ReviewRequest.objects.values_list("pk", "state", "close_reason").order_by("pk")),
        AuditEvent.objects.count(),
        Review.objects.count(),
        Notification.objects.count(),
        len(mailoutbox),
    )


@pytest.mark.parametrize("transition", list(TRANSITIONS))
@pytest.mark.parametrize("state", STATES)
def test_transition_table(state, transition, w, emails, mailoutbox):
    doc = doc_in_state(
        state, team=w["team"], author=w["alice"], architect=w["bob"], other_doc=w["replacement"]
    )
    assert doc.status == state
    run, _, action = TRANSITIONS[transition]
    target = LEGAL.get((state, transition))
    before = _snapshot(doc, mailoutbox)
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    if target is None:
        with emails() as sent, pytest.raises(ConflictError) as refused:
            run(doc, w)
        assert refused.value.status_code == 409
        message = refused.value.message
        assert message.endswith(".") and doc.title in message, message
        assert REASONS[state] in message or "cannot" in message, message
        assert sent == []
        assert _snapshot(doc, mailoutbox) == before, "a refused transition changed something"
        return
    with emails():
        run(doc, w)
    assert fresh(doc).status == target
    events = list(
        AuditEvent.objects.filter(id__gt=last_event).values_list("action", "object_id", "payload")
    )
    assert [(a, oid) for a, oid, _ in events] == [(action, str(doc.pk))]
    assert events[0][2]["revision"] == doc.revision_number  # linked to the revision concerned


def test_the_table_covers_every_pair():
    assert len(STATES) * len(TRANSITIONS) == 42
    assert len(LEGAL) == 15
