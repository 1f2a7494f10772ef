from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormulationConfig(AppConfig):
    name = "assessments.formulation"
    label = "formulation"
    verbose_name = _("Formulations")
