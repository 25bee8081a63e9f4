"""The review workflow through its services: the acceptance story, the approval rules,
stale approvals, comments, deletion of reviewed documents and the e-mails sent."""

from __future__ import annotations

import pytest

from designdocs.choices import WorkflowStatus
from designdocs.models import DesignDoc
from designdocs.services import designdoc_delete
from registry.core.errors import ConflictError, DomainError, PermissionDeniedError
from registry.core.models import AuditEvent
from reviews import services
from reviews.errors import StaleRevisionError
from reviews.models import Comment, Notification, Review, ReviewRequest
from reviews.selectors import approval_state, approvals_of, comments_of, outdated_comment_ids
from tests.reviews.factories import classified_doc, edit, fresh

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def _decide(doc, user, decision, body="", **kwargs):
    doc = fresh(doc)
    kwargs.setdefault("revision", doc.revision_number)
    return services.review_decide(doc=doc, actor=user, decision=decision, body=body, **kwargs)


def test_acceptance_story_submit_request_changes_resubmit_approve_then_edit(world, emails):
    alice, bob = world["alice"], world["bob"]
    doc = classified_doc(team=world["team"], product_owner=alice)

    with emails() as sent:
        services.designdoc_submit(doc=doc, actor=alice, reviewers=["bob"])
    assert fresh(doc).status == WorkflowStatus.IN_REVIEW
    assert [m.to for m in sent] == [["bob@example.com"]]
    assert "asked you to review" in sent[0].subject

    with emails() as sent:
        services.comment_add(
            doc=doc, actor=bob, section="risks", body="Who owns the data drift risk?"
        )
        _decide(doc, bob, "request_changes", "The risks need owners.")
    assert fresh(doc).status == WorkflowStatus.CHANGES_REQUESTED
    assert [m.to for m in sent] == [["alice@example.com"]]
    assert "request changes" in sent[0].subject

    doc = edit(
        doc,
        alice,
        risks=[
            {
                "title": "Data drift",
                "category": "data",
                "likelihood": 2,
                "impact": 2,
                "mitigation": "Weekly drift report.",
                "owner": "alice",
                "status": "open",
            }
        ],
    )
    assert fresh(doc).revision_number == 2  # created (limited tier), risks edited
    services.designdoc_submit(doc=doc, actor=alice, reviewers=["bob"])
    thread = Comment.objects.get()
    assert thread.pk in outdated_comment_ids(fresh(doc), list(comments_of(user=bob, doc=doc)))

    with emails() as sent:
        _decide(doc, bob, "approve")
    doc = fresh(doc)
    assert doc.status == WorkflowStatus.APPROVED and doc.is_approved
    assert doc.approved_revision_id == doc.latest_revision_id
    assert [m.to for m in sent] == [["alice@example.com"]]
    assert "the document is approved" in sent[0].subject

    doc = edit(doc, alice, open_questions="A new question.")
    doc = fresh(doc)
    assert doc.status == WorkflowStatus.DRAFT
    state = approval_state(doc)
    assert state.count == 0
    assert [(r.reviewer.username, r.revision.number) for r in state.stale] == [("bob", 2)]
    assert state.approved_revision == 2 and "stale" in state.badge
    approvals = approvals_of(Review.objects.get(decision="approve").revision)
    assert [(a["username"], a["revision"], a["decision"]) for a in approvals] == [
        ("bob", 2, "approve")
    ]


def test_high_risk_needs_two_distinct_architects(world, emails):
    alice, bob, carol = world["alice"], world["bob"], world["carol"]
    doc = classified_doc(team=world["team"], product_owner=alice, tier="high")
    services.designdoc_submit(doc=doc, actor=alice)
    _decide(doc, bob, "approve")
    assert fresh(doc).status == WorkflowStatus.IN_REVIEW
    assert approval_state(fresh(doc)).badge == "1 of 2 approvals"
    _decide(doc, bob, "approve_with_comment", "Still fine.")  # the same architect again
    assert fresh(doc).status == WorkflowStatus.IN_REVIEW
    _decide(doc, carol, "approve")
    assert fresh(doc).status == WorkflowStatus.APPROVED


def test_authors_viewers_and_product_owners_cannot_approve(world):
    alice, dave = world["alice"], world["dave"]
    doc = classified_doc(team=world["team"], product_owner=alice, tier="high")
    services.designdoc_submit(doc=doc, actor=alice)
    with pytest.raises(PermissionDeniedError, match="author"):
        _decide(doc, alice, "approve")
    with pytest.raises(PermissionDeniedError, match="Only architects"):
        _decide(doc, dave, "approve")
    assert not Review.objects.exists()


