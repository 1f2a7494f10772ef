from django.db.models import Prefetch

from assessments.core.texts import localized
from assessments.formulation.models import Formulation
from assessments.formulation.presentation import answer_text
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
            shown = answer_text(item, value, language, definition) if value is not None else None
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
    """The patient's sessions, newest first, as plain values to be paged; the page's
    interviews and formulations come from session_rows(). No JSON and no model object:
    with 200 sessions, loading each interview's question-set definition took most of a
    second, and prefetching model objects (a queryset made per session and interview)
    still took most of the page's time."""
    sessions = ClinicalSession.objects.filter(patient=patient)
    return sessions.order_by("-date", "-created_at").values("id", "date")


def session_rows(sessions) -> list[dict]:
    """The sessions of one page ({id, date}) with their interviews in order of creation,
    each with its latest formulation: two queries of plain values whatever the page."""
    by_session: dict[int, dict] = {s["id"]: {"date": s["date"], "interviews": []} for s in sessions}
    interviews = list(
        Interview.objects.filter(session_id__in=by_session)
        .order_by("created_at")
        .values(
            "id",
            "uuid",
            "session_id",
            "status",
            "amends_id",
            "question_set_version__number",
            "question_set_version__question_set__slug",
        )
    )
    latest: dict[int, dict] = {}
    for formulation in (
        Formulation.objects.filter(interview_id__in=[i["id"] for i in interviews])
        .order_by("-created_at")
        .values("interview_id", "uuid", "dominant")
    ):
        latest.setdefault(formulation["interview_id"], formulation)
    statuses = dict(Interview.Status.choices)
    dominants = dict(Formulation._meta.get_field("dominant").flatchoices)
    for interview in interviews:
        shown = latest.get(interview["id"])
        by_session[interview["session_id"]]["interviews"].append(
            {
                "uuid": interview["uuid"],
                "ref": f"{interview['question_set_version__question_set__slug']}@"
                f"{interview['question_set_version__number']}",
                "status_text": statuses.get(interview["status"], interview["status"]),
                "amends_id": interview["amends_id"],
                "formulation": shown
                and {
                    "uuid": shown["uuid"],
                    "dominant_text": dominants.get(shown["dominant"], shown["dominant"]),
                },
            }
        )
    return list(by_session.values())


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
