"""The one way views fetch a record: through its model's visible_to(user), with
every read and every denied attempt audited."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .audit import Action, record


def get_visible_or_404(request, queryset, *, uuid, patient_of=None, audit: bool = True):
    """Return the record with this uuid if the user may see it, auditing the read.

    A record that exists but is out of reach is audited as a denial and answered
    exactly like a missing one (404), so ids cannot be probed. `patient_of(obj)` names
    the patient a record belongs to (a patient is recognised as such by audit.record).
    """
    model = queryset.model
    obj = queryset.visible_to(request.user).filter(uuid=uuid).first()
    if obj is None:
        if model._default_manager.filter(uuid=uuid).exists():
            record(Action.DENIED, data={"object_type": model._meta.label_lower, "object_uuid": str(uuid)})
        raise Http404
    if audit:
        record(Action.VIEW, obj, patient=patient_of(obj) if patient_of else None)
    return obj


def get_changeable_or_403(request, queryset, *, uuid, patient_of=None):
    """A record the user may change: 404 when out of reach, 403 when only readable.

    The write rule is the patient's (`changeable_by`); `patient_of(obj)` names the
    patient of a record that is not itself a patient. The lookup is not audited as a
    view: the change that follows is audited by its service."""
    obj = get_visible_or_404(request, queryset, uuid=uuid, patient_of=patient_of, audit=False)
    patient = patient_of(obj) if patient_of else obj
    if not patient.changeable_by(request.user):
        raise PermissionDenied
    return obj
