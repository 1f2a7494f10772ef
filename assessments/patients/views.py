from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.accounts.roles import Role, has_role
from assessments.core.access import get_visible_or_404
from assessments.core.audit import Action, audit_list_view, audit_log
from assessments.core.errors import summary_from_form
from assessments.core.permissions import role_required
from assessments.interviews.forms import SessionForm

from . import selectors, services
from .forms import MedicationCorrectionForm, MedicationForm, PatientForm
from .models import Patient


@require_GET
def patient_list(request):
    status = request.GET.get("status", Patient.Status.ACTIVE)
    query = request.GET.get("q", "")[:120]
    patients = selectors.patient_list(
        user=request.user, status=status, ordering=request.GET.get("sort", ""), query=query
    )
    page = Paginator(patients, 25).get_page(request.GET.get("page"))
    audit_list_view(request=request, listing="patients", patient_uuids=[p.uuid for p in page])
    return render(request, "patients/list.html", {"page": page, "status": status, "query": query})


@require_http_methods(["GET", "POST"])
@role_required(Role.CLINICIAN)
def patient_create(request):
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        patient = services.patient_create(user=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("Patient %(record)s created.") % {"record": patient.record_number})
        return redirect("patient-detail", patient_uuid=patient.uuid)
    context = {"form": form, "error_summary": summary_from_form(form)}
    return render(request, "patients/create.html", context, status=400 if form.errors else 200)


def detail_context(request, patient, **forms):
    entries = list(patient.medication_entries.all())
    sessions = list(selectors.patient_sessions_overview(patient))
    superseded = {e.supersedes_id for e in entries if e.supersedes_id}
    today = timezone.localdate()
    timeline = selectors.patient_timeline(sessions=sessions, entries=entries)
    errors = [e for form in forms.values() for e in summary_from_form(form)]
    return {
        "patient": patient,
        "entries": [(e, e.pk in superseded) for e in entries],
        "sessions": sessions,
        "timeline": timeline,
        "chart": {"points": timeline, "dose": selectors.dose_steps(entries=entries, until=today)},
        "medication_form": forms.get("medication_form") or MedicationForm(initial={"date": today}),
        "session_form": forms.get("session_form") or SessionForm(initial={"date": today}),
        "error_summary": errors,
    }


@require_GET
def patient_detail(request, patient_uuid):
    patient = get_visible_or_404(request, Patient.objects, uuid=patient_uuid)
    return render(request, "patients/detail.html", detail_context(request, patient))


@require_POST
@role_required(Role.CLINICIAN)
def medication_add(request, patient_uuid):
    patient = own_patient_or_403(request, patient_uuid)
    form = MedicationForm(request.POST)
    if form.is_valid():
        services.medication_add(patient=patient, user=request.user, request=request, **form.entry_data())
        messages.success(request, _("Medication entry added."))
        return redirect("patient-detail", patient_uuid=patient.uuid)
    context = detail_context(request, patient, medication_form=form)
    return render(request, "patients/detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
@role_required(Role.CLINICIAN)
def medication_correct(request, patient_uuid, entry_uuid):
    patient = own_patient_or_403(request, patient_uuid)
    entry = get_object_or_404(patient.medication_entries.current(), uuid=entry_uuid)
    initial = {f: getattr(entry, f) for f in ("drug", "kind", "daily_dose_mg", "date")}
    form = MedicationCorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.entry_data()
        try:
            services.medication_correct(
                entry=entry, user=request.user, request=request, reason=form.cleaned_data["reason"], **data
            )
        except services.CorrectionError:
            messages.error(request, _("This entry was already corrected; correct the correction instead."))
        else:
            messages.success(
                request, _("Medication entry corrected; the original is kept, marked as corrected.")
            )
        return redirect("patient-detail", patient_uuid=patient.uuid)
    context = {"patient": patient, "entry": entry, "form": form, "error_summary": summary_from_form(form)}
    return render(request, "patients/medication_correct.html", context, status=400 if form.errors else 200)


@require_POST
@role_required(Role.CLINICIAN)
def patient_archive(request, patient_uuid):
    patient = own_patient_or_403(request, patient_uuid)
    target = Patient.Status.ACTIVE if patient.status == Patient.Status.ARCHIVED else Patient.Status.ARCHIVED
    services.patient_set_status(patient=patient, user=request.user, status=target, request=request)
    return redirect("patient-detail", patient_uuid=patient.uuid)


def own_patient_or_403(request, patient_uuid) -> Patient:
    """A patient the user may change (see Patient.changeable_by): 404 when out of reach,
    403 when only readable."""
    patient = get_visible_or_404(request, Patient.objects, uuid=patient_uuid, audit=False)
    if not patient.changeable_by(request.user):
        raise PermissionDenied
    return patient


def _care_team_patient(request, patient_uuid) -> Patient:
    """The patient's clinician or one of their supervisors (not a mere reader)."""
    patient = get_visible_or_404(
        request, Patient.objects.select_related("primary_clinician"), uuid=patient_uuid, audit=False
    )
    if not (patient.changeable_by(request.user) or has_role(request.user, Role.SUPERVISOR)):
        raise PermissionDenied
    return patient


@require_GET
def patient_export(request, patient_uuid):
    patient = _care_team_patient(request, patient_uuid)
    data = selectors.patient_export(patient)
    audit_log(request=request, action=Action.EXPORT, obj=patient, data={"format": "json", "scope": "all"})
    response = JsonResponse(
        data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="patient-{patient.uuid}.json"'
    return response


@require_POST
def patient_restrict(request, patient_uuid):
    patient = _care_team_patient(request, patient_uuid)
    restricted = request.POST.get("restricted") == "1"
    if restricted and request.POST.get("confirm") != "1":
        # One click used to hide the patient from every list: say what it does first.
        return render(request, "patients/restrict_confirm.html", {"patient": patient})
    services.patient_restrict_processing(
        patient=patient, user=request.user, restricted=restricted, request=request
    )
    if restricted:
        messages.info(
            request, _("Processing restricted: the patient is kept but left out of lists and exports.")
        )
    else:
        messages.info(request, _("Restriction lifted."))
    return redirect("patient-detail", patient_uuid=patient.uuid)
