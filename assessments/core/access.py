"""The one way views fetch a record: through its model's visible_to(user), with
every read and every denied attempt audited."""

from django.http import Http404

from .audit import Action, audit_log


def get_visible_or_404(request, queryset, *, uuid, patient_of=lambda obj: obj, audit: bool = True):
    """Return the record with this uuid if the user may see it, auditing the read.

    A record that exists but is out of reach is audited as a denial and answered
    exactly like a missing one (404), so ids cannot be probed.
    """
    model = queryset.model
    obj = queryset.visible_to(request.user).filter(uuid=uuid).first()
    if obj is None:
        if model._default_manager.filter(uuid=uuid).exists():
            audit_log(
                request=request,
                action=Action.DENIED,
                data={"object_type": model._meta.label_lower, "object_uuid": str(uuid)},
            )
        raise Http404
    if audit:
        audit_log(request=request, action=Action.VIEW, obj=obj, patient=patient_of(obj))
    return obj
