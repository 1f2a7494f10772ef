from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .dbguard import ensure_after_migrate


class QuestionSetsConfig(AppConfig):
    name = "assessments.questionsets"
    label = "questionsets"
    verbose_name = _("Question sets")

    def ready(self):
        post_migrate.connect(ensure_after_migrate, sender=self, dispatch_uid="questionsets_frozen_guard")
