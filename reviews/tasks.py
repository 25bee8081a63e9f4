"""E-mails of review notifications, and the daily reminder of overdue reviews. Tasks take
ids, are idempotent (a notification is e-mailed once: `emailed_at`), and re-check that the
recipient may still see the document before writing to them."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from registry.core.permissions import allows


def _absolute(path: str) -> str:
    return settings.REGISTRY_BASE_URL.rstrip("/") + path


@shared_task(
    name="reviews.tasks.send_notification_emails",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each notification of `notification_ids` not e-mailed yet; the number sent."""
    from reviews.models import Notification

    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient", "design_doc")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if notification is None:
                continue
            recipient, doc = notification.recipient, notification.design_doc
            if (
                recipient.email
                and recipient.is_active
                and allows(recipient, "designdocs.view_designdoc", doc)
            ):
                send_mail(
                    subject=f"[ML Design Registry] {notification.summary}"[:200],
                    message=(
                        f"{notification.summary}\n\n"
                        f"Open it: {_absolute(notification.get_absolute_url())}\n\n"
                        "You receive this because you review or write this design document. "
                        f"Your notifications: {_absolute('/reviews/notifications/')}\n"
                    ),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[recipient.email],
                )
                sent += 1
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
    return sent


@shared_task(name="reviews.tasks.remind_overdue_reviews", ignore_result=True)
def remind_overdue_reviews() -> int:
    """Once a day (beat): remind each reviewer of each overdue open request they have not
    decided on its latest revision. Idempotent per day: a reminder already made today for
    the same reviewer and document is not made again. The number of reminders made."""
    from reviews.services import remind_overdue

    return remind_overdue()
