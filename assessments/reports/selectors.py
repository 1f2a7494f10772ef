"""Everything held about one patient, gathered from every app (hence this top layer)."""

from assessments.core.models import AuditEntry
from assessments.interviews.selectors import patient_sessions
from assessments.patients.models import Patient
from assessments.reviews.models import Review


def patient_export(patient: Patient) -> dict:
    """Everything held about one patient, machine-readable (GDPR Art. 15 and 20)."""
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
