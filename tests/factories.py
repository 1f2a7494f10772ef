"""Small builders for clinical records, going through the services like the app does."""

import datetime
import json

from assessments.interviews import services as interview_services
from assessments.patients.services import medication_add, patient_create
from tests.engine.engine_support import shared_dir


def vignette(name: str) -> dict:
    return json.loads((shared_dir() / "vignettes" / f"{name}.json").read_text())


def patient_for(clinician, **kwargs):
    return patient_create(user=clinician, **kwargs)


def taper(patient, clinician, *, today: datetime.date):
    medication_add(
        patient=patient,
        user=clinician,
        drug="lorazepam",
        kind="dose",
        daily_dose_mg=2,
        date=today - datetime.timedelta(days=90),
    )
    medication_add(
        patient=patient,
        user=clinician,
        drug="lorazepam",
        kind="reduction",
        daily_dose_mg=1,
        date=today - datetime.timedelta(days=10),
    )


def draft_interview(patient, clinician, *, date: datetime.date | None = None):
    return interview_services.session_start(
        patient=patient, user=clinician, date=date or datetime.date.today()
    )


def finalized_interview(patient, clinician, answers: dict, password: str, *, date=None):
    interview = draft_interview(patient, clinician, date=date)
    interview_services.interview_save_draft(
        interview=interview, user=clinician, answers=answers, lock_version=interview.lock_version
    )
    interview.refresh_from_db()
    # Many fixtures finalize deliberately partial answer sets: confirmed as incomplete.
    formulation = interview_services.interview_finalize(
        interview=interview, user=clinician, password=password, incomplete_confirmed=True
    )
    interview.refresh_from_db()
    return interview, formulation


def bulk_copies(formulation, n: int) -> list:
    """n copies of a finalized formulation, each on its own session and interview of the
    same patient (dated one day apart), for volume tests; bypasses the services on purpose."""
    from assessments.formulation.models import Formulation
    from assessments.interviews.models import ClinicalSession, Interview

    interview = formulation.interview
    clinician = interview.finalized_by
    today = datetime.date.today()
    sessions = ClinicalSession.objects.bulk_create(
        ClinicalSession(
            patient=interview.session.patient, clinician=clinician, date=today - datetime.timedelta(days=i)
        )
        for i in range(n)
    )
    interviews = Interview.objects.bulk_create(
        Interview(
            session=s,
            question_set_version=interview.question_set_version,
            status="finalized",
            answers=interview.answers,
            finalized_at=interview.finalized_at,
            finalized_by=clinician,
        )
        for s in sessions
    )
    return Formulation.objects.bulk_create(
        Formulation(
            interview=i,
            question_set_version=formulation.question_set_version,
            engine_version=formulation.engine_version,
            answers=formulation.answers,
            result=formulation.result,
            dominant=formulation.dominant,
            craving_share=formulation.craving_share,
            created_by=clinician,
        )
        for i in interviews
    )
