import datetime
import uuid

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from assessments.accounts.models import Supervision
from assessments.formulation.models import Dominant, Flag

from .models import Impression, Review

QUEUE_FILTER_FLAGS = tuple(Flag.values)
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
    """Percent agreement and Cohen's kappa from a confusion matrix of counts.

    Hand-written because it is four lines of arithmetic over counts the database
    already aggregated; a statistics library would add a dependency for nothing.
    """
    n = sum(matrix.values())
    if n == 0:
        return {"n": 0, "agreement": None, "kappa": None}
    observed = sum(matrix.get((c, c), 0) for c in categories) / n
    expected = sum(
        (sum(matrix.get((c, o), 0) for o in categories) / n)
        * (sum(matrix.get((o, c), 0) for o in categories) / n)
        for c in categories
    )
    kappa = None if expected == 1 else (observed - expected) / (1 - expected)
    return {
        "n": n,
        "agreement": round(observed * 100, 1),
        "kappa": None if kappa is None else round(kappa, 3),
    }


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
    # One grouped scan gives the joint counts of all three impressions; each pair's
    # confusion matrix is summed from it (blank impressions: not yet decided).
    joint = reviews.values(*FIELDS).annotate(n=Count("pk")).order_by()
    matrices: dict = {pair: {} for pair in PAIRS}
    for row in joint:
        for a, b in PAIRS:
            if row[a] and row[b]:
                key = (row[a], row[b])
                matrices[(a, b)][key] = matrices[(a, b)].get(key, 0) + row["n"]
    agreement = [{"pair": pair, **cohen_kappa(matrices[pair], Impression.values)} for pair in PAIRS]
    return {
        "per_clinician": per_clinician,
        "months": [{"month": m, **counts} for m, counts in months.items()],
        "agreement": agreement,
    }