def test_an_architect_co_author_cannot_approve(world):
    alice, bob = world["alice"], world["bob"]
    doc = classified_doc(team=world["team"], product_owner=alice, co_authors=None)
    doc = edit(doc, alice, co_authors=["bob"])
    services.designdoc_submit(doc=doc, actor=alice, reviewers=[])
    with pytest.raises(PermissionDeniedError, match="author"):
        _decide(doc, bob, "approve")


def test_superuser_author_cannot_approve_either(world, superuser):
    from django.contrib.auth.models import Group

    from registry.core import roles

    superuser.groups.add(Group.objects.get_or_create(name=roles.PRODUCT_OWNERS)[0])
    doc = classified_doc(team=world["team"], product_owner=superuser)
    services.designdoc_submit(doc=doc, actor=superuser)
    with pytest.raises(PermissionDeniedError, match="author"):
        _decide(doc, superuser, "approve")


def test_unclassified_doc_cannot_be_submitted(world):
    alice = world["alice"]
    doc = classified_doc(team=world["team"], product_owner=alice, tier="unclassified")
    with pytest.raises(ConflictError, match="no risk tier yet"):
        services.designdoc_submit(doc=doc, actor=alice)
    assert fresh(doc).status == WorkflowStatus.DRAFT


def test_unacceptable_tier_cannot_be_approved_and_says_so(world):
    alice, bob = world["alice"], world["bob"]
    doc = classified_doc(team=world["team"], product_owner=alice, tier="unacceptable")
    services.designdoc_submit(doc=doc, actor=alice)
    with pytest.raises(ConflictError, match="unacceptable risk tier"):
        _decide(doc, bob, "approve")
    _decide(doc, bob, "request_changes", "Prohibited practice.")
    assert fresh(doc).status == WorkflowStatus.CHANGES_REQUESTED


def test_decision_on_an_older_revision_is_refused_with_412(world):
    alice, bob = world["alice"], world["bob"]
    doc = classified_doc(team=world["team"], product_owner=alice)
    services.designdoc_submit(doc=doc, actor=alice)
    old = fresh(doc)
    edit(doc, alice, open_questions="Edited during review.")
    assert fresh(doc).status == WorkflowStatus.IN_REVIEW  # the request stays open
    with pytest.raises(StaleRevisionError) as refused:
        services.review_decide(
            doc=fresh(doc), actor=bob, decision="approve", revision=old.revision_number
        )
    assert refused.value.extra_body["current_revision"] == old.revision_number + 1
    with pytest.raises(StaleRevisionError):
        services.review_decide(
            doc=fresh(doc), actor=bob, decision="approve", content_hash=old.content_hash
        )
    assert not Review.objects.exists()
    services.review_decide(
        doc=fresh(doc), actor=bob, decision="approve", content_hash=fresh(doc).content_hash
    )
    assert fresh(doc).status == WorkflowStatus.APPROVED


def test_approval_on_older_revision_in_review_does_not_count(world):
    alice, bob, carol = world["alice"], world["bob"], world["carol"]
    doc = classified_doc(team=world["team"], product_owner=alice, tier="high")
    services.designdoc_submit(doc=doc, actor=alice)
    _decide(doc, bob, "approve")
    edit(doc, alice, open_questions="Edited during review.")
    _decide(doc, carol, "approve")
    doc = fresh(doc)
    assert doc.status == WorkflowStatus.IN_REVIEW
    state = approval_state(doc)
    assert [r.reviewer.username for r in state.approvals] == ["carol"]
    assert [r.reviewer.username for r in state.stale] == ["bob"]


def test_comment_decision_requires_a_comment(world):
    alice, bob = world["alice"], world["bob"]
    doc = classified_doc(team=world["team"], product_owner=alice)
    services.designdoc_submit(doc=doc, actor=alice)
    for decision in ("request_changes", "comment", "approve_with_comment"):
        with pytest.raises(DomainError) as refused:
            _decide(doc, bob, decision, "  \u200b ")
        assert refused.value.field == "body"


def test_reviewers_must_be_architects_not_authors(world):
    alice, dave = world["alice"], world["dave"]
    doc = classified_doc(team=world["team"], product_owner=alice)
    for names, words in (
        (["dave"], "not an architect"),
        (["alice"], "not an architect"),
        (["nobody"], "not an active user"),
    ):
        with pytest.raises(DomainError, match=words) as refused:
            services.designdoc_submit(doc=doc, actor=alice, reviewers=names)
        assert refused.value.field == "reviewers"
    assert not ReviewRequest.objects.exists()
    assert dave  # the viewer exists and was refused as a reviewer


