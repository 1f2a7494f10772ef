"""The reviews summary (ReviewDayStats): kept on write, read by the dashboard.

Each row holds the counts of one (clinician, patient's primary clinician, local day)
bucket. A write recomputes its bucket from the reviews themselves (idempotent, so a
missed or repeated refresh heals on the next one) under a row lock; rebuild()
recomputes every bucket.
"""

import datetime
import uuid
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from assessments.patients.models import restrict_to_patients

from .models import (
    IMPRESSION_CODES,
    SUMMARY_PAIRS,
    Review,
    ReviewDayStats,
    ReviewSummaryState,
    summary_count_columns,
)

PATIENT_CLINICIAN = "patient__primary_clinician_id"
COLUMNS = summary_count_columns()


def _counts():
    return {name: Count("pk", filter=q) if q else Count("pk") for name, q in COLUMNS.items()}


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def refresh(*, clinician_id: int, patient_clinician_id: int, day: datetime.date) -> None:
    """Recompute one bucket from the reviews (the row lock serializes two writers)."""
    start, end = _day_bounds(day)
    key: dict[str, Any] = {
        "clinician_id": clinician_id,
        "patient_primary_clinician_id": patient_clinician_id,
        "day": day,
    }
    with transaction.atomic():
        ReviewDayStats.objects.get_or_create(**key)
        row = ReviewDayStats.objects.select_for_update().get(**key)
        counts = Review.objects.filter(
            clinician_id=clinician_id,
            submitted_at__gte=start,
            submitted_at__lt=end,
            **{PATIENT_CLINICIAN: patient_clinician_id},
        ).aggregate(**_counts())
        _changed()
        if not counts["total"]:
            row.delete()
            return
        for name, value in counts.items():
            setattr(row, name, value)
        row.save()


def _changed() -> None:
    """A new state token, in the writing transaction: a reader sees it together with
    the rows it names. (Writers of the summary queue on this row until they commit;
    they are people deciding reviews, a few a minute.)"""
    if not ReviewSummaryState.objects.filter(pk=1).update(token=uuid.uuid4()):
        ReviewSummaryState.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})


def state_token() -> uuid.UUID | None:
    """The summary's current state token (None when its row is missing: then nothing
    summed from it may be cached)."""
    return ReviewSummaryState.objects.filter(pk=1).values_list("token", flat=True).first()


def refresh_for(review: Review) -> None:
    """Recompute the bucket of this review, in the writing transaction: the row lock is
    held until it commits, so a second writer of the same bucket waits, then counts
    both reviews."""
    refresh(
        clinician_id=review.clinician_id,
        patient_clinician_id=review.interview.session.patient.primary_clinician_id,
        day=timezone.localdate(review.submitted_at),
    )


@transaction.atomic
def rebuild() -> int:
    """Recompute every bucket from the reviews (one grouped query); returns the row count."""
    grouped = (
        Review.objects.annotate(day=TruncDate("submitted_at"), patient_clinician=F(PATIENT_CLINICIAN))
        .values("clinician_id", "patient_clinician", "day")
        .annotate(**_counts())
        .order_by()
    )
    rows = [
        ReviewDayStats(
            clinician_id=g.pop("clinician_id"),
            patient_primary_clinician_id=g.pop("patient_clinician"),
            day=g.pop("day"),
            **g,
        )
        for g in grouped
    ]
    ReviewDayStats.objects.all().delete()
    ReviewDayStats.objects.bulk_create(rows, batch_size=2000)
    _changed()
    return len(rows)


def team_stats(*, user, team: list[int], clinician_uuid: str = "", date_from=None, date_to=None):
    """The summary rows a supervisor may see (the one access rule, on the bucket's
    patient clinician) for the clinicians of their team, filtered like the dashboard."""
    rows = restrict_to_patients(ReviewDayStats.objects.all(), user, "patient_").filter(clinician__in=team)
    rows = rows.exclude(clinician=user)
    if clinician_uuid:
        rows = rows.filter(clinician__uuid=clinician_uuid)
    if date_from:
        rows = rows.filter(day__gte=date_from)
    if date_to:
        rows = rows.filter(day__lte=date_to)
    return rows


def grouped_sums(rows) -> list[dict]:
    """Every count column summed per clinician and month: one scan of the summary that
    the dashboard's totals, months and agreement are all summed from in Python (three
    grouped queries over the same rows cost three scans)."""
    grouped = (
        rows.annotate(month=TruncMonth("day"))
        .values("clinician_id", "month")
        .annotate(**{name: Sum(name) for name in COLUMNS})
        .order_by()
    )
    return list(grouped)


def totals_by_clinician(grouped: list[dict]) -> dict[int, int]:
    totals: dict[int, int] = {}
    for g in grouped:
        totals[g["clinician_id"]] = totals.get(g["clinician_id"], 0) + g["total"]
    return totals


def _by_month(grouped: list[dict], names: list[str]) -> list[dict]:
    """The columns `names` summed over clinicians, one dict per month in order."""
    months: dict[Any, dict] = {}
    for g in grouped:
        sums = months.setdefault(g["month"], dict.fromkeys(names, 0))
        for name in names:
            sums[name] += g[name]
    return [{"month": month, **months[month]} for month in sorted(months)]


def dominants_by_month(grouped: list[dict]) -> list[dict]:
    """Rows of {month, dominant, n}, as grouping the reviews would give them."""
    names = [name for name in COLUMNS if name.startswith("dominant_")]
    return [
        {"month": g["month"], "dominant": name.removeprefix("dominant_"), "n": g[name]}
        for g in _by_month(grouped, names)
        for name in names
        if g[name]
    ]


def impressions_by_month(grouped: list[dict]) -> list[dict]:
    """Rows of {month, clinician_impression, engine_impression, supervisor_impression, n},
    one per pair and cell, the impression outside the pair left blank: summing each
    pair's matrix over them gives what summing over the joint counts of all three gives."""
    names = [name for name in COLUMNS if name[:3] in {f"{p}_" for p in SUMMARY_PAIRS}]
    by_code = {code: impression for impression, code in IMPRESSION_CODES.items()}
    result = []
    for g in _by_month(grouped, names):
        for name in names:
            if not g[name]:
                continue
            prefix, x, y = name.split("_")
            a, b = SUMMARY_PAIRS[prefix]
            row = {"month": g["month"], "clinician_impression": "", "engine_impression": "", "n": g[name]}
            row["supervisor_impression"] = ""
            row[a], row[b] = by_code[x], by_code[y]
            result.append(row)
    return result
