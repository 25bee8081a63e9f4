"""Real concurrent requests on PostgreSQL, each in its own thread with its own database
connection, through the WSGI stack: two architects approving a high-risk document at the
same moment both count (it ends approved), and a decision racing an edit leaves a
consistent state. The guarantee rests on the row lock every review service takes on the
document (`SELECT ... FOR UPDATE`)."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import connection

from designdocs.choices import WorkflowStatus
from designdocs.models import DesignDoc
from reviews import services
from reviews.models import Review
from tests.factories import TeamMembershipFactory
from tests.reviews.factories import classified_doc

OVERLAP_SECONDS = 1.0

# Tasks in-process (eager_tasks): the e-mail tasks the racing requests send on commit run in
# their own threads, before those close their connections. Sent to Redis, they ran on the
# session's test worker (tests/conftest.py celery_worker) once another test had started it,
# its connection racing this test's teardown flush (a deadlock seen in CI).
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("eager_tasks"),
]


def _run_together(calls: dict) -> dict:
    start = threading.Barrier(len(calls))
    responses, failures = {}, []

    def run(name, call):
        try:
            start.wait(timeout=10)
            responses[name] = call()
        except BaseException as exc:  # reported in the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a request hung"
    assert not failures, failures
    return responses


def _rendezvous_after_lock(monkeypatch, function_name: str, module=services):
    """Each caller of `function_name`, reached after the row lock, waits for the other: with
    the lock the other is blocked before it, so the wait times out and the first commits
    alone; without the lock both would read the same state."""
    rendezvous = threading.Barrier(2)
    original = getattr(module, function_name)

    def waiting(*args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            rendezvous.wait(timeout=OVERLAP_SECONDS)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, function_name, waiting)


def test_two_architects_approving_together_both_count(
    token_client, alice, bob, carol, team, monkeypatch
):
    doc = classified_doc(team=team, product_owner=alice, tier="high")
    services.designdoc_submit(doc=doc, actor=alice)
    revision = DesignDoc.objects.get(pk=doc.pk).revision_number
    clients = {"bob": token_client(bob), "carol": token_client(carol)}
    _rendezvous_after_lock(monkeypatch, "current_approvers")
    url = f"/api/designdocs/{doc.pk}/reviews/"
    responses = _run_together(
        {
            name: (
                lambda c=c: c.post(
                    url, {"decision": "approve", "revision": revision}, format="json"
                )
            )
            for name, c in clients.items()
        }
    )
    assert sorted(r.status_code for r in responses.values()) == [201, 201]
    stored = DesignDoc.objects.get(pk=doc.pk)
    assert stored.status == WorkflowStatus.APPROVED
    assert stored.approved_revision_id == stored.latest_revision_id
    assert Review.objects.filter(design_doc=doc).count() == 2


def test_a_decision_racing_an_edit_stays_consistent(token_client, alice, bob, team, monkeypatch):
    TeamMembershipFactory(team=team, user=bob)  # not needed to decide; bob reviews
    doc = classified_doc(team=team, product_owner=alice)
    services.designdoc_submit(doc=doc, actor=alice)
    doc = DesignDoc.objects.get(pk=doc.pk)
    revision, version = doc.revision_number, doc.version
    _rendezvous_after_lock(monkeypatch, "current_approvers")
    from designdocs import services as designdoc_services

    _rendezvous_after_lock(monkeypatch, "_validated", module=designdoc_services)
    editor, reviewer = token_client(alice), token_client(bob)
    responses = _run_together(
        {
            "edit": lambda: editor.patch(
                f"/api/designdocs/{doc.pk}/",
                {"open_questions": "Changed at the same moment."},
                format="json",
                HTTP_IF_MATCH=f'"{doc.pk}-{version}"',
            ),
            "decide": lambda: reviewer.post(
                f"/api/designdocs/{doc.pk}/reviews/",
                {"decision": "approve", "revision": revision},
                format="json",
            ),
        }
    )
    assert responses["edit"].status_code == 200, responses["edit"].content
    stored = DesignDoc.objects.get(pk=doc.pk)
    assert stored.revision_number == revision + 1
    if responses["decide"].status_code == 201:
        # The decision came first: approved revision N, then the edit returned it to draft.
        assert stored.status == WorkflowStatus.DRAFT
        assert stored.approved_revision.number == revision
        assert Review.objects.get().revision.number == revision
    else:
        # The edit came first: the decision named a revision no longer the latest.
        assert responses["decide"].status_code == 412, responses["decide"].content
        assert stored.status == WorkflowStatus.IN_REVIEW
        assert not Review.objects.exists()
