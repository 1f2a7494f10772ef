"""The patient's chart: medication, sessions with their interviews and formulations, the
timeline, and the forms to add to them. It shows records of this app and of the
layers below (patients, formulation), so it lives here rather than in patients."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.accounts.permissions import role_required, signed_in
from assessments.accounts.roles import Role
from assessments.core.access import get_visible_or_404
from assessments.patients import services as patient_services
from assessments.patients.access import own_patient_or_403
from assessments.patients.forms import MedicationForm
from assessments.patients.models import Patient

from .chart import chart_context


@require_GET
@signed_in
def patient_detail(request, patient_uuid):
    patient = get_visible_or_404(request, Patient.objects, uuid=patient_uuid)
    return render(request, "patients/detail.html", chart_context(request, patient))


@require_POST
@role_required(Role.CLINICIAN)
def medication_add(request, patient_uuid):
    patient = own_patient_or_403(request, patient_uuid)
    form = MedicationForm(request.POST)
    if form.is_valid():
        patient_services.medication_add(patient=patient, user=request.user, **form.entry_data())
        messages.success(request, _("Medication entry added."))
        return redirect("patient-detail", patient_uuid=patient.uuid)
    context = chart_context(request, patient, medication_form=form)
    return render(request, "patients/detail.html", context, status=400)
