from django.urls import path

from . import views, views_chart

urlpatterns = [
    path("patients/<uuid:patient_uuid>/", views_chart.patient_detail, name="patient-detail"),
    path("patients/<uuid:patient_uuid>/medication/", views_chart.medication_add, name="medication-add"),
    path("patients/<uuid:patient_uuid>/sessions/", views.session_create, name="session-create"),
    path("interviews/<uuid:interview_uuid>/", views.interview_detail, name="interview-detail"),
    path("interviews/<uuid:interview_uuid>/autosave/", views.interview_autosave, name="interview-autosave"),
    path("interviews/<uuid:interview_uuid>/finalize/", views.interview_finalize, name="interview-finalize"),
    path("interviews/<uuid:interview_uuid>/amend/", views.interview_amend, name="interview-amend"),
    # Under question-sets/ for historical reasons (FHIR clients keep the address).
    path(
        "question-sets/interviews/<uuid:interview_uuid>/questionnaire-response.json",
        views.interview_fhir,
        name="interview-fhir",
    ),
    path("formulations/<uuid:formulation_uuid>/", views.formulation_detail, name="formulation-detail"),
]
