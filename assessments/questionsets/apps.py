from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionSetsConfig(AppConfig):
    name = "assessments.questionsets"
    label = "questionsets"
    verbose_name = _("Question sets")
