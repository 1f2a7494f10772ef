"""Two-factor enrolment, verification, backup codes and reset (django-otp devices).

First enrolment needs a one-time code issued by an administrator: the password alone
must not let whoever holds it first bind their own authenticator to the account.
Every step writes an audit entry about the user concerned (obj=user, data.event=...).
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.core import audit
from assessments.core.audit import Action
from assessments.core.models import AuditEntry

from .models import EnrolmentCode

BACKUP_CODE_COUNT = 10


class EnrolmentError(Exception):
    """A refused enrolment step; `field` names the form field the message belongs to."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.message = message
        self.field = field


def _hash(code: str) -> str:
    # The code is 64 random bits, so a fast hash is enough (no password-style stretching);
    # normalising case and separators lets it be typed as read aloud.
    normalised = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


def _new_code() -> str:
    # Hexadecimal (no letters to confuse), grouped for dictation: XXXX-XXXX-XXXX-XXXX.
    raw = secrets.token_hex(8).upper()  # 64 bits
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def enrolment_code_issue(*, user, issued_by) -> str:
    """Issue a fresh enrolment code for `user` (superusers only). Earlier unused codes
    stop working. Returns the code: it is shown once and only its hash is stored."""
    if issued_by is None or not issued_by.is_superuser:
        raise PermissionError("Only an administrator can issue enrolment codes.")
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at=None, expires_at__gt=now).update(expires_at=now)
    code = _new_code()
    expires_at = now + datetime.timedelta(hours=settings.OTP_ENROLMENT_CODE_HOURS)
    EnrolmentCode.objects.create(user=user, issued_by=issued_by, code_hash=_hash(code), expires_at=expires_at)
    audit.record(
        Action.CREATE,
        user,
        user=issued_by,
        data={"event": "otp_enrolment_code_issued", "expires_at": expires_at.isoformat()},
    )
    return code


def enrolment_code_redeem(*, user, code: str) -> TOTPDevice:
    """Spend an enrolment code and start a new authenticator for `user`: returns an
    unconfirmed device with a freshly generated key, so a key shown to anyone before the
    code was redeemed is useless. Raises EnrolmentError on a wrong, expired or used code."""
    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    refusals = AuditEntry.objects.filter(
        user=user, action=Action.DENIED, at__gte=since, data__event="otp_enrolment_code_refused"
    )
    if refusals.count() >= settings.AXES_FAILURE_LIMIT:
        # Guessing is bounded like the login's; the append-only audit is the counter.
        audit.record(Action.DENIED, user, user=user, data={"event": "otp_enrolment_locked"})
        raise EnrolmentError(
            _("Too many wrong enrolment codes: enrolment is locked for now. Try again later."),
            field="enrolment_code",
        )
    with transaction.atomic():
        now = timezone.now()
        row = (
            EnrolmentCode.objects.select_for_update()
            .filter(user=user, code_hash=_hash(code or ""), used_at=None, expires_at__gt=now)
            .first()
        )
        if row is not None:
            row.used_at = now
            row.save(update_fields=["used_at"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            device = TOTPDevice.objects.create(user=user, confirmed=False, name="authenticator")
            audit.record(
                Action.UPDATE,
                user,
                user=user,
                data={"event": "otp_enrolment_code_used"},
            )
            return device
    # Outside the transaction so that the refusal is recorded whatever happens next.
    audit.record(
        Action.DENIED,
        user,
        user=user,
        data={"event": "otp_enrolment_code_refused"},
    )
    raise EnrolmentError(
        _(
            "That enrolment code is not valid: it is wrong, expired or already used. "
            "Ask an administrator for a new one."
        ),
        field="enrolment_code",
    )


@transaction.atomic
def totp_confirm(*, user, device_id: int, token: str) -> list[str] | None:
    """Confirm the device started by enrolment_code_redeem with a code from the app.
    Returns the new backup codes (to show once), or None if the code is wrong."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        audit.record(
            Action.DENIED,
            user,
            user=user,
            data={"event": "otp_enrol_token_refused"},
        )
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _backup_codes_replace(user=user)
    audit.record(Action.UPDATE, user, user=user, data={"event": "otp_enrolled"})
    return codes


def _backup_codes_replace(*, user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def two_factor_verify(*, user, token: str):
    """The two-factor step: a code from the authenticator, or a backup code (each backup
    code works once; django-otp deletes it on use). Returns the device, or None."""
    token = (token or "").strip()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None and device.verify_token(token):
        audit.record(Action.VIEW, user, user=user, data={"event": "otp_verified"})
        return device
    if device is not None:  # backup codes count only once enrolment is complete
        static = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if static is not None and static.verify_token(token.lower()):
            audit.record(
                Action.UPDATE,
                user,
                user=user,
                data={"event": "otp_backup_code_used", "left": static.token_set.count()},
            )
            return static
    audit.record(Action.DENIED, user, user=user, data={"event": "otp_token_refused"})
    return None


@transaction.atomic
def two_factor_reset(*, user, by) -> str:
    """An administrator removes all of a user's second-factor devices (authenticator and
    backup codes) and issues a fresh enrolment code, returned to be shown once."""
    if by is None or not by.is_superuser:
        raise PermissionError("Only an administrator can reset two-factor authentication.")
    removed = (
        TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    )
    audit.record(
        Action.UPDATE,
        user,
        user=by,
        data={"event": "otp_reset", "removed": removed},
    )
    return enrolment_code_issue(user=user, issued_by=by)
