import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from assessments.accounts.models import Supervision
from assessments.formulation.models import Dominant, Flag

from . import summary
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
    # The list shows no answers: their JSON stays in the database.
    return (
        queue.select_related("clinician", "interview__session__patient")
        .defer("interview__answers")
        .order_by("-safety_urgent", "submitted_at", "pk")
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
    # Totals and the monthly and agreement figures come from the summary (one row per
    # clinician and day); only pending reviews, a small set, are counted one by one.
    stats = summary.team_stats(
        user=user,
        team=supervised_clinician_ids(user),
        clinician_uuid=clinician if clinician and _is_uuid(clinician) else "",
        date_from=date_from,
        date_to=date_to,
    )
    totals = summary.totals_by_clinician(stats)
    pending = {
        row["clinician_id"]: row
        for row in reviews.filter(status=Review.Status.PENDING)
        .values("clinician_id")
        .annotate(pending=Count("pk"), overdue=Count("pk", filter=Q(submitted_at__lt=overdue_cutoff())))
        .order_by()
    }
    per_clinician = [
        {
            "clinician__uuid": member.uuid,
            "clinician__username": member.username,
            "pending": pending.get(member.pk, {}).get("pending", 0),
            "overdue": pending.get(member.pk, {}).get("overdue", 0),
            "total": totals.get(member.pk, 0),
        }
        for member in get_user_model()
        .objects.filter(pk__in=set(totals) | set(pending))
        .only("uuid", "username")
        .order_by("username")
    ]
    months: dict = {}
    for row in summary.dominants_by_month(stats):
        months.setdefault(row["month"], dict.fromkeys(DOMINANTS, 0))[row["dominant"]] = row["n"]
    # Each pair's confusion matrix is summed from the summary's pair counts (blank
    # impressions: not yet decided, never counted).
    joint = summary.impressions_by_month(stats)
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
