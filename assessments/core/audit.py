from .models import AuditEntry

Action = AuditEntry.Action


def audit_log(*, action: str, obj=None, patient=None, user=None, request=None, data=None) -> AuditEntry:
    """Write one audit entry. `obj` is the record acted on; `patient` the patient whose
    data it is (defaults to obj when obj is a patient)."""
    if request is not None and user is None:
        user = request.user if request.user.is_authenticated else None
    if patient is None and obj is not None and obj.__class__.__name__ == "Patient":
        patient = obj
    return AuditEntry.objects.create(
        action=action,
        user=user,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_uuid=getattr(obj, "uuid", None),
        patient_uuid=getattr(patient, "uuid", None),
        ip_address=request.META.get("REMOTE_ADDR") if request is not None else None,
        request_id=getattr(request, "request_id", "") if request is not None else "",
        data=data or {},
    )


def audit_list_view(*, request, listing: str, patient_uuids) -> AuditEntry:
    """One entry for a page that lists patients (record numbers are patient data):
    which list, and the uuids of the patients it showed."""
    return audit_log(
        request=request,
        action=Action.VIEW,
        data={"list": listing, "patients": [str(u) for u in patient_uuids]},
    )
