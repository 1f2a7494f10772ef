from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.accounts.permissions import role_required, signed_in
from assessments.accounts.roles import Role
from assessments.core import audit
from assessments.core.errors import summary_from_form

from . import selectors, services
from .access import care_team_patient_or_403, own_patient_or_403
from .forms import MedicationCorrectionForm, PatientForm
from .models import Patient


@require_GET
@role_required(Role.CLINICIAN, Role.SUPERVISOR)
def patient_list(request):
    status = request.GET.get("status", Patient.Status.ACTIVE)
    query = request.GET.get("q", "")[:120]
    patients = selectors.patient_list(
        user=request.user, status=status, ordering=request.GET.get("sort", ""), query=query
    )
    page = Paginator(patients, 25).get_page(request.GET.get("page"))
    audit.record_listing("patients", [p.uuid for p in page])
    return render(request, "patients/list.html", {"page": page, "status": status, "query": query})


@require_http_methods(["GET", "POST"])
@role_required(Role.CLINICIAN)
def patient_create(request):
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        patient = services.patient_create(user=request.user, **form.cleaned_data)
        messages.success(request, _("Patient %(record)s created.") % {"record": patient.record_number})
        return redirect("patient-detail", patient_uuid=patient.uuid)
    context = {"form": form, "error_summary": summary_from_form(form)}
    return render(request, "patients/create.html", context, status=400 if form.errors else 200)


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
                entry=entry, user=request.user, reason=form.cleaned_data["reason"], **data
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
    # The forms name the status they ask for, so a repeated post (a double click, a
    # second tab) never turns an archiving back into a reactivation.
    target = request.POST.get("status")
    if target not in (Patient.Status.ACTIVE, Patient.Status.ARCHIVED) or target == patient.status:
        return redirect("patient-detail", patient_uuid=patient.uuid)
    if target == Patient.Status.ARCHIVED and request.POST.get("confirm") != "1":
        # One click used to take the patient off the active list: say what it does first.
        return render(request, "patients/archive_confirm.html", _confirm_context(patient))
    services.patient_set_status(patient=patient, user=request.user, status=target)
    return redirect("patient-detail", patient_uuid=patient.uuid)


def _confirm_context(patient) -> dict:
    # The language switch returns to the patient: the confirming address is POST-only.
    return {"patient": patient, "language_next": reverse("patient-detail", args=[patient.uuid])}


@require_POST
@signed_in
def patient_restrict(request, patient_uuid):
    patient = care_team_patient_or_403(request, patient_uuid)
    restricted = request.POST.get("restricted") == "1"
    if restricted and request.POST.get("confirm") != "1":
        # One click used to hide the patient from every list: say what it does first.
        return render(request, "patients/restrict_confirm.html", _confirm_context(patient))
    services.patient_restrict_processing(patient=patient, user=request.user, restricted=restricted)
    if restricted:
        messages.info(
            request, _("Processing restricted: the patient is kept but left out of lists and exports.")
        )
    else:
        messages.info(request, _("Restriction lifted."))
    return redirect("patient-detail", patient_uuid=patient.uuid)
