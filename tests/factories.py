"""Small builders for clinical records, going through the services like the app does:
each in the audit context of the clinician who would have done it (the middleware sets
it for a request; here it is set explicitly)."""

import datetime

from assessments.core import audit
from assessments.interviews import services as interview_services
from assessments.patients.services import medication_add, patient_create
from tests.engine.engine_support import load_vignette


def vignette(name: str) -> dict:
    """A cadi@1 worked case with its answers written for cadi@2, the version new
    interviews start on (tests of cadi@1 behaviour use the engine tests' own copy)."""
    case = load_vignette(name)
    case["answers"] = on_cadi2(case["answers"])
    return case


# cadi@2 made other_sedative_use a list and dropped "both" (spec 6.1: list both).
_SEDATIVES_AS_LIST = {"both": ["alcohol", "other_sedatives"]}


def on_cadi2(answers: dict) -> dict:
    """The same clinical answers in cadi@2's form: sedatives as a list, and the new
    required severe-withdrawal screen answered "none" (spec 6.1) unless given."""
    converted = dict(answers)
    sedatives = converted.get("other_sedative_use")
    if isinstance(sedatives, str):
        converted["other_sedative_use"] = _SEDATIVES_AS_LIST.get(sedatives, [sedatives])
    converted.setdefault("severe_withdrawal_signs", ["none"])
    return converted


def as_user(user):
    """The audit context of `user` acting outside a request (see core.audit.acting)."""
    return audit.acting(source="test", user=user)


def patient_for(clinician, **kwargs):
    with as_user(clinician):
        return patient_create(user=clinician, **kwargs)


def taper(patient, clinician, *, today: datetime.date):
    with as_user(clinician):
        _taper(patient, clinician, today=today)


def _taper(patient, clinician, *, today: datetime.date):
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
    with as_user(clinician):
        return interview_services.session_start(
            patient=patient, user=clinician, date=date or datetime.date.today()
        )


# The safety screens the version requires before finalizing (spec 6.1), answered
# "none" where a fixture does not say otherwise: such fixtures are about something else.
_REQUIRED_NONE = {
    "suicidal_thoughts": "none",
    "other_sedative_use": ["none"],
    "severe_withdrawal_signs": ["none"],
}


def finalized_interview(patient, clinician, answers: dict, password: str, *, date=None):
    from assessments.questionsets.compiled import compiled_for

    interview = draft_interview(patient, clinician, date=date)
    definition = compiled_for(interview.question_set_version).definition
    defaults = {
        code: value
        for code, value in _REQUIRED_NONE.items()
        if code in definition.items and definition.items[code].required
    }
    with as_user(clinician):
        interview_services.interview_save_draft(
            interview=interview,
            user=clinician,
            answers={**defaults, **answers},
            lock_version=interview.lock_version,
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