def test_supersede_names_a_visible_doc_and_refuses_cycles(world):
    alice = world["alice"]
    old = classified_doc(team=world["team"], product_owner=alice, title="Old")
    new = classified_doc(team=world["team"], product_owner=alice, title="New")
    services.designdoc_supersede(doc=old, actor=alice, superseded_by=new.slug)
    assert fresh(old).status == WorkflowStatus.SUPERSEDED and fresh(old).superseded_by_id == new.pk
    with pytest.raises(ConflictError, match="cycle"):
        services.designdoc_supersede(doc=new, actor=alice, superseded_by=old.pk)
    with pytest.raises(DomainError, match="itself"):
        services.designdoc_supersede(doc=new, actor=alice, superseded_by=new.pk)
    with pytest.raises(DomainError, match="no such document"):
        services.designdoc_supersede(doc=new, actor=alice, superseded_by=999999)


def test_reviewed_document_cannot_be_deleted_only_archived(world):
    alice = world["alice"]
    doc = classified_doc(team=world["team"], product_owner=alice)
    services.designdoc_submit(doc=doc, actor=alice)
    before = AuditEvent.objects.count()
    with pytest.raises(ConflictError, match="Archive it instead"):
        designdoc_delete(doc=fresh(doc), user=alice)
    assert DesignDoc.objects.filter(pk=doc.pk).exists()
    assert AuditEvent.objects.count() == before
    services.designdoc_archive(doc=doc, actor=alice)
    assert fresh(doc).status == WorkflowStatus.ARCHIVED
    assert not ReviewRequest.objects.filter(state="open").exists()


def test_comment_threads_reply_resolve_reopen(world):
    alice, bob = world["alice"], world["bob"]
    doc = classified_doc(team=world["team"], product_owner=alice)
    thread = services.comment_add(
        doc=doc, actor=bob, section="risks", body="Owner?", quote="Promotions"
    )
    reply = services.comment_reply(comment=thread, actor=alice, body="Me.")
    again = services.comment_reply(comment=reply, actor=bob, body="Thanks.")
    assert reply.parent_id == thread.pk and again.parent_id == thread.pk
    services.comment_resolve(comment=reply, actor=alice)
    assert Comment.objects.get(pk=thread.pk).is_resolved
    with pytest.raises(ConflictError, match="already resolved"):
        services.comment_resolve(comment=thread, actor=bob)
    services.comment_reopen(comment=thread, actor=bob)
    with pytest.raises(ConflictError, match="open"):
        services.comment_reopen(comment=thread, actor=bob)
    with pytest.raises(DomainError) as refused:
        services.comment_add(doc=doc, actor=bob, section="nope", body="x")
    assert refused.value.field == "section"
    with pytest.raises(PermissionDeniedError):
        services.comment_add(doc=doc, actor=world["dave"], section="risks", body="x")


def test_comment_on_unchanged_section_is_not_outdated(world):
    alice, bob = world["alice"], world["bob"]
    doc = classified_doc(team=world["team"], product_owner=alice)
    on_data = services.comment_add(doc=doc, actor=bob, section="data", body="Retention?")
    on_risks = services.comment_add(doc=doc, actor=bob, section="risks", body="Owner?")
    edit(doc, alice, risks=[])
    doc = fresh(doc)
    assert outdated_comment_ids(doc, [on_data, on_risks]) == {on_risks.pk}


def test_submission_to_the_group_notifies_every_architect_but_authors(world, emails):
    alice = world["alice"]
    doc = classified_doc(team=world["team"], product_owner=alice)
    with emails() as sent:
        services.designdoc_submit(doc=doc, actor=alice)
    assert sorted(m.to[0] for m in sent) == ["bob@example.com", "carol@example.com"]
    assert Notification.objects.filter(recipient=world["bob"], read_at__isnull=True).count() == 1


def test_notification_email_is_sent_once_and_only_to_who_may_see(world, emails):
    from reviews.tasks import send_notification_emails

    alice, bob = world["alice"], world["bob"]
    doc = classified_doc(team=world["team"], product_owner=alice)
    with emails() as sent:
        services.designdoc_submit(doc=doc, actor=alice, reviewers=["bob"])
    assert len(sent) == 1
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert send_notification_emails(ids) == 0  # already e-mailed: idempotent
    # Someone who lost the right to see the doc is not written to.
    bob.groups.clear()
    Notification.objects.update(emailed_at=None)
    assert send_notification_emails(ids) == 0


def test_overdue_reminder_once_a_day(world, emails):
    import datetime

    from django.utils import timezone

    alice = world["alice"]
    doc = classified_doc(team=world["team"], product_owner=alice)
    services.designdoc_submit(
        doc=doc, actor=alice, reviewers=["bob"], due_date=timezone.localdate()
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with emails() as sent:
        assert services.remind_overdue(today=tomorrow) == 1
        assert services.remind_overdue(today=tomorrow) == 0
    assert [m.to for m in sent] == [["bob@example.com"]]
    assert "Overdue" in sent[0].subject
