"""The reviews app's approval provider (reviews/printing.py, registered from its apps.py),
end to end with the real review services: who approved, the approved and superseded
states, and what the PDF export makes of them (sign, verify)."""

from __future__ import annotations

import pytest

from designdocs.models import Revision
from exports import services
from exports.verify import verify_pdf
from registry.core import printing
from reviews import services as reviews
from reviews.printing import approval_of
from tests.exports.conftest import pdf_text
from tests.reviews.factories import classified_doc, edit, fresh

pytestmark = pytest.mark.django_db


def approved_doc(alice, team, *architects, tier="high", approve_with_comment=False):
    doc = classified_doc(team=team, product_owner=alice, tier=tier)
    reviews.designdoc_submit(doc=doc, actor=alice, reviewers=[a.username for a in architects])
    for n, architect in enumerate(architects):
        with_comment = approve_with_comment and n == len(architects) - 1
        reviews.review_decide(
            doc=fresh(doc),
            actor=architect,
            decision="approve_with_comment" if with_comment else "approve",
            body="Monitoring looks right." if with_comment else "",
            revision=fresh(doc).revision_number,
        )
    return fresh(doc)


def test_the_registered_provider_is_the_reviews_one():
    revision_provider = printing._approval_provider[0]
    assert revision_provider is approval_of


def test_an_approved_revision_names_its_architects(alice, bob, carol, team):
    doc = approved_doc(alice, team, bob, carol, approve_with_comment=True)
    assert doc.status == "approved"
    approval = printing.approval_of(doc.latest_revision)
    assert approval.approved and approval.superseded_by is None
    assert [(a.name, a.username, a.decision) for a in approval.approvers] == [
        (bob.get_full_name(), "bob", "approved"),
        (carol.get_full_name(), "carol", "approved with comment"),
    ]
    assert {a.revision_number for a in approval.approvers} == {doc.revision_number}
    assert {a.content_hash for a in approval.approvers} == {doc.latest_revision.content_hash}
    assert approval.fingerprint().startswith("approved:bob|approved|")


def test_a_revision_in_review_or_half_approved_is_not_approved(alice, bob, carol, team):
    doc = classified_doc(team=team, product_owner=alice, tier="high")
    assert printing.approval_of(fresh(doc).latest_revision) == printing.NOT_APPROVED
    reviews.designdoc_submit(doc=doc, actor=alice, reviewers=["bob", "carol"])
    reviews.review_decide(doc=fresh(doc), actor=bob, decision="approve", revision=1)
    doc = fresh(doc)
    assert doc.status == "in_review"
    assert printing.approval_of(doc.latest_revision) == printing.NOT_APPROVED


def test_an_edit_supersedes_the_approved_revision(alice, bob, team):
    doc = approved_doc(alice, team, bob, tier="limited")
    first = doc.latest_revision
    doc = edit(doc, alice, title="Demand forecasting v2")
    assert doc.revision_number == 2
    old = printing.approval_of(Revision.objects.get(pk=first.pk))
    assert not old.approved and old.superseded_by == 2
    assert [a.username for a in old.approvers] == ["bob"]  # kept as history
    assert printing.approval_of(doc.latest_revision) == printing.NOT_APPROVED


def test_the_pdf_of_a_really_approved_revision_is_signed_and_verifies(
    alice, bob, carol, team, eager, media, django_capture_on_commit_callbacks
):
    doc = approved_doc(alice, team, bob, carol)
    with django_capture_on_commit_callbacks(execute=True):
        export, queued = services.export_designdoc_request(user=alice, doc=doc)
    export.refresh_from_db()
    assert queued and export.status == "done", export.error
    assert export.signed
    assert [a["username"] for a in export.signature["payload"]["approvers"]] == ["bob", "carol"]
    pdf = export.file.open("rb").read()
    text = pdf_text(pdf)
    assert "Draft - not approved" not in text
    assert bob.get_full_name() in text and carol.get_full_name() in text
    verdict = verify_pdf(pdf)
    assert verdict.signed_by_registry and verdict.unmodified and verdict.still_approved
    # The document moves on: the same file now verifies as superseded by revision 2.
    edit(doc, alice, title="Demand forecasting v2")
    later = verify_pdf(pdf)
    assert later.unmodified and not later.still_approved and later.superseded_by == 2
