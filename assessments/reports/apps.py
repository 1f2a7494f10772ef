from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "assessments.reports"
    label = "reports"
    verbose_name = _("Reports and exports")

    def ready(self):
        # Registers the tasks with Celery in every process, and connects the receivers of
        # the signals lower apps send (the one way a lower layer starts work up here).
        from . import tasks, whatif  # noqa: F401
