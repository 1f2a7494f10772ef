from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "assessments.reports"
    label = "reports"
    verbose_name = _("Reports and exports")

    def ready(self):
        from . import tasks  # noqa: F401 - registers the tasks with Celery in every process
