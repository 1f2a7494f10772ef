import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.accounts.services import SignatureError, signature_verify
from assessments.core import audit
from assessments.core.audit import Action
from assessments.formulation.engine.records import IMPRESSION_ITEM
from assessments.formulation.models import Formulation
from assessments.formulation.services import formulation_create
from assessments.patients.models import Patient
from assessments.patients.services import medication_prefill, medication_prefill_source, require_changeable
from assessments.questionsets.answer_forms import readable_answer_errors
from assessments.questionsets.compiled import compiled_for
from assessments.questionsets.selectors import version_resolve

from .models import ClinicalSession, Interview
from .signals import interview_finalized

IMPRESSION = IMPRESSION_ITEM


class InterviewError(Exception):
    """A refused interview change. `errors` maps item codes (or "__all__") to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(next(iter(errors.values())))
        self.errors = errors


class InterviewConflict(InterviewError):
    """Someone saved this draft since it was loaded (another tab, another device)."""


@transaction.atomic
def session_start(*, patient: Patient, user, date: datetime.date) -> Interview:
    """Open a session with a draft interview on the published default question set,
    pre-filled from the medication history."""
    require_changeable(patient, user)
    version = version_resolve(None)
    session = ClinicalSession.objects.create(patient=patient, clinician=user, date=date)
    entries = list(patient.medication_entries.all())
    prefill = medication_prefill(entries=entries, today=date)
    # Only what this version asks (a version without drug_half_life gets no value for it).
    items = compiled_for(version).definition.items
    answers = {code: value for code, value in prefill.items() if code in items}
    interview = Interview.objects.create(
        session=session,
        question_set_version=version,
        answers=answers,
        prefilled=dict(answers),
        prefilled_from=medication_prefill_source(entries=entries, today=date) if answers else {},
    )
    audit.record(Action.CREATE, session, patient=patient)
    audit.record(Action.CREATE, interview, patient=patient)
    return interview


def _check_answers(interview: Interview, answers: dict) -> dict:
    compiled = compiled_for(interview.question_set_version)
    answers = compiled.visible_answers(answers)
    errors = compiled.validate(answers)
    if errors:
        raise InterviewError(readable_answer_errors(compiled=compiled, answers=answers, errors=errors))
    return answers


@transaction.atomic
def interview_save_draft(*, interview: Interview, user, answers: dict, lock_version: int) -> int:
    """Store a draft's answers if nobody saved since `lock_version`; returns the new
    lock version. Invalid answers store nothing and name every offending item."""
    require_changeable(interview.session.patient, user)
    answers = _check_answers(interview, answers)
    changed = sorted(
        code
        for code in set(answers) | set(interview.answers)
        if answers.get(code) != interview.answers.get(code)
    )
    updated = Interview.objects.filter(
        pk=interview.pk, status=Interview.Status.DRAFT, lock_version=lock_version
    ).update(answers=answers, lock_version=F("lock_version") + 1, updated_at=timezone.now())
    if not updated:
        _raise_stale(interview)
    # Item codes only: the audit log never copies clinical content.
    audit.record(Action.UPDATE, interview, patient=interview.session.patient, data={"items": changed})
    return lock_version + 1


def _raise_stale(interview: Interview):
    interview.refresh_from_db(fields=["status", "lock_version"])
    if interview.status != Interview.Status.DRAFT:
        raise InterviewConflict({"__all__": _("This interview is finalized and can no longer be changed.")})
    raise InterviewConflict(
        {
            "__all__": _(
                "This draft was saved elsewhere (another tab or device). Reload to see the latest answers; "
                "your unsaved changes are still on this page."
            )
        }
    )


INCOMPLETE = "finalize_incomplete"


def core_items_answered(*, compiled, answers: dict) -> tuple[int, int]:
    """(answered, total) core items; an answered empty list ("none of these") counts."""
    core = [code for code, item in compiled.definition.items.items() if item.core]
    return sum(1 for code in core if answers.get(code) is not None), len(core)


def finalize_problems(*, interview: Interview, incomplete_confirmed: bool) -> dict[str, str]:
    """What stands in the way of finalizing: every unanswered required item (clinical
    spec 6.1) and the impression, then, with under half of the core items answered,
    the missing "finalize as incomplete" confirmation. {} when nothing does."""
    compiled = compiled_for(interview.question_set_version)
    answers = interview.answers
    problems = {
        code: _("Required: answer this before finalizing.") for code in compiled.unanswered_required(answers)
    }
    if not answers.get(IMPRESSION):
        problems[IMPRESSION] = _("Record your own impression before finalizing.")
    answered, total = core_items_answered(compiled=compiled, answers=answers)
    if 2 * answered < total and not incomplete_confirmed:
        problems[INCOMPLETE] = _(
            "Only %(answered)s of %(total)s core items are answered. To finalize anyway, tick "
            "“Finalize as incomplete”: the formulation will say it is incomplete."
        ) % {"answered": answered, "total": total}
    return problems


def interview_finalize(
    *, interview: Interview, user, password: str, incomplete_confirmed: bool = False
) -> Formulation:
    """Sign (password re-entry), lock, and compute and store the formulation."""
    require_changeable(interview.session.patient, user)
    problems = finalize_problems(interview=interview, incomplete_confirmed=incomplete_confirmed)
    # The signature is checked outside the transaction: a wrong password's audit entry
    # (the lockout counter) must outlive the refusal.
    try:
        signature_verify(
            user=user,
            password=password,
            purpose="finalize",
            obj=interview,
            patient=interview.session.patient,
        )
    except SignatureError as exc:
        # Every problem at once, so the clinician corrects them in one pass.
        raise InterviewError({"password": exc.message, **problems}) from None
    if problems:
        raise InterviewError(problems)
    return _finalize_signed(interview=interview, user=user)


@transaction.atomic
def _finalize_signed(*, interview: Interview, user) -> Formulation:
    answers = _check_answers(interview, interview.answers)
    updated = Interview.objects.filter(
        pk=interview.pk, status=Interview.Status.DRAFT, lock_version=interview.lock_version
    ).update(
        status=Interview.Status.FINALIZED,
        finalized_at=timezone.now(),
        finalized_by=user,
        lock_version=F("lock_version") + 1,
    )
    if not updated:
        _raise_stale(interview)
    interview.refresh_from_db()
    formulation = formulation_create(
        version=interview.question_set_version, answers=answers, user=user, interview=interview
    )
    audit.record(
        Action.FINALIZE,
        interview,
        patient=interview.session.patient,
        data={"formulation": str(formulation.uuid)},
    )
    # The review queue (a higher layer) takes it from here, in this same transaction.
    interview_finalized.send(sender=Interview, formulation=formulation, user=user)
    return formulation


@transaction.atomic
def interview_amend(*, interview: Interview, user) -> Interview:
    """Start a correction: a new draft linked to the signed original, which stays as it is."""
    require_changeable(interview.session.patient, user)
    if interview.status != Interview.Status.FINALIZED:
        raise InterviewError({"__all__": _("Only a finalized interview can be amended.")})
    existing = Interview.objects.filter(amends=interview).first()
    if existing is not None:
        return existing
    amendment = Interview.objects.create(
        session=interview.session,
        question_set_version=interview.question_set_version,
        answers=dict(interview.answers),
        amends=interview,
    )
    audit.record(
        Action.AMEND, amendment, patient=interview.session.patient, data={"amends": str(interview.uuid)}
    )
    return amendment
