from django.db.models import Prefetch

from assessments.core.texts import localized
from assessments.formulation.models import Formulation
from assessments.patients.models import Patient
from assessments.patients.services import current_entries
from assessments.questionsets.compiled import compiled_for

from .models import ClinicalSession, Interview


def interview_answer_rows(interview: Interview, language: str) -> list[dict]:
    """Each question with its answer in words, in interview order."""
    definition = compiled_for(interview.question_set_version).definition
    rows = []
    for section in definition.sections:
        for code in section.items:
            item = definition.items[code]
            value = interview.answers.get(code)
            labels = {o.code: localized(o.label, language) for o in item.options}
            if isinstance(value, list):
                shown = ", ".join(str(labels.get(v, v)) for v in value)
            else:
                shown = labels.get(value, value)
            rows.append(
                {
                    "section": localized(section.title, language),
                    "code": code,
                    "text": localized(item.text, language),
                    "value": shown,
                }
            )
    return rows


def patient_sessions(patient: Patient):
    """Sessions with their interviews and formulations, in a fixed number of queries."""
    formulations = Formulation.objects.order_by("-created_at")
    interviews = (
        Interview.objects.select_related("question_set_version__question_set")
        .prefetch_related(Prefetch("formulations", queryset=formulations))
        .order_by("created_at")
    )
    return (
        ClinicalSession.objects.filter(patient=patient)
        .select_related("clinician")
        .prefetch_related(Prefetch("interviews", queryset=interviews))
        .order_by("-date", "-created_at")
    )


def patient_sessions_overview(patient: Patient):
    """The sessions as the patient page lists them: no JSON is loaded. With 200
    sessions, loading each interview's question-set definition (and every answer set
    and result) took most of a second; the page shows codes, statuses and shares."""
    formulations = Formulation.objects.only(
        "uuid", "interview_id", "dominant", "craving_share", "created_at"
    ).order_by("-created_at")
    interviews = (
        Interview.objects.select_related("question_set_version__question_set")
        .only(
            "uuid",
            "session_id",
            "status",
            "amends_id",
            "created_at",
            "question_set_version__number",
            "question_set_version__question_set__slug",
        )
        .prefetch_related(Prefetch("formulations", queryset=formulations))
        .order_by("created_at")
    )
    return (
        ClinicalSession.objects.filter(patient=patient)
        .prefetch_related(Prefetch("interviews", queryset=interviews))
        .order_by("-date", "-created_at")
    )


def patient_timeline(*, patient: Patient, entries) -> list[dict]:
    """One point per finalized interview (an amended original gives way to its finalized
    amendment): shares and the diazepam-equivalent dose in force on the session date.

    One query of plain values for the whole history, not the session list's model
    objects: a patient followed for years has hundreds of sessions, and making and
    rendering an object for each was most of the patient page's time."""
    rows = list(
        Formulation.objects.filter(
            interview__session__patient=patient, interview__status=Interview.Status.FINALIZED
        )
        .order_by(
            "interview__session__date",
            "interview__session__created_at",
            "interview__created_at",
            "interview_id",
            "-created_at",  # an interview's latest formulation first
        )
        .values_list(
            "interview_id", "interview__amends_id", "interview__session__date", "dominant", "craving_share"
        )
    )
    superseded = {amends for _, amends, _, _, _ in rows if amends is not None}
    history = sorted(current_entries(entries), key=lambda e: (e.date, e.created_at))
    labels = dict(Formulation._meta.get_field("dominant").flatchoices)
    points, dose, next_entry, seen = [], None, 0, set()
    for interview_id, _, date, dominant, craving_share in rows:
        if interview_id in seen or interview_id in superseded:
            continue
        seen.add(interview_id)
        while next_entry < len(history) and history[next_entry].date <= date:
            dose = float(history[next_entry].diazepam_equivalent_mg)
            next_entry += 1
        # An insufficient formulation has no mix to plot (clinical spec 6.2).
        insufficient = dominant == "insufficient"
        points.append(
            {
                "date": date.isoformat(),
                # The stored copy of the result's share (the two always add up to 100).
                "craving_share": None if insufficient else craving_share,
                "anxiety_share": None if insufficient or craving_share is None else 100 - craving_share,
                "dominant": dominant,
                "dominant_text": str(labels.get(dominant, dominant)),
                "diazepam_mg": dose,
            }
        )
    return points
