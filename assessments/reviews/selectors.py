import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from assessments.accounts.models import Supervision
from assessments.formulation.engine.records import KNOWN_FLAGS
from assessments.formulation.models import Dominant

from . import statistics
from .models import Impression, Notification, Review

# The engine's vocabulary: every flag of every question-set version it can read.
QUEUE_FILTER_FLAGS = tuple(KNOWN_FLAGS)
DOMINANTS = tuple(Dominant.values)
FIELDS = ("clinician_impression", "engine_impression", "supervisor_impression")
PAIRS = (
    ("clinician_impression", "engine_impression"),
    ("clinician_impression", "supervisor_impression"),
    ("engine_impression", "supervisor_impression"),
)


def supervised_clinician_ids(user) -> list[int]:
    return list(Supervision.objects.filter(supervisor=user).values_list("clinician_id", flat=True))


def team_reviews(user):
    """Reviews of the clinicians this supervisor supervises (never their own work)."""
    return (
        Review.objects.visible_to(user)
        .filter(clinician__in=supervised_clinician_ids(user))
        .exclude(clinician=user)
    )


def review_queue(*, user, clinician: str = "", dominant: str = "", flag: str = ""):
    """Pending reviews: urgent safety first, then oldest first. Filters are allow-listed."""
    queue = team_reviews(user).filter(status=Review.Status.PENDING)
    if clinician:
        queue = queue.filter(clinician__uuid=clinician) if _is_uuid(clinician) else queue.none()
    if dominant in DOMINANTS:
        queue = queue.filter(dominant=dominant)
    if flag in QUEUE_FILTER_FLAGS:
        queue = queue.filter(flags_text__contains=f" {flag} ")
    return queue.select_related("clinician", "interview__session__patient").order_by(
        "-safety_urgent", "submitted_at", "pk"
    )


def unacknowledged_safety(user):
    return (
        team_reviews(user)
        .filter(safety_urgent=True, safety_acknowledged_at__isnull=True)
        .select_related("interview__session__patient", "clinician")
        .order_by("submitted_at")
    )


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def overdue_cutoff() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=settings.REVIEW_OVERDUE_DAYS)


def cohen_kappa(matrix: dict[tuple[str, str], int], categories) -> dict:
    """Percent agreement and Cohen's kappa (without intervals) from a confusion matrix."""
    result = statistics.agreement(matrix, categories)
    return {key: result[key] for key in ("n", "agreement", "kappa")}


def _pair_matrices(rows) -> dict:
    """Each pair's confusion matrix, summed from grouped counts of the three impressions
    (blank impressions: not yet decided, left out of that pair)."""
    matrices: dict = {pair: {} for pair in PAIRS}
    for row in rows:
        for a, b in PAIRS:
            if row[a] and row[b]:
                key = (row[a], row[b])
                matrices[(a, b)][key] = matrices[(a, b)].get(key, 0) + row["n"]
    return matrices


def agreement_figures(joint_counts) -> dict:
    """Overall and per-month agreement of every pair from rows of grouped counts
    ({month, clinician_impression, engine_impression, supervisor_impression, n}).

    Kept apart from the query so that a pre-aggregated summary can feed it the same rows."""
    joint_counts = list(joint_counts)
    matrices = _pair_matrices(joint_counts)
    overall = [{"pair": pair, **statistics.agreement(matrices[pair], Impression.values)} for pair in PAIRS]
    by_month: dict = {}
    for row in joint_counts:
        by_month.setdefault(row["month"], []).append(row)
    over_time = []
    for month in sorted(by_month):
        month_matrices = _pair_matrices(by_month[month])
        over_time.append(
            {
                "month": month,
                "pairs": [
                    {"pair": pair, **statistics.agreement(month_matrices[pair], Impression.values)}
                    for pair in PAIRS
                ],
            }
        )
    return {"agreement": overall, "agreement_over_time": over_time}


def dashboard(*, user, clinician: str = "", date_from=None, date_to=None) -> dict:
    """Everything the supervisor dashboard shows, in a fixed number of aggregate queries."""
    reviews = team_reviews(user)
    if clinician and _is_uuid(clinician):
        reviews = reviews.filter(clinician__uuid=clinician)
    # Ranges of aware datetimes rather than `__date` lookups: those cast every row
    # and defeat the (clinician, submitted_at) index.
    if date_from:
        reviews = reviews.filter(submitted_at__gte=_day_start(date_from))
    if date_to:
        reviews = reviews.filter(submitted_at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    per_clinician = list(
        reviews.values("clinician__uuid", "clinician__username")
        .annotate(
            pending=Count("pk", filter=Q(status=Review.Status.PENDING)),
            overdue=Count("pk", filter=Q(status=Review.Status.PENDING, submitted_at__lt=overdue_cutoff())),
            total=Count("pk"),
        )
        .order_by("clinician__username")
    )
    by_month = list(
        reviews.annotate(month=TruncMonth("submitted_at"))
        .values("month", "dominant")
        .annotate(n=Count("pk"))
        .order_by("month", "dominant")
    )
    months: dict = {}
    for row in by_month:
        months.setdefault(row["month"], dict.fromkeys(DOMINANTS, 0))[row["dominant"]] = row["n"]
    # One grouped scan gives the joint counts of all three impressions per month; each
    # pair's confusion matrix, overall and per month, is summed from it.
    joint = (
        reviews.annotate(month=TruncMonth("submitted_at"))
        .values("month", *FIELDS)
        .annotate(n=Count("pk"))
        .order_by()
    )
    figures = agreement_figures(joint)
    return {
        "per_clinician": per_clinician,
        "months": [{"month": m, **counts} for m, counts in months.items()],
        **figures,
    }


def notifications_for(user, limit: int = 100) -> list[Notification]:
    """The user's latest notices, each with the record number of its patient when the
    user may still see that patient (deny by default: a notice outlives a supervision).
    Two queries whatever the number of notices."""
    notifications = list(
        Notification.objects.for_user(user).select_related("review__interview__session__patient")[:limit]
    )
    visible = set(
        Review.objects.visible_to(user)
        .filter(pk__in={n.review_id for n in notifications})
        .values_list("pk", flat=True)
    )
    for notification in notifications:
        patient = notification.review.interview.session.patient
        shown = notification.review_id in visible
        notification.record_number = patient.record_number if shown else ""
        notification.patient_uuid = patient.uuid if shown else None
    return notifications
