from django.urls import path

from . import views

urlpatterns = [
    path("", views.patient_list, name="patient-list"),
    path("new/", views.patient_create, name="patient-create"),
    path("<uuid:patient_uuid>/", views.patient_detail, name="patient-detail"),
    path("<uuid:patient_uuid>/medication/", views.medication_add, name="medication-add"),
    path(
        "<uuid:patient_uuid>/medication/<uuid:entry_uuid>/correct/",
        views.medication_correct,
        name="medication-correct",
    ),
    path("<uuid:patient_uuid>/archive/", views.patient_archive, name="patient-archive"),
    path("<uuid:patient_uuid>/export.json", views.patient_export, name="patient-export"),
    path("<uuid:patient_uuid>/restrict/", views.patient_restrict, name="patient-restrict"),
]
