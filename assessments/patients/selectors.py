import datetime

from django.db.models import Max, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from assessments.formulation.models import Formulation
from assessments.interviews.models import ClinicalSession, Interview

from .models import MedicationEntry, Patient
from .services import current_entries

LIST_ORDERINGS = {"recent": "-created_at", "record": "record_number", "last_session": "-last_session"}


RESTRICTED = "restricted"
# The interview's `drug_half_life` (cadi@2, prefilled from the medication record).
HALF_LIFE_TEXT = {
    "short": _("short-acting (half-life under 24 hours)"),
    "long": _("long-acting (half-life 24 hours or more)"),
    "unknown": _("unknown"),
}


def patient_list(*, user, status: str = Patient.Status.ACTIVE, ordering: str = "recent", query: str = ""):
    """The user's patients for one list: active, archived, or those whose processing is
    restricted (only there, so that an authorised user can find them to lift it);
    `query` matches the record number or the display name."""
    # Ordering and status come from the query string: only allow-listed values reach SQL.
    order = LIST_ORDERINGS.get(ordering, LIST_ORDERINGS["recent"])
    patients = Patient.objects.visible_to(user)
    if status == RESTRICTED:
        patients = patients.filter(processing_restricted=True)
    else:
        if status not in Patient.Status.values:
            status = Patient.Status.ACTIVE
        patients = patients.everyday().filter(status=status)
    query = query.strip()
    if query:
        patients = patients.filter(Q(record_number__icontains=query) | Q(display_name__icontains=query))
    return patients.annotate(last_session=Max("sessions__date")).order_by(order, "pk")


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


def dose_steps(*, entries, until: datetime.date) -> list[dict]:
    """The diazepam-equivalent dose as steps over the whole history: one point per
    change (the last change wins on a day with several) and one at `until`, so the
    line runs on to today at the dose in force."""
    steps: dict[str, float] = {}
    for entry in sorted(current_entries(entries), key=lambda e: (e.date, e.created_at)):
        steps[entry.date.isoformat()] = float(entry.diazepam_equivalent_mg)
    if steps:
        last = max(steps)
        if until.isoformat() > last:
            steps[until.isoformat()] = steps[last]
    return [{"date": date, "mg": mg} for date, mg in sorted(steps.items())]


def taper_context(*, entries, date: datetime.date, answers: dict) -> dict | None:
    """The medication in force on a session date, for the formulation and the report:
    drug, dose, diazepam equivalent, days since the last change, half-life class."""
    history = [e for e in current_entries(entries) if e.date <= date]
    if not history:
        return None
    history.sort(key=lambda e: (e.date, e.created_at))
    last = history[-1]
    changes = [e for e in history if e.kind != MedicationEntry.Kind.DOSE]
    days = answers.get("days_since_dose_change")
    if days is None and changes:
        days = (date - changes[-1].date).days
    return {
        "drug": last.get_drug_display(),
        "dose": last.daily_dose_mg.normalize(),
        "diazepam": last.diazepam_equivalent_mg,
        "days_since_change": days,
        "half_life": HALF_LIFE_TEXT.get(answers.get("drug_half_life"), ""),
    }


def patient_export(patient: Patient) -> dict:
    """Everything held about one patient, machine-readable (GDPR Art. 15 and 20)."""
    from assessments.core.models import AuditEntry
    from assessments.reviews.models import Review

    sessions = list(patient_sessions(patient))
    reviews = (
        Review.objects.filter(interview__session__patient=patient)
        .prefetch_related("events__actor")
        .select_related("decided_by", "clinician")
    )
    return {
        "patient": {
            "record_number": patient.record_number,
            "display_name": patient.display_name,
            "year_of_birth": patient.year_of_birth,
            "status": patient.status,
            "processing_restricted": patient.processing_restricted,
            "primary_clinician": patient.primary_clinician.get_username(),
            "created_at": patient.created_at,
        },
        "medication": [
            {
                "date": e.date,
                "drug": e.drug,
                "kind": e.kind,
                "daily_dose_mg": str(e.daily_dose_mg),
                "diazepam_equivalent_mg": str(e.diazepam_equivalent_mg),
                "equivalence_table": e.equivalence_table,
            }
            for e in patient.medication_entries.all()
        ],
        "sessions": [
            {
                "date": s.date,
                "clinician": s.clinician.get_username(),
                "interviews": [
                    {
                        "id": str(i.uuid),
                        "question_set": i.question_set_version.ref,
                        "status": i.status,
                        "answers": i.answers,
                        "finalized_at": i.finalized_at,
                        "amends": str(i.amends.uuid) if i.amends_id else None,
                        "formulations": [
                            {
                                "id": str(f.uuid),
                                "created_at": f.created_at,
                                "engine_version": f.engine_version,
                                "result": f.result,
                            }
                            for f in i.formulations.all()
                        ],
                    }
                    for i in s.interviews.all()
                ],
            }
            for s in sessions
        ],
        "reviews": [
            {
                "formulation": str(r.formulation.uuid) if r.formulation_id else None,
                "status": r.status,
                "supervisor_impression": r.supervisor_impression,
                "comment": r.comment,
                "decided_by": r.decided_by.get_username() if r.decided_by else None,
                "decided_at": r.decided_at,
                "events": [
                    {
                        "action": ev.action,
                        "at": ev.at,
                        "by": ev.actor.get_username() if ev.actor else None,
                        "comment": ev.comment,
                    }
                    for ev in r.events.all()
                ],
            }
            for r in reviews.select_related("formulation")
        ],
        "access_log": [
            {
                "at": a.at,
                "user": a.user.get_username() if a.user else None,
                "action": a.action,
                "record": a.object_type,
            }
            for a in AuditEntry.objects.filter(patient_uuid=patient.uuid)
            .select_related("user")
            .order_by("at")
        ],
    }
