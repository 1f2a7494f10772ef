"""CSV exports: a clinician's or a team's formulations, and the de-identified
research extract (superusers only)."""

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.crypto import salted_hmac

from assessments.formulation.models import Formulation
from assessments.questionsets.compiled import compiled_for

Progress = Callable[[int], None]

FORMULATION_COLUMNS = [
    "record_number",
    "session_date",
    "finalized_date",
    "question_set",
    "engine_version",
    "craving_share",
    "anxiety_share",
    "craving_score",
    "anxiety_score",
    "dominant",
    "confidence",
    "flags",
    "review_status",
]
RESEARCH_COLUMNS = [
    "pseudonym",
    "session_date_shifted",
    "finalized_date_shifted",
    "question_set",
    "engine_version",
    "craving_share",
    "anxiety_share",
    "craving_score",
    "anxiety_score",
    "dominant",
    "confidence",
    "flags",
    "review_status",
    "supervisor_impression",
    "answers",
]
# Salts for keys derived from SECRET_KEY: one per purpose, so neither value can be
# computed from the other. Changing SECRET_KEY changes every pseudonym.
PSEUDONYM_SALT = "zeus_assess.reports.research.pseudonym"
DATE_SHIFT_SALT = "zeus_assess.reports.research.date_shift"
MAX_SHIFT_DAYS = 180


def _formulations(user):
    return (
        Formulation.objects.visible_to(user)
        # Patients whose processing is restricted (GDPR Art. 18) stay out of exports.
        .filter(interview__isnull=False, interview__session__patient__processing_restricted=False)
        .select_related("interview__session__patient", "question_set_version", "review")
        .order_by("interview__session__date", "created_at")
    )


def formulations_csv(*, user, progress: Progress, patients: set | None = None) -> tuple[bytes, int]:
    """What this user may see: their own patients, and their team's for a supervisor.
    `patients`, when given, collects the uuids of the patients included."""
    return _with_items(FORMULATION_COLUMNS, _formulations(user), _formulation_row, progress, patients)


def research_csv(*, user, progress: Progress, patients: set | None = None) -> tuple[bytes, int]:
    """No names, no record numbers, no free text; pseudonyms and shifted dates."""
    return _with_items(RESEARCH_COLUMNS, _formulations(user), _research_row, progress, patients)


ITEM_PREFIX = "answer."
MULTI_SEPARATOR = ";"  # option codes are [a-z0-9_], so a list joins and splits back without loss


def _item_codes(queryset) -> list[str]:
    """One column per coded item of every version in the export, older versions'
    items first (cadi@1 and cadi@2 side by side); free text never (it can name anyone)."""
    from assessments.questionsets.models import QuestionSetVersion

    versions = QuestionSetVersion.objects.filter(
        pk__in=queryset.order_by().values("question_set_version")
    ).order_by("question_set__slug", "number")
    codes: dict[str, None] = {}
    for version in versions:
        for code, item in compiled_for(version).definition.items.items():
            if item.type != "text":
                codes.setdefault(code)
    return list(codes)


def _item_cell(value) -> str:
    if isinstance(value, list):
        return MULTI_SEPARATOR.join(str(v) for v in value)
    return "" if value is None else str(value)


def _with_items(
    columns: list[str], queryset, row: Callable, progress: Progress, patients: set | None
) -> tuple[bytes, int]:
    codes = _item_codes(queryset)

    def full_row(formulation):
        answers = formulation.answers
        return [*row(formulation), *(_item_cell(answers.get(code)) for code in codes)]

    return _write([*columns, *(ITEM_PREFIX + code for code in codes)], queryset, full_row, progress, patients)


def pseudonym(patient_uuid) -> str:
    return "P-" + salted_hmac(PSEUDONYM_SALT, str(patient_uuid), algorithm="sha256").hexdigest()[:16]


def date_shift_days(patient_uuid) -> int:
    """A stable per-patient offset of 1 to MAX_SHIFT_DAYS days, forward or back (never 0)."""
    digest = salted_hmac(DATE_SHIFT_SALT, str(patient_uuid), algorithm="sha256").digest()
    days = int.from_bytes(digest[:4], "big") % MAX_SHIFT_DAYS + 1
    return days if digest[4] % 2 else -days


def _write(
    columns: list[str], queryset, row: Callable, progress: Progress, patients=None
) -> tuple[bytes, int]:
    total = queryset.count()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    step = max(1, total // 20)
    count = 0
    for count, formulation in enumerate(queryset.iterator(chunk_size=200), start=1):
        writer.writerow([_safe_cell(value) for value in row(formulation)])
        if patients is not None:
            patients.add(formulation.interview.session.patient.uuid)
        if count % step == 0:
            progress(count * 100 // total)
    # UTF-8 with a byte-order mark: spreadsheet programs then read Polish letters right.
    return buffer.getvalue().encode("utf-8-sig"), count


def _common(formulation: Formulation) -> list:
    result = formulation.result
    return [
        result.get("question_set", str(formulation.question_set_version)),
        formulation.engine_version,
        result.get("craving_share"),
        result.get("anxiety_share"),
        result.get("craving_score"),
        result.get("anxiety_score"),
        formulation.dominant,
        result.get("confidence"),
        " ".join(result.get("flags", [])),
    ]


def _review(formulation: Formulation):
    try:
        return formulation.review
    except ObjectDoesNotExist:
        return None


def _formulation_row(formulation: Formulation) -> list:
    interview = formulation.interview
    assert interview is not None  # exports list stored formulations, which all have one
    review = _review(formulation)
    return [
        interview.session.patient.record_number,
        interview.session.date.isoformat(),
        _local_date(interview.finalized_at).isoformat() if interview.finalized_at else "",
        *_common(formulation),
        review.status if review else "none",
    ]


def _research_row(formulation: Formulation) -> list:
    interview = formulation.interview
    assert interview is not None  # exports list stored formulations, which all have one
    patient_uuid = interview.session.patient.uuid
    shift = datetime.timedelta(days=date_shift_days(patient_uuid))
    review = _review(formulation)
    finalized = _local_date(interview.finalized_at) + shift if interview.finalized_at else None
    return [
        pseudonym(patient_uuid),
        (interview.session.date + shift).isoformat(),
        finalized.isoformat() if finalized else "",
        *_common(formulation),
        review.status if review else "none",
        review.supervisor_impression if review else "",
        json.dumps(_coded_answers(formulation), sort_keys=True),
    ]


def _coded_answers(formulation: Formulation) -> dict:
    """Answers without the free-text items (clinician notes can name anyone)."""
    items = compiled_for(formulation.question_set_version).definition.items
    return {
        code: value
        for code, value in formulation.answers.items()
        if code in items and items[code].type != "text"
    }


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _safe_cell(value) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: defuse it.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def iter_rows(data: bytes) -> Iterable[list[str]]:
    return csv.reader(io.StringIO(data.decode("utf-8-sig")))
