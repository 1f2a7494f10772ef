from django.db.models import Max, Prefetch

from assessments.formulation.models import Formulation
from assessments.interviews.models import ClinicalSession, Interview

from .models import Patient

LIST_ORDERINGS = {"recent": "-created_at", "record": "record_number", "last_session": "-last_session"}


def patient_list(*, user, status: str = Patient.Status.ACTIVE, ordering: str = "recent"):
    # Ordering and status come from the query string: only allow-listed values reach SQL.
    order = LIST_ORDERINGS.get(ordering, LIST_ORDERINGS["recent"])
    if status not in Patient.Status.values:
        status = Patient.Status.ACTIVE
    return (
        Patient.objects.visible_to(user)
        .filter(status=status)
        .annotate(last_session=Max("sessions__date"))
        .order_by(order, "pk")
    )


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


def patient_timeline(*, sessions, entries) -> list[dict]:
    """One point per finalized interview: shares and the diazepam-equivalent dose in
    force on the session date (from the already-loaded rows: no extra queries)."""
    history = sorted(entries, key=lambda e: (e.date, e.created_at))
    points = []
    for session in sorted(sessions, key=lambda s: (s.date, s.created_at)):
        dose = None
        for entry in history:
            if entry.date <= session.date:
                dose = float(entry.diazepam_equivalent_mg)
        for interview in session.interviews.all():
            formulation = next(iter(interview.formulations.all()), None)
            if interview.status != Interview.Status.FINALIZED or formulation is None:
                continue
            points.append(
                {
                    "date": session.date.isoformat(),
                    "craving_share": formulation.result.get("craving_share"),
                    "anxiety_share": formulation.result.get("anxiety_share"),
                    "diazepam_mg": dose,
                }
            )
    return points
