from django.db.models import Max

from .models import Patient

LIST_ORDERINGS = {"recent": "-created_at", "record": "record_number", "last_session": "-last_session"}


def patient_list(*, user, status: str = Patient.Status.ACTIVE, ordering: str = "recent"):
    # Ordering and status come from the query string: only allow-listed values reach SQL.
    order = LIST_ORDERINGS.get(ordering, LIST_ORDERINGS["recent"])
    if status not in Patient.Status.values:
        status = Patient.Status.ACTIVE
    return (
        Patient.objects.visible_to(user)
        .everyday()
        .filter(status=status)
        .annotate(last_session=Max("sessions__date"))
        .order_by(order, "pk")
    )
