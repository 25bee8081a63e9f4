"""The review pages: the queue (home panel too), the review page with its decision form
saying what it will do, submission, comments through htmx, my docs, notifications, and the
approval state on the design docs' list and detail pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from designdocs.choices import WorkflowStatus
from reviews import services
from reviews.models import Comment
from tests.reviews.factories import classified_doc, edit, fresh

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def page(client, user, path, **kwargs):
    client.force_login(user)
    return client.get(path, **kwargs)


def test_decision_form_says_it_will_approve_with_the_second_of_two(world, client):
    alice, bob, carol = world["alice"], world["bob"], world["carol"]
    doc = classified_doc(team=world["team"], product_owner=alice, tier="high")
    services.designdoc_submit(doc=doc, actor=alice)
    services.review_decide(
        doc=fresh(doc), actor=bob, decision="approve", revision=fresh(doc).revision_number
    )
    response = page(client, carol, f"/reviews/{doc.slug}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "This is the 2nd of 2 approvals needed: the doc will be approved." in text
    assert "1 of 2 approvals" in text
    response = client.post(
        f"/reviews/{doc.slug}/decide/",
        {"decision": "approve", "revision": fresh(doc).revision_number},
    )
    assert response.status_code == 302
    assert fresh(doc).status == WorkflowStatus.APPROVED
    first = page(client, bob, f"/reviews/{doc.slug}/").content.decode()
    assert "Approved r" in first


def test_first_of_two_says_how_many_more(world, client):
    alice, bob = world["alice"], world["bob"]
    doc = classified_doc(team=world["team"], product_owner=alice, tier="high")
    services.designdoc_submit(doc=doc, actor=alice)
    text = page(client, bob, f"/reviews/{doc.slug}/").content.decode()
    assert "This is the 1st of 2 approvals needed: 1 more after yours." in text


def test_author_sees_no_decision_form_and_a_refused_post_says_why(world, client):
    alice = world["alice"]
    doc = classified_doc(team=world["team"], product_owner=alice)
    services.designdoc_submit(doc=doc, actor=alice)
    text = page(client, alice, f"/reviews/{doc.slug}/").content.decode()
    assert "Record my decision" not in text
    response = client.post(f"/reviews/{doc.slug}/decide/", {"decision": "approve", "revision": 1})
    assert response.status_code == 403
    assert fresh(doc).status == WorkflowStatus.IN_REVIEW


def test_submit_dialog_submits_to_chosen_reviewers_with_due_date(world, client):
    alice = world["alice"]
    doc = classified_doc(team=world["team"], product_owner=alice)
    text = page(client, alice, f"/reviews/{doc.slug}/").content.decode()
    assert (
        "Submit revision 1 for review" in text
        and 'value="bob"' in text
        and 'value="alice"' not in text
    )
    response = client.post(
        f"/reviews/{doc.slug}/submit/", {"reviewers": ["bob"], "due_date": "2999-01-01"}
    )
    assert response.status_code == 302
    assert fresh(doc).status == WorkflowStatus.IN_REVIEW
    response = client.post(f"/reviews/{doc.slug}/submit/", {}, follow=True)
    assert "is already in review: it cannot be submitted for review." in response.content.decode()


def test_review_page_shows_changes_since_last_reviewed_revision(world, client):
    alice, bob = world["alice"], world["bob"]
    doc = classified_doc(team=world["team"], product_owner=alice)
    services.designdoc_submit(doc=doc, actor=alice)
    services.review_decide(
        doc=fresh(doc), actor=bob, decision="request_changes", body="More data.", revision=1
    )
    edit(doc, alice, data="Three years of point-of-sale data.")
    text = page(client, bob, f"/reviews/{doc.slug}/").content.decode()
    assert "Changes since the last reviewed revision (revision 1)" in text
    assert "<ins>" in text
    assert "given on an older revision" in text


def test_comments_through_htmx_reply_and_resolve(world, client):
    alice, bob = world["alice"], world["bob"]
    doc = classified_doc(team=world["team"], product_owner=alice)
    client.force_login(bob)
    response = client.post(
        f"/reviews/{doc.slug}/comments/",
        {"section": "risks", "body": "Owner?", "quote": "Promotions"},
    )
    assert response.status_code == 302
    thread = Comment.objects.get()
    client.force_login(alice)
    response = client.post(
        f"/reviews/{doc.slug}/comments/{thread.pk}/reply/",
        {"body": "Me, **alice**."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "<strong>alice</strong>" in response.content.decode()
    response = client.post(
        f"/reviews/{doc.slug}/comments/{thread.pk}/resolve/", HTTP_HX_REQUEST="true"
    )
    assert "resolved" in response.content.decode()
    response = client.post(
        f"/reviews/{doc.slug}/comments/{thread.pk}/resolve/", HTTP_HX_REQUEST="true"
    )
    assert "already resolved" in response.content.decode()
    client.force_login(world["dave"])
    assert (
        client.post(f"/reviews/{doc.slug}/comments/{thread.pk}/reply/", {"body": "x"}).status_code
        == 403
    )


def test_review_page_escapes_comment_markdown(world, client):
    alice, bob = world["alice"], world["bob"]
    doc = classified_doc(team=world["team"], product_owner=alice)
    services.comment_add(doc=doc, actor=bob, section="risks", body="<script>alert(1)</script> hi")
    text = page(client, alice, f"/reviews/{doc.slug}/").content.decode()
    assert "<script>alert(1)</script>" not in text


def test_invisible_doc_review_page_is_404(world, client, user_without_role):
    doc = classified_doc(team=world["team"], product_owner=world["alice"])
    assert page(client, user_without_role, f"/reviews/{doc.slug}/").status_code == 404


def _queue_docs(world, n, start=0):
    for i in range(start, start + n):
        doc = classified_doc(
            team=world["team"], product_owner=world["alice"], title=f"Queue doc {i}"
        )
        services.designdoc_submit(doc=doc, actor=world["alice"], reviewers=["bob"] if i % 2 else [])


def test_queue_lists_waiting_for_me_and_query_count_is_flat(world, client):
    _queue_docs(world, 2)
    client.force_login(world["bob"])
    with CaptureQueriesContext(connection) as few:
        response = client.get("/reviews/")
    assert response.status_code == 200
    assert response.content.decode().count("waiting for you") == 2
    _queue_docs(world, 6, start=2)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/reviews/?scope=all")
    assert response.content.decode().count("Queue doc") == 8
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_home_of_an_architect_is_their_review_queue(world, client):
    _queue_docs(world, 1)
    text = page(client, world["bob"], "/").content.decode()
    assert "Waiting for your review" in text and "Queue doc 0" in text
    text = page(client, world["alice"], "/").content.decode()
    assert "Waiting for your review" not in text


def test_my_docs_and_notifications_pages(world, client):
    _queue_docs(world, 1)
    text = page(client, world["alice"], "/reviews/mine/").content.decode()
    assert "Queue doc 0" in text and "waiting for architects" in text
    response = page(client, world["bob"], "/reviews/notifications/")
    assert "asked you to review" in response.content.decode()
    assert 'class="badge badge--count"' in page(client, world["bob"], "/").content.decode()
    assert client.post("/reviews/notifications/read/").status_code == 302
    assert "0 unread" in client.get("/reviews/notifications/").content.decode()


def test_approval_state_on_design_doc_list_and_detail(world, client):
    alice, bob = world["alice"], world["bob"]
    doc = classified_doc(team=world["team"], product_owner=alice)
    services.designdoc_submit(doc=doc, actor=alice)
    services.review_decide(doc=fresh(doc), actor=bob, decision="approve", revision=1)
    assert "Approved r1" in page(client, alice, "/designdocs/").content.decode()
    detail = page(client, alice, doc.get_absolute_url()).content.decode()
    assert "Approved r1" in detail and "Timeline" in detail
    edit(doc, alice, open_questions="Edited after approval.")
    assert "r1 approved, edited since" in page(client, alice, "/designdocs/").content.decode()
