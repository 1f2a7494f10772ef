from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


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
