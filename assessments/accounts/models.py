import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A member of staff. Roles are groups (see roles.Role)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)


class Supervision(models.Model):
    """A supervisor is responsible for reviewing the work of a clinician."""

    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervisions"
    )
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervised_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "clinician"], name="accounts_supervision_unique_pair"
            ),
            models.CheckConstraint(
                condition=~models.Q(supervisor=models.F("clinician")),
                name="accounts_supervision_not_self",
            ),
        ]

    def __str__(self):
        return f"{self.supervisor} → {self.clinician}"


class EnrolmentCode(models.Model):
    """A one-time code an administrator issues so that a user can enrol a second factor.

    Only a hash is stored; the code itself is shown once to the administrator, who hands
    it over by a channel other than the password's.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="otp_enrolment_codes"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("two-factor enrolment code")
        verbose_name_plural = _("two-factor enrolment codes")

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
