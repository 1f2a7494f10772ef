"""Notification tasks: ids in, idempotent (unique notices, CAS on emailed_at)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import summary
from .models import Notification, Review
from .services import notify, reviews_mark_overdue, supervisors_of

TASK_OPTIONS = {
    "time_limit": 60,
    "soft_time_limit": 45,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 8,
}


def _email(notifications: list[Notification]) -> None:
    for notification in notifications:
        # Claim the email first: a duplicate run finds it claimed and sends nothing.
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed or not notification.recipient.email:
            continue
        link = settings.SITE_URL.rstrip("/") + reverse("notification-list")
        # The email names no patient: the link leads through login and the access rules.
        body = render_to_string(
            "emails/notification.txt", {"kind": notification.get_kind_display(), "link": link}
        )
        send_mail(
            _("Zeus Assess: %(kind)s") % {"kind": notification.get_kind_display()},
            body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient.email],
        )


@shared_task(name="reviews.notify_submitted", **TASK_OPTIONS)
def notify_submitted(review_id: int, started_by_id: int | None = None) -> int:
    review = Review.objects.get(pk=review_id)
    supervisors = supervisors_of(review.clinician_id)
    sent = notify(review=review, kind=Notification.Kind.NEW_REVIEW, recipients=supervisors)
    # One notice per urgent flag, each naming what it is about (spec 6.4).
    for code in review.urgent_flags:
        sent += notify(review=review, kind=code, recipients=supervisors)
    _email(sent)
    return len(sent)


@shared_task(name="reviews.notify_returned", **TASK_OPTIONS)
def notify_returned(review_id: int, started_by_id: int | None = None) -> int:
    review = Review.objects.get(pk=review_id)
    sent = notify(review=review, kind=Notification.Kind.RETURNED, recipients=[review.clinician_id])
    _email(sent)
    return len(sent)


@shared_task(name="reviews.notify_endorsed", **TASK_OPTIONS)
def notify_endorsed(review_id: int, started_by_id: int | None = None) -> int:
    review = Review.objects.get(pk=review_id)
    return len(notify(review=review, kind=Notification.Kind.ENDORSED, recipients=[review.clinician_id]))


@shared_task(name="reviews.mark_overdue", time_limit=300, soft_time_limit=240)
def mark_overdue() -> int:
    marked = reviews_mark_overdue()
    for review in marked:
        _email(
            notify(
                review=review, kind=Notification.Kind.OVERDUE, recipients=supervisors_of(review.clinician_id)
            )
        )
    return len(marked)


@shared_task(name="reviews.rebuild_summary", time_limit=300, soft_time_limit=240)
def rebuild_summary() -> int:
    """Recompute the dashboard's summary from the reviews: heals any bucket a write
    path outside the services (a bulk import, a manual fix) left behind."""
    return summary.rebuild()
