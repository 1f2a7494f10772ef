import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from assessments.core import audit
from assessments.core.audit import Action

from .middleware import SESSION_SEEN, SESSION_STARTED


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    # Staff username and address only: a lockout concerns an account, not a patient.
    audit.record(Action.DENIED, data={"reason": "lockout", "username": username})


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    """Start the idle and absolute clocks at login, with the session's first save, so
    that the first page after login does not write the session once more."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_STARTED] = now
        request.session[SESSION_SEEN] = now
