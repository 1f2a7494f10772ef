from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_runtime_role(sender, using="default", **kwargs):
    """After `migrate` by the owning role, give the runtime role its grants on every
    table, the new ones included (core/dbroles.py)."""
    from django.conf import settings

    from .dbroles import runtime_role_grant

    role = getattr(settings, "DATABASE_RUNTIME_ROLE", "")
    if role:
        runtime_role_grant(role=role, using=using)


class CoreConfig(AppConfig):
    name = "assessments.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        post_migrate.connect(_grant_runtime_role, sender=self, dispatch_uid="core.grant_runtime_role")
