from django.urls import path

from assessments.accounts.permissions import signed_in

from .api import FormulationPreview

# The preview holds no patient data: any signed-in user may run the engine.
urlpatterns = [
    path("formulations/preview", signed_in(FormulationPreview.as_view()), name="api-formulation-preview"),
]
