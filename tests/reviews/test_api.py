"""The review API: workflow operations, decisions, comments, notifications; 401/403/404/
409/412 in the one error shape; query counts flat in list length."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from designdocs.choices import WorkflowStatus
from registry.core.testing.api import assert_error_shape
from reviews.models import Notification, Review
from tests.reviews.factories import classified_doc, edit, fresh

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def url(doc, tail: str) -> str:
    return f"/api/designdocs/{doc.pk}/{tail}"


@pytest.fixture
def doc(world):
    return classified_doc(team=world["team"], product_owner=world["alice"], tier="high")


def test_api_story_submit_decide_and_list(world, doc, token_client, emails):
    alice, bob, carol = (token_client(world[n]) for n in ("alice", "bob", "carol"))
    with emails() as sent:
        response = alice.post(
            url(doc, "submit/"),
            {"reviewers": ["bob", "carol"], "due_date": "2999-01-31"},
            format="json",
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "in_review"
    assert body["review_request"]["reviewers"] == ["bob", "carol"]
    assert body["approval"]["approvals_required"] == 2
    assert sorted(m.to[0] for m in sent) == ["bob@example.com", "carol@example.com"]

    revision = fresh(doc).revision_number
    response = bob.post(
        url(doc, "reviews/"), {"decision": "approve", "revision": revision}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["stale"] is False and response.json()["revision"] == revision
    assert fresh(doc).status == WorkflowStatus.IN_REVIEW
    response = carol.post(
        url(doc, "reviews/"),
        {
            "decision": "approve_with_comment",
            "body": "Good **monitoring**.",
            "content_hash": fresh(doc).content_hash,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert "<strong>monitoring</strong>" in response.json()["body_html"]
    assert fresh(doc).status == WorkflowStatus.APPROVED

    listed = alice.get(url(doc, "reviews/")).json()
    assert [r["reviewer"] for r in listed["results"]] == ["carol", "bob"]
    state = alice.get(url(doc, "approval/")).json()
    assert state["approval"]["approved_by"] == ["bob", "carol"]
    doc_body = alice.get(f"/api/designdocs/{doc.pk}/").json()
    assert doc_body["status"] == "approved"


def test_own_approval_refused_403_and_viewer_403_and_invisible_404(
    world, doc, token_client, user_without_role
):
    token_client(world["alice"]).post(url(doc, "submit/"), {}, format="json")
    revision = fresh(doc).revision_number
    for name in ("alice", "dave"):
        response = token_client(world[name]).post(
            url(doc, "reviews/"), {"decision": "approve", "revision": revision}, format="json"
        )
        assert_error_shape(response, 403)
    assert_error_shape(
        token_client(user_without_role).post(
            url(doc, "reviews/"), {"decision": "approve", "revision": revision}, format="json"
        ),
        404,
    )
    assert_error_shape(
        token_client(user_without_role).post(url(doc, "submit/"), {}, format="json"), 404
    )
    assert not Review.objects.exists()


def test_wrong_state_409_and_stale_revision_412(world, doc, token_client):
    alice, bob = token_client(world["alice"]), token_client(world["bob"])
    body = assert_error_shape(alice.post(url(doc, "withdraw/"), format="json"), 409)
    assert "is a draft" in body["message"]
    alice.post(url(doc, "submit/"), {}, format="json")
    old = fresh(doc).revision_number
    edit(doc, world["alice"], open_questions="Changed while in review.")
    body = assert_error_shape(
        bob.post(url(doc, "reviews/"), {"decision": "approve", "revision": old}, format="json"), 412
    )
    assert body["current_revision"] == old + 1
    body = assert_error_shape(
        bob.post(url(doc, "reviews/"), {"decision": "approve"}, format="json"), 428
    )
    assert "revision" in body["errors"]
    body = assert_error_shape(
        bob.post(url(doc, "reviews/"), {"decision": "maybe", "revision": old}, format="json"), 400
    )
    assert "decision" in body["errors"]
    assert not Review.objects.exists()


def test_delete_of_reviewed_doc_is_409_archive_instead(world, doc, token_client):
    alice = token_client(world["alice"])
    alice.post(url(doc, "submit/"), {}, format="json")
    body = assert_error_shape(alice.delete(f"/api/designdocs/{doc.pk}/"), 409)
    assert "Archive it instead" in body["message"]
    response = alice.post(url(doc, "archive/"), format="json")
    assert response.status_code == 200 and response.json()["status"] == "archived"


def test_supersede_via_api(world, doc, token_client):
    other = classified_doc(team=world["team"], product_owner=world["alice"], title="Next")
    alice = token_client(world["alice"])
    body = assert_error_shape(
        alice.post(url(doc, "supersede/"), {"superseded_by": "no-such-doc"}, format="json"), 400
    )
    assert "superseded_by" in body["errors"]
    response = alice.post(url(doc, "supersede/"), {"superseded_by": str(other.pk)}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["superseded_by"] == other.pk
    assert_error_shape(
        token_client(world["alice"]).post(
            url(other, "supersede/"), {"superseded_by": doc.slug}, format="json"
        ),
        409,
    )


def test_comments_api_thread_reply_resolve_reopen(world, doc, token_client):
    bob, alice = token_client(world["bob"]), token_client(world["alice"])
    response = bob.post(
        url(doc, "comments/"),
        {"section": "risks", "body": "Owner?", "quote": "Promotions"},
        format="json",
    )
    assert response.status_code == 201, response.content
    thread = response.json()
    assert thread["section"] == "risks" and thread["outdated"] is False
    response = alice.post(
        url(doc, f"comments/{thread['id']}/replies/"), {"body": "Me."}, format="json"
    )
    assert response.status_code == 201 and [r["body"] for r in response.json()["replies"]] == [
        "Me."
    ]
    assert (
        alice.post(url(doc, f"comments/{thread['id']}/resolve/"), format="json").json()["resolved"]
        is True
    )
    assert_error_shape(
        alice.post(url(doc, f"comments/{thread['id']}/resolve/"), format="json"), 409
    )
    assert (
        alice.post(url(doc, f"comments/{thread['id']}/reopen/"), format="json").json()["resolved"]
        is False
    )
    assert_error_shape(
        token_client(world["dave"]).post(
            url(doc, "comments/"), {"section": "risks", "body": "x"}, format="json"
        ),
        403,
    )
    body = assert_error_shape(
        bob.post(url(doc, "comments/"), {"section": "nope", "body": "x"}, format="json"), 400
    )
    assert "section" in body["errors"]
    edit(doc, world["alice"], risks=[])
    listed = bob.get(url(doc, "comments/")).json()["results"]
    assert listed[0]["outdated"] is True
    assert_error_shape(bob.get(url(doc, "comments/999999/resolve/")), 405)


def test_notifications_api_lists_mine_and_marks_read(world, doc, token_client):
    token_client(world["alice"]).post(url(doc, "submit/"), {"reviewers": ["bob"]}, format="json")
    bob = token_client(world["bob"])
    listed = bob.get("/api/notifications/?unread=true").json()
    assert [n["verb"] for n in listed["results"]] == ["review_requested"]
    assert token_client(world["carol"]).get("/api/notifications/").json()["count"] == 0
    assert_error_shape(bob.get("/api/notifications/?unread=maybe"), 400)
    assert bob.post("/api/notifications/read/", {}, format="json").json() == {"marked": 1}
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_anonymous_gets_401(doc, api_client):
    for tail in ("submit/", "reviews/", "comments/", "withdraw/"):
        assert_error_shape(api_client.post(url(doc, tail), {}, format="json"), 401)
    assert_error_shape(api_client.get("/api/notifications/"), 401)


def test_reviews_and_comments_lists_query_count_is_flat(world, token_client):
    from reviews import services

    alice = world["alice"]
    architects = [world["bob"], world["carol"]]
    doc = classified_doc(team=world["team"], product_owner=alice, tier="high", title="Flat")
    services.designdoc_submit(doc=doc, actor=alice)
    client = token_client(world["bob"])

    def add(n):
        for i in range(n):
            services.review_decide(
                doc=fresh(doc),
                actor=architects[i % 2],
                decision="comment",
                body=f"Note {i}",
                revision=fresh(doc).revision_number,
            )
            services.comment_add(doc=doc, actor=architects[i % 2], section="risks", body=f"C {i}")

    add(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(doc, "reviews/")).status_code == 200
        assert client.get(url(doc, "comments/")).status_code == 200
    add(5)
    with CaptureQueriesContext(connection) as six:
        assert client.get(url(doc, "reviews/")).status_code == 200
        assert client.get(url(doc, "comments/")).status_code == 200
    assert len(six) == len(one), [q["sql"] for q in six.captured_queries]


def test_a_comment_id_that_is_not_a_number_is_404(world, doc, token_client):
    bob = token_client(world["bob"])
    for path in ("comments/%C3%8CO/resolve/", "comments/12a/replies/", "comments/-1/reopen/"):
        assert_error_shape(bob.post(url(doc, path), {}, format="json"), 404)
