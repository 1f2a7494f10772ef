import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.accounts.middleware import SESSION_SEEN, SESSION_STARTED
from assessments.accounts.two_factor_services import enrolment_code_issue
from assessments.core.models import AuditEntry
from tests.conftest import PASSWORD


def _attempt(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_it_locks_a_username_and_address_pair_after_five_failures(client, clinician):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _attempt(client, "clinician", "wrong-password-123", "10.0.0.1").status_code == 200
    # The fifth failure locks the pair; from then on even the right password is refused.
    assert _attempt(client, "clinician", "wrong-password-123", "10.0.0.1").status_code == 429
    locked = _attempt(client, "clinician", PASSWORD, "10.0.0.1")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # The same account from another address, and another account from this one, still work.
    assert _attempt(client, "clinician", PASSWORD, "10.0.0.2").status_code == 302
    entries = AuditEntry.objects.filter(action="denied", data__reason="lockout")
    assert entries.count() == 2  # the locking failure and the refused attempt after it
    assert {(e.data["username"], e.ip_address) for e in entries} == {("clinician", "10.0.0.1")}


def test_it_does_not_lock_after_four_failures(client, clinician):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, "clinician", "wrong-password-123", "10.0.0.9")
    assert _attempt(client, "clinician", PASSWORD, "10.0.0.9").status_code == 302


def test_it_rotates_the_session_key_at_login(client, clinician):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    _attempt(client, "clinician", PASSWORD, "10.0.0.3")
    assert client.session.session_key != before


def _age_session(client, *, seen_ago: float, started_ago: float):
    session = client.session
    session[SESSION_SEEN] = time.time() - seen_ago
    session[SESSION_STARTED] = time.time() - started_ago
    session.save()


def test_it_logs_out_after_thirty_idle_minutes(login, clinician):
    client = login(clinician)
    client.get(reverse("home"))
    _age_session(client, seen_ago=31 * 60, started_ago=31 * 60)
    response = client.get(reverse("patient-list"))
    assert response.status_code == 302 and "expired=1" in response.url
    assert client.get(reverse("home")).status_code == 302


def test_it_keeps_an_active_session_but_ends_it_after_twelve_hours(login, clinician):
    client = login(clinician)
    client.get(reverse("home"))
    _age_session(client, seen_ago=10 * 60, started_ago=11 * 3600)
    assert client.get(reverse("home")).status_code == 200
    _age_session(client, seen_ago=60, started_ago=12 * 3600 + 5)
    assert client.get(reverse("home")).status_code == 302


def test_it_hashes_passwords_with_argon2_in_production_settings():
    from zeus_assess import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_it_requires_twelve_characters(clinician):
    with pytest.raises(ValidationError):
        validate_password("Sh0rt-pass!", clinician)
    validate_password("a-much-longer-passphrase", clinician)


def _enrolment_code(user) -> str:
    admin = get_user_model().objects.create_superuser(f"admin-for-{user.username}", password=PASSWORD)
    return enrolment_code_issue(user=user, issued_by=admin)


def test_it_requires_totp_for_supervisors_when_enabled(login, supervisor, clinician, settings):
    settings.REQUIRE_2FA = True
    client = login(supervisor)
    assert client.get(reverse("home")).url == reverse("two-factor")
    # First enrolment needs an administrator's one-time code (item 11 of #11).
    client.post(reverse("two-factor"), {"enrolment_code": _enrolment_code(supervisor)})
    page = client.get(reverse("two-factor")).content.decode()
    assert 'id="totp-secret"' in page
    device = TOTPDevice.objects.get(user=supervisor)
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post(reverse("two-factor"), {"token": token})
    assert response.status_code == 200 and 'id="backup-codes"' in response.content.decode()
    assert client.get(reverse("home")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    # Clinicians are not asked.
    assert login(clinician).get(reverse("home")).status_code == 200


def test_it_refuses_a_wrong_totp_code(login, supervisor, settings):
    settings.REQUIRE_2FA = True
    client = login(supervisor)
    client.post(reverse("two-factor"), {"enrolment_code": _enrolment_code(supervisor)})
    device = TOTPDevice.objects.get(user=supervisor)
    right = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(reverse("two-factor"), {"token": wrong})
    assert response.status_code == 400 and "not valid" in response.content.decode()
    assert client.get(reverse("home")).url == reverse("two-factor")


def test_a_request_within_a_minute_of_the_last_does_not_write_the_session(login, clinician):
    """The idle clock needs minute precision, not a database write on every page."""
    client = login(clinician)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    writes = [q["sql"] for q in captured if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
    assert writes == []
    _age_session(client, seen_ago=61, started_ago=61)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    assert any(q["sql"].startswith("UPDATE") and "django_session" in q["sql"] for q in captured)
    assert time.time() - client.session[SESSION_SEEN] < 5
