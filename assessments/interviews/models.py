import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.core.models import TimeStampedModel
from assessments.patients.models import Patient, restrict_to_patients
from assessments.questionsets.models import QuestionSetVersion


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return restrict_to_patients(self, user, "patient__")


class ClinicalSession(TimeStampedModel):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="sessions")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]

    def __str__(self):
        return f"{self.patient} {self.date}"


class InterviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        return restrict_to_patients(self, user, "session__patient__")


class Interview(TimeStampedModel):
    """Answers to one question-set version within a session. A finalized interview is
    locked; a correction is a new interview that `amends` it."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("interview status", "Draft")
        FINALIZED = "finalized", _("Finalized")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(ClinicalSession, on_delete=models.PROTECT, related_name="interviews")
    question_set_version = models.ForeignKey(QuestionSetVersion, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(default=dict, blank=True)
    # What session_start filled in from the medication record (item code -> value) and
    # the entry it came from ({"drug", "kind", "date"}), kept as they were then: the page
    # marks an answer as prefilled while it still equals that value (spec 6.5).
    prefilled = models.JSONField(default=dict, blank=True)
    prefilled_from = models.JSONField(default=dict, blank=True)
    # Optimistic locking: every saved draft bumps it; a save quoting an old value loses.
    lock_version = models.PositiveIntegerField(default=1)
    amends = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="amended_by"
    )
    finalized_at = models.DateTimeField(null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = InterviewQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(finalized_at__isnull=False, finalized_by__isnull=False),
                name="interviews_interview_finalized_signed",
            ),
        ]

    def __str__(self):
        return f"{self.session} {self.question_set_version} {self.status}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT
