"""The demo seed takes documents through review so that bob and carol each find work
waiting (some overdue), with approved, changes-requested, stale-approval and superseded
documents beside them; running it twice changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from designdocs.models import DesignDoc
from reviews.models import Review, ReviewRequest
from reviews.selectors import approval_state, review_queue

pytestmark = [pytest.mark.django_db, pytest.mark.embedded]


def test_seed_demo_gives_bob_and_carol_work_and_every_state(settings, eager_tasks):
    settings.DEBUG = True
    call_command("seed_demo")
    users = {u.username: u for u in get_user_model().objects.all()}
    for name in ("bob", "carol"):
        queue = review_queue(user=users[name])
        assert queue, f"{name} has nothing waiting"
        assert any(item.overdue for item in queue), f"{name} has nothing overdue"
    by_title = {d.title: d for d in DesignDoc.objects.select_related("latest_revision")}
    assert by_title["Churn prediction for loyalty members"].status == "approved"
    assert by_title["Product recommendations on the product page"].status == "changes_requested"
    assert by_title["Weekly sales forecast (spreadsheet model)"].status == "superseded"
    fraud = by_title["Applicant screening for store jobs"]
    assert fraud.risk_tier == "high", "classified through the questionnaire (Annex III 4(a))"
    assert fraud.status == "draft" and len(approval_state(fraud).stale) == 2
    counts = (DesignDoc.objects.count(), ReviewRequest.objects.count(), Review.objects.count())
    call_command("seed_demo")
    assert (
        DesignDoc.objects.count(),
        ReviewRequest.objects.count(),
        Review.objects.count(),
    ) == counts
