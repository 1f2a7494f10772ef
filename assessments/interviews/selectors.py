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
        .select_related("clinician")
        .prefetch_related(Prefetch("interviews", queryset=interviews))
        .order_by("-date", "-created_at")
    )


def patient_timeline(*, sessions, entries) -> list[dict]:
    """One point per finalized interview (an amended original gives way to its finalized
    amendment): shares and the diazepam-equivalent dose in force on the session date.
    Works on the already-loaded rows: no extra queries, one pass over each list."""
    history = sorted(current_entries(entries), key=lambda e: (e.date, e.created_at))
    points, dose, next_entry = [], None, 0
    for session in sorted(sessions, key=lambda s: (s.date, s.created_at)):
        while next_entry < len(history) and history[next_entry].date <= session.date:
            dose = float(history[next_entry].diazepam_equivalent_mg)
            next_entry += 1
        finalized = [i for i in session.interviews.all() if i.status == Interview.Status.FINALIZED]
        superseded = {i.amends_id for i in finalized}
        for interview in finalized:
            formulation = next(iter(interview.formulations.all()), None)
            if formulation is None or interview.pk in superseded:
                continue
            # An insufficient formulation has no mix to plot (clinical spec 6.2).
            insufficient = formulation.dominant == "insufficient"
            points.append(
                {
                    "date": session.date.isoformat(),
                    # The stored copy of the result's share (the two always add up to 100).
                    "craving_share": None if insufficient else formulation.craving_share,
                    "anxiety_share": None
                    if insufficient or formulation.craving_share is None
                    else 100 - formulation.craving_share,
                    "dominant": formulation.dominant,
                    "dominant_text": str(formulation.get_dominant_display()),
                    "diazepam_mg": dose,
                }
            )
    return points
