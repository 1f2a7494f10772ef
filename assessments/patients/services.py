import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from assessments.core import audit
from assessments.core.audit import Action

from .equivalence import half_life_class
from .models import MedicationEntry, Patient


def require_changeable(patient: Patient, user) -> None:
    """The write rule for a patient's records, enforced here whatever the door (a view,
    a task, a command): only the patient's own clinician changes them."""
    if not patient.changeable_by(user):
        raise PermissionDenied


@transaction.atomic
def patient_create(*, user, display_name: str = "", year_of_birth: int | None = None) -> Patient:
    patient = Patient.objects.create(
        primary_clinician=user, display_name=display_name, year_of_birth=year_of_birth
    )
    audit.record(Action.CREATE, patient)
    return patient


@transaction.atomic
def patient_set_status(*, patient: Patient, user, status: str) -> Patient:
    require_changeable(patient, user)
    patient.status = status
    patient.save(update_fields=["status", "updated_at"])
    audit.record(Action.UPDATE, patient, data={"status": status})
    return patient


@transaction.atomic
def medication_add(
    *, patient: Patient, user, drug: str, kind: str, daily_dose_mg, date: datetime.date
) -> MedicationEntry:
    require_changeable(patient, user)
    entry = MedicationEntry(
        patient=patient, drug=drug, kind=kind, daily_dose_mg=daily_dose_mg, date=date, created_by=user
    )
    entry.compute_equivalent()
    entry.full_clean()
    entry.save()
    audit.record(Action.CREATE, entry, patient=patient, data={"drug": drug, "kind": kind})
    return entry


class CorrectionError(Exception):
    """The entry was already corrected (the correction is what should be corrected)."""


@transaction.atomic
def medication_correct(
    *,
    entry: MedicationEntry,
    user,
    drug: str,
    kind: str,
    daily_dose_mg,
    date: datetime.date,
    reason: str,
) -> MedicationEntry:
    """Record a corrected entry that supersedes `entry`; the original row stays as it was."""
    locked = MedicationEntry.objects.select_for_update().get(pk=entry.pk)
    if MedicationEntry.objects.filter(supersedes=locked).exists():
        raise CorrectionError
    correction = MedicationEntry(
        patient=locked.patient,
        drug=drug,
        kind=kind,
        daily_dose_mg=daily_dose_mg,
        date=date,
        created_by=user,
        supersedes=locked,
        correction_reason=reason,
    )
    correction.compute_equivalent()
    correction.full_clean()
    correction.save()
    # Codes only: the reason is clinical text and stays in the record, not the log.
    audit.record(
        Action.UPDATE,
        correction,
        patient=locked.patient,
        data={"corrects": str(locked.uuid), "drug": drug, "kind": kind},
    )
    return correction


def current_entries(entries) -> list[MedicationEntry]:
    """The entries in force, from already-loaded rows: corrected ones left out."""
    entries = list(entries)
    superseded = {e.supersedes_id for e in entries if e.supersedes_id}
    return [e for e in entries if e.pk not in superseded]


def _prefill_basis(entries, today: datetime.date) -> tuple[MedicationEntry, str] | None:
    """The entry the prefill comes from (the latest change before the session, or the
    latest entry when the dose never changed) and the `med_status` it implies."""
    entries = [entry for entry in current_entries(entries) if entry.date <= today]
    if not entries:
        return None
    history = sorted(entries, key=lambda e: (e.date, e.created_at))
    last = history[-1]
    if last.kind == MedicationEntry.Kind.STOP:
        return last, "discontinued"
    changes = [e for e in history if e.kind == MedicationEntry.Kind.REDUCTION]
    if not changes:
        return last, "stable_dose"
    return changes[-1], "tapering"


def medication_prefill(*, entries: list[MedicationEntry], today: datetime.date) -> dict:
    """`med_status`, `days_since_dose_change` and `drug_half_life` as the history up to
    the session date implies them, for a new interview to start from (spec 6.5: the
    latest change before the session, and its drug; the clinician can change all three)."""
    basis = _prefill_basis(entries, today)
    if basis is None:
        return {}
    change, status = basis
    if status == "stable_dose":
        return {"med_status": status}
    return {
        "med_status": status,
        "days_since_dose_change": _days(today, change.date),
        "drug_half_life": half_life_class(change.drug),
    }


def medication_prefill_source(*, entries: list[MedicationEntry], today: datetime.date) -> dict:
    """The entry `medication_prefill` took its values from, as plain data an interview
    keeps (the record may be corrected later; the note says what the values came from
    then): {"drug", "kind", "date"}, or {} when nothing was prefilled."""
    basis = _prefill_basis(entries, today)
    if basis is None:
        return {}
    entry = basis[0]
    return {"drug": entry.drug, "kind": entry.kind, "date": entry.date.isoformat()}


def _days(today: datetime.date, then: datetime.date) -> int:
    # The interview item accepts 0-3650 days; a future-dated entry counts as today.
    return min(max((today - then).days, 0), 3650)


@transaction.atomic
def patient_restrict_processing(*, patient: Patient, user, restricted: bool) -> Patient:
    if not patient.care_team_includes(user):
        raise PermissionDenied
    patient.processing_restricted = restricted
    patient.save(update_fields=["processing_restricted", "updated_at"])
    audit.record(Action.UPDATE, patient, data={"processing_restricted": restricted})
    return patient
