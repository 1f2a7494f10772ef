from django.urls import path

from . import views

urlpatterns = [
    path("", views.job_list, name="report-job-list"),
    path("formulations/<uuid:formulation_uuid>/pdf/", views.pdf_start, name="report-pdf-start"),
    path("export/", views.export_start, name="report-export-start"),
    path("research/", views.research_start, name="report-research-start"),
    path("jobs/<uuid:job_uuid>/", views.job_detail, name="report-job-detail"),
    path("jobs/<uuid:job_uuid>/status/", views.job_status, name="report-job-status"),
    path("jobs/<uuid:job_uuid>/retry/", views.job_retry, name="report-job-retry"),
    path("jobs/<uuid:job_uuid>/download/", views.job_download, name="report-job-download"),
]
