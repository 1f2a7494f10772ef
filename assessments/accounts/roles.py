"""The three product roles, kept as Django groups so that permissions can hang on them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLINICIAN = "clinician", _("Clinician")
    SUPERVISOR = "supervisor", _("Supervisor")
    QUESTIONSET_ADMIN = "questionset_admin", _("Question-set admin")


def user_roles(user) -> set[str]:
    """Role names of a user, cached on the instance for the request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_zeus_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) & set(Role.values)
        user._zeus_roles = cached
    return cached


def has_role(user, role: str) -> bool:
    return role in user_roles(user)
