"""The GDPR export of everything held about one patient (Art. 15 and 20)."""

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from assessments.accounts.permissions import signed_in
from assessments.core import audit
from assessments.core.audit import Action
from assessments.patients.access import care_team_patient_or_403

from . import selectors


@require_GET
@signed_in
def patient_export(request, patient_uuid):
    patient = care_team_patient_or_403(request, patient_uuid)
    data = selectors.patient_export(patient)
    audit.record(Action.EXPORT, patient, data={"format": "json", "scope": "all"})
    response = JsonResponse(
        data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="patient-{patient.uuid}.json"'
    return response
