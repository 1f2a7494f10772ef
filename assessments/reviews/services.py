import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.accounts.models import Supervision
from assessments.accounts.roles import Role, has_role
from assessments.accounts.services import SignatureError, password_missing, signature_verify
from assessments.core import audit
from assessments.core.audit import Action
from assessments.core.outbox import enqueue
from assessments.formulation.engine.records import IMPRESSION_ITEM

from . import summary
from .models import ENGINE_TO_IMPRESSION, Impression, Notification, Review, ReviewEvent


class ReviewError(Exception):
    """A refused decision; `errors` maps form fields (or "__all__") to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())))
        self.errors = errors


def review_submit(*, formulation, user) -> Review:
    """Put a freshly finalized formulation into its clinician's supervisors' queue."""
    interview = formulation.interview
    previous = (
        Review.objects.filter(interview=interview.amends, status=Review.Status.RETURNED).first()
        if interview.amends_id
        else None
    )
    review = Review.objects.create(
        formulation=formulation,
        interview=interview,
        patient_id=interview.session.patient_id,
        clinician=user,
        previous=previous,
        submitted_at=timezone.now(),
        clinician_impression=interview.answers.get(IMPRESSION_ITEM, Impression.UNCLEAR),
        engine_impression=ENGINE_TO_IMPRESSION[formulation.dominant],
        dominant=formulation.dominant,
        flags_text=" " + " ".join(formulation.result["flags"]) + " ",
        safety_urgent=formulation.safety_urgent,
    )
    ReviewEvent.objects.create(review=review, action=ReviewEvent.Action.SUBMITTED, actor=user)
    summary.refresh_for(review)
    enqueue("reviews.notify_submitted", review.pk, user=user)
    return review


def _check_reviewer(review: Review, user) -> None:
    """Only a supervisor of the review's clinician decides, and never on their own work."""
    if review.clinician_id == user.pk or not has_role(user, Role.SUPERVISOR):
        raise PermissionDenied
    if not Supervision.objects.filter(supervisor=user, clinician_id=review.clinician_id).exists():
        raise PermissionDenied


def _impression_missing() -> str:
    return _("Record your own impression (one of the four options).")


