from axes.signals import user_locked_out
from django.dispatch import receiver

from assessments.core import audit
from assessments.core.audit import Action


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    # Staff username and address only: a lockout concerns an account, not a patient.
    audit.record(Action.DENIED, data={"reason": "lockout", "username": username})
