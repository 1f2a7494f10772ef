from django.urls import path

from . import views

urlpatterns = [
    path("patients/<uuid:patient_uuid>/sessions/", views.session_create, name="session-create"),
    path("interviews/<uuid:interview_uuid>/", views.interview_detail, name="interview-detail"),
    path("interviews/<uuid:interview_uuid>/autosave/", views.interview_autosave, name="interview-autosave"),
    path("interviews/<uuid:interview_uuid>/finalize/", views.interview_finalize, name="interview-finalize"),
    path("interviews/<uuid:interview_uuid>/amend/", views.interview_amend, name="interview-amend"),
    path("formulations/<uuid:formulation_uuid>/", views.formulation_detail, name="formulation-detail"),
]
