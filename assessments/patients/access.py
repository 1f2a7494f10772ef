"""Scoped lookups of a patient for the views of any app (never imported from a views
module): built on core.access, so every read and denial is audited the same way."""

from django.core.exceptions import PermissionDenied

from assessments.core.access import get_changeable_or_403, get_visible_or_404

from .models import Patient


def own_patient_or_403(request, patient_uuid) -> Patient:
    """A patient the user may change (see Patient.changeable_by): 404 when out of reach,
    403 when only readable."""
    return get_changeable_or_403(request, Patient.objects, uuid=patient_uuid)


def care_team_patient_or_403(request, patient_uuid) -> Patient:
    """The patient's clinician or one of their supervisors (not a mere reader)."""
    patient = get_visible_or_404(
        request, Patient.objects.select_related("primary_clinician"), uuid=patient_uuid, audit=False
    )
    if not patient.care_team_includes(request.user):
        raise PermissionDenied
    return patient
