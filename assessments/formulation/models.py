import uuid

from django.conf import settings
from django.db import models

from assessments.patients.models import restrict_to_patients
from assessments.questionsets.models import QuestionSetVersion
from assessments.questionsets.vocabulary import Dominant, Flag

__all__ = ["Dominant", "Flag", "Formulation"]

# Dominant and Flag: the engine's codes with their words (questionsets/vocabulary.py).


class FormulationQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Preview formulations are never stored; a stored one always belongs to an
        # interview, and one without (a bare engine run) is nobody's to see.
        return restrict_to_patients(
            self.filter(interview__isnull=False), user, "interview__session__patient__"
        )


class Formulation(models.Model):
    """A formulation exactly as the engine returned it, with everything needed to
    reproduce it. Never updated: a new rule set or engine yields a new row."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    question_set_version = models.ForeignKey(
        QuestionSetVersion, on_delete=models.PROTECT, related_name="formulations"
    )
    interview = models.ForeignKey(
        "interviews.Interview", null=True, blank=True, on_delete=models.PROTECT, related_name="formulations"
    )
    engine_version = models.CharField(max_length=32)
    answers = models.JSONField()
    result = models.JSONField()
    # The same result's labels and recommendation texts in each language of the
    # question set, made at the same moment from the same inputs ({lang: result}).
    translations = models.JSONField(default=dict, blank=True)
    # Copied out of `result` so that queues and statistics can filter in the database.
    dominant = models.CharField(max_length=16, choices=Dominant.choices)
    craving_share = models.PositiveSmallIntegerField(null=True)
    # Any urgent flag (safety_urgent or, since cadi@2, medical_urgent): it puts the
    # review first in the queue and asks a supervisor to acknowledge it by name.
    safety_urgent = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FormulationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(craving_share__isnull=True) | models.Q(craving_share__lte=100),
                name="formulation_formulation_share_range",
            ),
        ]

    def __str__(self):
        return f"{self.question_set_version} {self.dominant} ({self.created_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        # Stored formulations are evidence of what the engine said: never rewritten.
        if not self._state.adding:
            raise ValueError("A stored formulation cannot be changed.")
        super().save(*args, **kwargs)

    def localized_result(self, language: str) -> dict:
        return self.translations.get(language) or self.result
