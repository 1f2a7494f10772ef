from django.urls import path

from . import views_patient

# Included under patients/ (see zeus_assess/urls.py).
urlpatterns = [
    path("<uuid:patient_uuid>/export.json", views_patient.patient_export, name="patient-export"),
]
