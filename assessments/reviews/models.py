import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.core.models import TimeStampedModel
from assessments.formulation.engine.records import URGENT_FLAGS
from assessments.formulation.models import Dominant, Flag, Formulation
from assessments.interviews.models import Interview
from assessments.patients.models import restrict_to_patients


class Impression(models.TextChoices):
    """The clinician's and the supervisor's impression; the engine's dominant maps onto it."""

    MAINLY_CRAVING = "mainly_craving", _("Mainly craving")
    MAINLY_ANXIETY = "mainly_anxiety", _("Mainly anxiety")
    MIXED = "mixed", _("Mixed")
    UNCLEAR = "unclear", _("Unclear")


ENGINE_TO_IMPRESSION = {
    "craving": Impression.MAINLY_CRAVING,
    "anxiety": Impression.MAINLY_ANXIETY,
    "mixed": Impression.MIXED,
    "insufficient": Impression.UNCLEAR,
}


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Through the review's own copy of its patient: the path through interview and
        # session cost two index lookups per row (most of the dashboard's pending count).
        return restrict_to_patients(self, user, "patient__")


class Review(TimeStampedModel):
    """A supervisor's review of one finalized formulation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        RETURNED = "returned", _("Returned for revision")
        ENDORSED = "endorsed", _("Endorsed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    formulation = models.OneToOneField(Formulation, on_delete=models.PROTECT, related_name="review")
    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, related_name="reviews")
    # The interview's patient, copied (a session never changes patient), so that the
    # access rule joins one table rather than three.
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The review this one follows after a return and an amendment.
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_review"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField()
    # Copies of the three impressions, so agreement is counted by the database.
    clinician_impression = models.CharField(max_length=16, choices=Impression.choices)
    engine_impression = models.CharField(max_length=16, choices=Impression.choices)
    supervisor_impression = models.CharField(max_length=16, choices=Impression.choices, blank=True)
    dominant = models.CharField(max_length=16)
    # Space-delimited flag codes (" a b "), filterable with `contains` on every database.
    flags_text = models.CharField(max_length=255, blank=True)
    safety_urgent = models.BooleanField(default=False)
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    safety_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    safety_acknowledged_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        indexes = [
            # The supervisor's queue: pending items, urgent first, oldest first.
            models.Index(fields=["status", "-safety_urgent", "submitted_at"], name="reviews_queue_idx"),
            # Dashboard: per clinician over a date range.
            models.Index(fields=["clinician", "submitted_at"], name="reviews_clinician_date_idx"),
            # Dashboard: pending and overdue per clinician, counted from this index alone
            # (the access rule reads the patient), not from the 10,000 pending rows.
            # (patient a key column, not INCLUDE: SQLite, the embedded default, has no
            # INCLUDE and Django warns of it.)
            models.Index(
                fields=["clinician", "submitted_at", "patient"],
                condition=Q(status="pending"),
                name="reviews_pending_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="reviews_review_decided_has_signer",
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("clinician")), name="reviews_review_not_own"
            ),
        ]

    def __str__(self):
        return f"review {self.uuid} {self.status}"

    @property
    def flags(self) -> list[str]:
        return self.flags_text.split()

    @property
    def urgent_flags(self) -> list[str]:
        """The urgent flags raised (medical first, as in spec 6.2), each acknowledged by name."""
        return [code for code in URGENT_FLAGS if code in self.flags]

    @property
    def flag_labels(self) -> list[tuple[str, str]]:
        labels = dict(Flag.choices)
        return [(code, labels.get(code, code)) for code in self.flags]

    @property
    def dominant_label(self) -> str:
        return str(Dominant(self.dominant).label) if self.dominant in Dominant.values else self.dominant


class ReviewEvent(models.Model):
    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned for revision")
        ENDORSED = "endorsed", _("Endorsed and signed")
        ACKNOWLEDGED = "acknowledged", _("Safety alert acknowledged")
        OVERDUE = "overdue", _("Marked overdue")

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)


class Notification(models.Model):
    """An in-app notice. It names no patient: the page it links to is access-checked."""

    class Kind(models.TextChoices):
        NEW_REVIEW = "new_review", _("A formulation awaits your review")
        RETURNED = "returned", _("A formulation was returned to you for revision")
        SAFETY_URGENT = "safety_urgent", _("Urgent safety flag: active suicidal thoughts reported")
        MEDICAL_URGENT = "medical_urgent", _("Urgent medical flag: severe withdrawal signs reported")
        OVERDUE = "overdue", _("A review is overdue")
        ENDORSED = "endorsed", _("Your formulation was endorsed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Tasks may run twice (at-least-once delivery): one notice per event.
            models.UniqueConstraint(fields=["recipient", "review", "kind"], name="reviews_notification_once"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="reviews_notif_unread_idx")]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id}"


# Short codes for the impressions in the summary's column names.
IMPRESSION_CODES = {
    Impression.MAINLY_CRAVING: "mc",
    Impression.MAINLY_ANXIETY: "ma",
    Impression.MIXED: "mx",
    Impression.UNCLEAR: "un",
}
# The three pairs of impressions the dashboard compares, by column prefix.
SUMMARY_PAIRS = {
    "ce": ("clinician_impression", "engine_impression"),
    "cs": ("clinician_impression", "supervisor_impression"),
    "es": ("engine_impression", "supervisor_impression"),
}


def summary_count_columns() -> dict[str, Q]:
    """Each count column of ReviewDayStats with the reviews it counts."""
    columns = {"total": Q()}
    columns.update({f"dominant_{code}": Q(dominant=code) for code in Dominant.values})
    for prefix, (a, b) in SUMMARY_PAIRS.items():
        for first, x in IMPRESSION_CODES.items():
            for second, y in IMPRESSION_CODES.items():
                columns[f"{prefix}_{x}_{y}"] = Q(**{a: first, b: second})
    return columns


class ReviewDayStats(models.Model):
    """The reviews one clinician submitted on one (local) day about the patients of one
    primary clinician, as counts: what the supervisor dashboard sums.

    Grouping 100,000 reviews through the access rule's joins took over a second; this
    holds one row per clinician and day. summary.refresh() recomputes a row after every
    review write; summary.rebuild() (beat, hourly, and `manage.py reviews_summary`)
    recomputes them all.
    """

    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Named so that the one access rule applies as is: restrict_to_patients(qs, user, "patient_").
    patient_primary_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    locals().update({name: models.PositiveIntegerField(default=0) for name in summary_count_columns()})

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinician", "patient_primary_clinician", "day"], name="reviews_daystats_unique"
            ),
        ]
        indexes = [models.Index(fields=["patient_primary_clinician", "day"], name="reviews_daystats_idx")]

    def __str__(self):
        # The count columns are generated (summary_count_columns), unknown to the type checker.
        return f"{self.clinician_id} {self.day}: {getattr(self, 'total', 0)}"


class ReviewSummaryState(models.Model):
    """One row whose token changes in every transaction that changes the summary
    (ReviewDayStats), so that figures summed from it can be cached under the token they
    were read at: a reader never needs to know which bucket changed, and a figure
    cached before a change is simply never asked for again.

    A fresh random token, not a counter: a database rolled back or restored to an
    earlier state brings back that state's token, which names that state's figures."""

    token = models.UUIDField(default=uuid.uuid4)

    def __str__(self):
        return str(self.token)
