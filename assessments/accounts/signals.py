from axes.signals import user_locked_out
from django.dispatch import receiver

from assessments.core.audit import Action, audit_log


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    # Staff username and address only: a lockout concerns an account, not a patient.
    audit_log(action=Action.DENIED, request=request, data={"reason": "lockout", "username": username})
