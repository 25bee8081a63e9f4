"""The notification e-mail task through a real Celery worker on Redis: enqueued on commit
by a submission, it sends the reviewer's e-mail and marks the notification e-mailed."""

from __future__ import annotations

import pytest

from registry.core.testing.celery_worker import wait_for
from reviews import services
from reviews.models import Notification
from tests.reviews.factories import classified_doc


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_submission_email_goes_through_the_real_worker(celery_worker, alice, bob, team, mailoutbox):
    doc = classified_doc(team=team, product_owner=alice)
    services.designdoc_submit(doc=doc, actor=alice, reviewers=["bob"])
    wait_for(lambda: Notification.objects.filter(recipient=bob, emailed_at__isnull=False).exists())
    assert [m.to for m in mailoutbox] == [["bob@example.com"]]
    assert doc.title in mailoutbox[0].subject
