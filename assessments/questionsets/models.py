import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.core.models import TimeStampedModel


class QuestionSet(TimeStampedModel):
    slug = models.SlugField(unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    def __str__(self):
        return self.slug


class QuestionSetVersion(TimeStampedModel):
    """One version of a question set: items, options, weights and rules as a validated
    definition document (the same JSON the engine loads and import/export speak).

    A published or retired version is frozen: interviews and stored formulations
    point at it and must keep meaning what they meant. The services refuse to change
    one, and a database trigger (migration 0004) refuses it for every other path. The
    one exception is a migration that lifts the trigger on purpose: 0006 amended the
    shipped cadi@2 where nothing used it yet.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("question-set version status", "Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    definition = models.JSONField()
    # The version this draft was cloned from, for the diff a reviewer looks at first.
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question_set", "number"], name="questionsets_version_unique_number"
            ),
            # Exactly one version per set is offered for new interviews.
            models.UniqueConstraint(
                fields=["question_set"],
                condition=models.Q(status="published"),
                name="questionsets_version_one_published",
            ),
        ]

    def __str__(self):
        return f"{self.question_set.slug}@{self.number}"

    @property
    def ref(self) -> str:
        return f"{self.question_set.slug}@{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class WhatIfRun(TimeStampedModel):
    """One run of a draft over the finalized interviews of its set: how many stored
    formulations would change their dominant mechanism. Computed by a task; stored
    formulations are only read, never touched."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Queued")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(QuestionSetVersion, on_delete=models.CASCADE, related_name="whatif_runs")
    # The draft as it was when the run was asked for; a later edit makes the run stale.
    revision = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    # [{record_number, before, after, craving_share_before, craving_share_after}] and
    # [{record_number, items}] for answer sets the draft refuses: pseudonymous record
    # numbers and codes only, never names or free text.
    changes = models.JSONField(default=list, blank=True)
    refusals = models.JSONField(default=list, blank=True)
    # A short code, never data of a patient.
    error = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The version page: a draft's runs, newest first.
            models.Index(fields=["version", "-created_at"], name="questionsets_whatif_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(processed__lte=models.F("total")), name="questionsets_whatifrun_progress_range"
            ),
        ]

    def __str__(self):
        return f"what-if {self.version} {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.processed / self.total)
