from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "assessments.reviews"
    label = "reviews"
    verbose_name = _("Supervisor reviews")

    def ready(self):
        # Connects the receivers of the signals lower apps send (README, "Layers").
        from . import receivers  # noqa: F401