def _decide(review: Review, *, user, status: str, impression: str, comment: str) -> Review:
    if impression not in Impression.values:
        raise ReviewError({"supervisor_impression": _impression_missing()})
    updated = Review.objects.filter(pk=review.pk, status=Review.Status.PENDING).update(
        status=status,
        supervisor_impression=impression,
        comment=comment,
        decided_by=user,
        decided_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not updated:
        raise ReviewError({"__all__": _("This review has already been decided.")})
    review.refresh_from_db()
    summary.refresh_for(review)
    notifications_clear_for_decision(review=review, user=user)
    action = ReviewEvent.Action.ENDORSED if status == Review.Status.ENDORSED else ReviewEvent.Action.RETURNED
    ReviewEvent.objects.create(review=review, action=action, actor=user, comment=comment)
    audit.record(Action.UPDATE, review, patient=review.interview.session.patient, data={"review": status})
    return review


def review_endorse(*, review: Review, user, password: str, impression: str, comment: str = ""):
    _check_reviewer(review, user)
    # Every field the supervisor left out is named at once, and the password is tried
    # last: a signature is only asked for on a complete decision.
    missing = {}
    if impression not in Impression.values:
        missing["supervisor_impression"] = _impression_missing()
    if not password:
        missing["password"] = password_missing()
    if missing:
        raise ReviewError(missing)
    # Outside the transaction: a wrong password's audit entry (the lockout counter) must
    # outlive the refusal.
    try:
        signature_verify(
            user=user,
            password=password,
            purpose="endorse",
            obj=review,
            patient=review.interview.session.patient,
        )
    except SignatureError as exc:
        raise ReviewError({"password": exc.message}) from None
    return _endorse_signed(review=review, user=user, impression=impression, comment=comment)


@transaction.atomic
def _endorse_signed(*, review: Review, user, impression: str, comment: str):
    review = _decide(
        review,
        user=user,
        status=Review.Status.ENDORSED,
        impression=impression,
        comment=comment,
    )
    enqueue("reviews.notify_endorsed", review.pk, user=user)
    return review


@transaction.atomic
def review_return(*, review: Review, user, impression: str, comment: str):
    _check_reviewer(review, user)
    if not comment.strip():
        raise ReviewError({"comment": _("Say what needs revising: a comment is required to return.")})
    review = _decide(
        review,
        user=user,
        status=Review.Status.RETURNED,
        impression=impression,
        comment=comment.strip(),
    )
    enqueue("reviews.notify_returned", review.pk, user=user)
    return review


@transaction.atomic
def safety_acknowledge(*, review: Review, user) -> Review:
    """A named person takes responsibility for an urgent safety flag."""
    _check_reviewer(review, user)
    if not review.safety_urgent:
        raise ReviewError({"__all__": _("This formulation has no urgent safety flag.")})
    updated = Review.objects.filter(pk=review.pk, safety_acknowledged_at__isnull=True).update(
        safety_acknowledged_by=user, safety_acknowledged_at=timezone.now()
    )
    if updated:
        Notification.objects.filter(
            review=review,
            kind__in=[Notification.Kind.SAFETY_URGENT, Notification.Kind.MEDICAL_URGENT],
            read_at__isnull=True,
        ).update(read_at=timezone.now())
        ReviewEvent.objects.create(review=review, action=ReviewEvent.Action.ACKNOWLEDGED, actor=user)
        audit.record(
            Action.UPDATE,
            review,
            patient=review.interview.session.patient,
            data={"safety": "acknowledged", "flags": review.urgent_flags},
        )
    review.refresh_from_db()
    return review


def supervisors_of(clinician_id: int) -> list[int]:
    return list(Supervision.objects.filter(clinician_id=clinician_id).values_list("supervisor_id", flat=True))


def notify(*, review: Review, kind: str, recipients: list[int]) -> list[Notification]:
    """Create each in-app notice once (tasks may run twice). Sends no email: the tasks
    that call it email what it returns, once each (reviews.tasks._email)."""
    created = []
    for recipient_id in recipients:
        notification, _new = Notification.objects.get_or_create(
            recipient_id=recipient_id, review=review, kind=kind
        )
        created.append(notification)
    return created


def notification_open(*, user, notification_uuid) -> Notification | None:
    """The user's notice with this uuid, marked read (None when it is not theirs)."""
    notification = (
        Notification.objects.for_user(user)
        .filter(uuid=notification_uuid)
        .select_related("review__interview")
        .first()
    )
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notice of this user read; returns how many were unread."""
    return Notification.objects.for_user(user).filter(read_at__isnull=True).update(read_at=timezone.now())


# A decided review no longer awaits anyone: these notices are done for every recipient.
_DONE_WHEN_DECIDED = (Notification.Kind.NEW_REVIEW, Notification.Kind.OVERDUE)


def notifications_clear_for_decision(*, review: Review, user) -> int:
    """Deciding an item marks the decider's notices about it read, and everyone's
    "awaits your review" and "overdue" notices (nobody needs to act on them now).
    An urgent safety notice stays unread for the others until someone acknowledges it."""
    from django.db.models import Q

    return (
        Notification.objects.filter(review=review, read_at__isnull=True)
        .filter(Q(recipient=user) | Q(kind__in=_DONE_WHEN_DECIDED))
        .update(read_at=timezone.now())
    )


def reviews_mark_overdue(*, now: datetime.datetime | None = None) -> list[Review]:
    """Flag reviews pending too long, once each; returns the newly overdue ones."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.REVIEW_OVERDUE_DAYS)
    overdue = list(
        Review.objects.filter(
            status=Review.Status.PENDING, submitted_at__lt=cutoff, overdue_notified_at__isnull=True
        )
    )
    marked = []
    for review in overdue:
        # Compare-and-set: a second beat run (or a retry) cannot mark it twice.
        if Review.objects.filter(pk=review.pk, overdue_notified_at__isnull=True).update(
            overdue_notified_at=now
        ):
            ReviewEvent.objects.create(review=review, action=ReviewEvent.Action.OVERDUE, actor=None)
            marked.append(review)
    return marked
