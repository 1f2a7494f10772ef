import datetime
import hashlib
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from assessments.accounts.models import Supervision
from assessments.formulation.engine.records import KNOWN_FLAGS
from assessments.formulation.models import Dominant

from . import statistics, summary
from .models import Impression, Notification, Review

# The engine's vocabulary: every flag of every question-set version it can read.
QUEUE_FILTER_FLAGS = tuple(KNOWN_FLAGS)
DOMINANTS = tuple(Dominant.values)
FIELDS = ("clinician_impression", "engine_impression", "supervisor_impression")
# Cached dashboard figures are never stale (see _summary_figures); the timeout only
# lets the cache forget those of states no longer current.
DASHBOARD_CACHE_SECONDS = 3600
PAIRS = (
    ("clinician_impression", "engine_impression"),
    ("clinician_impression", "supervisor_impression"),
    ("engine_impression", "supervisor_impression"),
)


def supervised_clinician_ids(user) -> list[int]:
    return list(Supervision.objects.filter(supervisor=user).values_list("clinician_id", flat=True))


def team_reviews(user, team: list[int] | None = None):
    """Reviews of the clinicians this supervisor supervises (never their own work);
    `team`, when the caller already has it, is supervised_clinician_ids(user)."""
    if team is None:
        team = supervised_clinician_ids(user)
    return Review.objects.visible_to(user).filter(clinician__in=team).exclude(clinician=user)


def review_queue(*, user, clinician: str = "", dominant: str = "", flag: str = ""):
    """Pending reviews: urgent safety first, then oldest first. Filters are allow-listed."""
    queue = team_reviews(user).filter(status=Review.Status.PENDING)
    if clinician:
        queue = queue.filter(clinician__uuid=clinician) if _is_uuid(clinician) else queue.none()
    if dominant in DOMINANTS:
        queue = queue.filter(dominant=dominant)
    if flag in QUEUE_FILTER_FLAGS:
        queue = queue.filter(flags_text__contains=f" {flag} ")
    # Only the columns a row shows (presentation.queue_rows) and the audit names: fifty
    # rows of five whole records (answers and other JSON, the clinician's account)
    # were the queue's largest cost.
    return (
        queue.select_related("clinician", "interview__session__patient")
        .only(
            "uuid",
            "submitted_at",
            "dominant",
            "flags_text",
            "safety_urgent",
            "clinician__username",
            "interview__session__date",
            "interview__session__patient__uuid",
            "interview__session__patient__record_number",
            "interview__session__patient__display_name",
        )
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
    team = supervised_clinician_ids(user)
    reviews = team_reviews(user, team)
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
    clinician_uuid = clinician if clinician and _is_uuid(clinician) else ""
    figures = _summary_figures(
        user=user, team=team, clinician_uuid=clinician_uuid, date_from=date_from, date_to=date_to
    )
    totals = figures["totals"]
    pending = {
        row["clinician_id"]: row
        for row in reviews.filter(status=Review.Status.PENDING)
        .values("clinician_id")
        # Counted on a column of the partial index (never null), not the id it lacks,
        # so that PostgreSQL answers from the index alone.
        .annotate(
            pending=Count("submitted_at"),
            overdue=Count("submitted_at", filter=Q(submitted_at__lt=overdue_cutoff())),
        )
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
    return {
        "per_clinician": per_clinician,
        "months": figures["months"],
        "agreement": figures["agreement"],
        "agreement_over_time": figures["agreement_over_time"],
    }


def _summary_figures(*, user, team: list[int], clinician_uuid: str, date_from, date_to) -> dict:
    """Totals per clinician, dominant mechanisms per month and agreement, summed from the
    summary. Cached under the summary's state token (summary.state_token) with everything
    the rows depend on (the viewer and what the access rule reads of them, their team,
    the filters): any write to the summary changes the token, so a cached figure is
    never stale, only no longer asked for."""
    token = summary.state_token()
    key = None
    if token is not None:
        # Everything restrict_to_patients reads of the viewer, besides the team.
        viewer = f"{user.pk}|{user.is_active}|{user.is_superuser}"
        scope = f"{token}|{viewer}|{sorted(team)}|{clinician_uuid}|{date_from}|{date_to}"
        key = "reviews:dashboard:" + hashlib.sha256(scope.encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            return cached
    stats = summary.team_stats(
        user=user, team=team, clinician_uuid=clinician_uuid, date_from=date_from, date_to=date_to
    )
    grouped = summary.grouped_sums(stats)
    months: dict = {}
    for row in summary.dominants_by_month(grouped):
        months.setdefault(row["month"], dict.fromkeys(DOMINANTS, 0))[row["dominant"]] = row["n"]
    # Each pair's confusion matrix, overall and per month, is summed from the summary's
    # pair counts (rows with the impression outside the pair left blank).
    figures = {
        "totals": summary.totals_by_clinician(grouped),
        "months": [{"month": m, **counts} for m, counts in months.items()],
        **agreement_figures(summary.impressions_by_month(grouped)),
    }
    if key is not None:
        cache.set(key, figures, DASHBOARD_CACHE_SECONDS)
    return figures


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
