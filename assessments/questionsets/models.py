import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.core.models import TimeStampedModel


class QuestionSet(TimeStampedModel):
    slug = models.SlugField(unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    def __str__(self):
        return self.slug


class QuestionSetVersion(TimeStampedModel):
    """One version of a question set: items, options, weights and rules as a validated
    definition document (the same JSON the engine loads and import/export speak)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    definition = models.JSONField()
    published_at = models.DateTimeField(null=True, blank=True)
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
