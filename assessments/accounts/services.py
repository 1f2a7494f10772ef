import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.core import audit
from assessments.core.audit import Action

from .models import Supervision
from .roles import Role


def generate_password() -> str:
    # 20 URL-safe characters: well over the 12-character minimum, easy to type once.
    return secrets.token_urlsafe(15)


def roles_ensure() -> None:
    """Create the role groups if missing (tests that flush the database rely on this)."""
    for role in Role.values:
        Group.objects.get_or_create(name=role)


@transaction.atomic
def user_create(*, username: str, role: str, password: str | None = None, email: str = "") -> tuple:
    """Create a user with one role. Returns (user, password) — the password is shown once."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(Role.values)}.")
    password = password or generate_password()
    User = get_user_model()
    user = User(username=username, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    return user, password


def role_grant(*, user, role: str) -> None:
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    user.__dict__.pop("_zeus_roles", None)


def supervision_add(*, supervisor, clinician) -> Supervision:
    supervision, _ = Supervision.objects.get_or_create(supervisor=supervisor, clinician=clinician)
    return supervision


class SignatureError(Exception):
    """An e-signature refused: wrong password, or signing locked after too many."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def password_missing() -> str:
    """What a signature without a password is told (a blank is missing, not wrong)."""
    return _("Enter your password to sign; nothing was signed.")


def signature_verify(*, user, password: str, purpose: str, obj=None, patient=None) -> None:
    """The one e-signature check (finalize, endorse, publish): the signer re-enters their
    password. Wrong passwords count toward a lockout like the login's (AXES_FAILURE_LIMIT
    within AXES_COOLOFF_TIME hours) and are audited; while locked even the right password
    is refused. Raises SignatureError.

    Call it before opening the transaction of the signed change: the audit entry of a wrong
    password is the failure counter and must survive the refusal's rollback. The count is
    per account, not per address: the signer is already logged in, so an address change
    must not reset it. Audit entries double as the counter because they are append-only
    (nobody can reset it) and need no extra table.
    """
    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    failures = user.audit_entries.filter(action=Action.DENIED, at__gte=since, data__reason="signature")
    if failures.count() >= settings.AXES_FAILURE_LIMIT:
        audit.record(
            Action.DENIED,
            obj,
            patient=patient,
            data={"reason": "signature_lockout", "purpose": purpose},
            user=user,
        )
        raise SignatureError(
            _("Too many wrong passwords: signing is locked for now. Nothing was signed; try again later.")
        )
    if not password:
        # Nothing typed is not a wrong guess: it is named as missing and not counted.
        raise SignatureError(password_missing())
    if user.check_password(password):
        return
    audit.record(
        Action.DENIED,
        obj,
        patient=patient,
        data={"reason": "signature", "purpose": purpose},
        user=user,
    )
    raise SignatureError(_("The password is not correct; nothing was signed."))
