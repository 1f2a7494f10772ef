import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from .roles import Role, user_roles

SESSION_STARTED = "zeus_started_at"
SESSION_SEEN = "zeus_last_seen"
# The idle clock needs minute precision: refreshing the last-seen time on every
# request would write the session (UPDATE and COMMIT) on every page.
SEEN_RESOLUTION_SECONDS = 60


class SessionLimitsMiddleware:
    """Log out after 30 idle minutes (give or take the minute of SEEN_RESOLUTION_SECONDS)
    and, whatever the activity, after 12 hours.

    Django's own expiry slides with every save, so it cannot give an absolute limit;
    the start time is kept in the session and checked here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SESSION_STARTED, now)
            seen = request.session.get(SESSION_SEEN, now)
            if (
                now - seen > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_ABSOLUTE_SECONDS
            ):
                logout(request)
                return redirect(f"{reverse('login')}?expired=1")
            if now - seen >= SEEN_RESOLUTION_SECONDS or SESSION_SEEN not in request.session:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Supervisors and question-set admins must pass TOTP before anything else."""

    ROLES = {Role.SUPERVISOR, Role.QUESTIONSET_ADMIN}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.REQUIRE_2FA
            and user.is_authenticated
            and (user.is_superuser or user_roles(user) & self.ROLES)
            and not user.is_verified()
            and not request.path.startswith(("/accounts/2fa/", "/accounts/logout/", "/static/"))
        ):
            return redirect("two-factor")
        return self.get_response(request)
