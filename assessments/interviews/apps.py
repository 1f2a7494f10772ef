from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "assessments.interviews"
    label = "interviews"
    verbose_name = _("Sessions and interviews")
