from django.urls import path

from .api import FormulationPreview

urlpatterns = [
    path("formulations/preview", FormulationPreview.as_view(), name="api-formulation-preview"),
]
