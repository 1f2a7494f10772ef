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
