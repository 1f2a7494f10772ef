from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PatientRecord:
    """Marks the model whose rows are patients: an audit entry about such a row is
    filed under that patient (see audit.record). A plain mixin, no fields."""


class AuditEntry(models.Model):
    """Append-only record of every read and change of patient data, denials included.

    Holds uuids, never names or record numbers, so the log itself discloses nothing.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        FINALIZE = "finalize", _("Finalized (signed)")
        AMEND = "amend", _("Amendment started")
        EXPORT = "export", _("Exported")
        PRINT = "print", _("Printed")
        DENIED = "denied", _("Access denied")
        DELETE = "delete", _("Deleted")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="audit_entries"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=64)
    object_uuid = models.UUIDField(null=True)
    patient_uuid = models.UUIDField(null=True)
    ip_address = models.GenericIPAddressField(null=True)
    request_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            # The audit viewer: one patient's history, newest first.
            models.Index(fields=["patient_uuid", "-at"], name="core_audit_patient_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}"

    # Append-only in the application too (PostgreSQL also enforces it by trigger).
    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries cannot be deleted.")


class OutboxMessage(models.Model):
    """A task to enqueue, written in the same transaction as the change that needs it.

    The broker (Redis) can be down while the database is up: the message then waits
    here and the relay sends it later, so no task is lost and no request hangs.
    Arguments are ids only, never patient data.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("outbox message", "Pending")
        SENT = "sent", _("Sent")

    task_name = models.CharField(max_length=128)
    args = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The relay's scan: pending messages, oldest first.
            models.Index(fields=["status", "created_at"], name="core_outbox_pending_idx"),
        ]

    def __str__(self):
        return f"{self.task_name} {self.status}"
