"""The audit log viewer (`/audit/`): a supervisor reads the entries of their team.
It lives here, above patients and accounts, because its scope is a supervision team."""

import datetime

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.accounts.models import Supervision
from assessments.accounts.permissions import role_required
from assessments.accounts.roles import Role, has_role
from assessments.core import audit
from assessments.core.models import AuditEntry
from assessments.patients.models import Patient


def audit_visible_to(user):
    """Superusers see every entry; a supervisor sees entries about their team's
    patients and by their team's members; nobody else sees the audit log."""
    if user.is_superuser:
        return AuditEntry.objects.all()
    if not has_role(user, Role.SUPERVISOR):
        return AuditEntry.objects.none()
    team = list(Supervision.objects.filter(supervisor=user).values_list("clinician_id", flat=True)) + [
        user.pk
    ]
    patients = Patient.objects.visible_to(user).values("uuid")
    return AuditEntry.objects.filter(Q(patient_uuid__in=patients) | Q(user__in=team))


def _date(value: str):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@require_GET
@role_required(Role.SUPERVISOR)
def audit_log_view(request):
    entries = audit_visible_to(request.user).select_related("user").order_by("-at", "-pk")
    params = {key: request.GET.get(key, "").strip() for key in ("patient", "user", "action", "from", "to")}
    if params["patient"]:
        uuids = (
            Patient.objects.visible_to(request.user).filter(record_number=params["patient"]).values("uuid")
        )
        entries = entries.filter(patient_uuid__in=uuids)
    if params["user"]:
        entries = entries.filter(user__username=params["user"])
    if params["action"] in AuditEntry.Action.values:
        entries = entries.filter(action=params["action"])
    if _date(params["from"]):
        entries = entries.filter(at__date__gte=_date(params["from"]))
    if _date(params["to"]):
        entries = entries.filter(at__date__lte=_date(params["to"]))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    # Record numbers for the page's entries, only of patients this user may see.
    shown = {e.patient_uuid for e in page if e.patient_uuid}
    numbers = dict(
        Patient.objects.visible_to(request.user).filter(uuid__in=shown).values_list("uuid", "record_number")
    )
    rows = [{"entry": e, "record_number": numbers.get(e.patient_uuid, "")} for e in page]
    if numbers:
        # Record numbers are patient data: showing them is a read, audited per patient.
        audit.record_listing("audit", sorted(numbers, key=str))
    users = get_user_model().objects.filter(pk__in=entries.values("user")).order_by("username")
    return render(
        request,
        "core/audit_log.html",
        {
            "page": page,
            "rows": rows,
            "params": params,
            "actions": AuditEntry.Action.choices,
            "users": users,
        },
    )
