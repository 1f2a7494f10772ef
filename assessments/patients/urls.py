from django.urls import path

from . import views

# The chart (detail, medication) is served by interviews.urls and the GDPR export by
# reports.patient_urls, under the same patients/ prefix: they show records of higher layers.
urlpatterns = [
    path("", views.patient_list, name="patient-list"),
    path("new/", views.patient_create, name="patient-create"),
    path(
        "<uuid:patient_uuid>/medication/<uuid:entry_uuid>/correct/",
        views.medication_correct,
        name="medication-correct",
    ),
    path("<uuid:patient_uuid>/archive/", views.patient_archive, name="patient-archive"),
    path("<uuid:patient_uuid>/restrict/", views.patient_restrict, name="patient-restrict"),
]
