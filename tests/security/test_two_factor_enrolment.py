"""Item 11 of #11: first TOTP enrolment needs an administrator's one-time code; backup
codes; an audited reset by an administrator."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.accounts.models import EnrolmentCode
from assessments.accounts.two_factor_services import enrolment_code_issue, two_factor_reset
from assessments.core.models import AuditEntry
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root-admin", password="Admin-pass-12345!")


@pytest.fixture
def enrolling(login, supervisor, settings):
    settings.REQUIRE_2FA = True
    return login(supervisor)


def _token(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _events(user, event):
    return AuditEntry.objects.filter(object_uuid=user.uuid, data__event=event)


def _enrol(client, user, code):
    """Redeem the code, read the secret, confirm with a TOTP code; returns the last response."""
    response = client.post(reverse("two-factor"), {"enrolment_code": code})
    assert response.status_code == 302, response.content.decode()
    page = client.get(reverse("two-factor")).content.decode()
    assert 'id="totp-secret"' in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return client.post(reverse("two-factor"), {"token": _token(device)})


def test_without_a_code_the_page_asks_for_one_and_shows_no_secret(enrolling, supervisor):
    page = enrolling.get(reverse("two-factor")).content.decode()
    assert 'name="enrolment_code"' in page
    assert 'id="totp-secret"' not in page
    assert not TOTPDevice.objects.filter(user=supervisor).exists()
    # A TOTP code alone (no enrolment code) cannot enrol.
    response = enrolling.post(reverse("two-factor"), {"token": "123456"})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=supervisor, confirmed=True).exists()
    assert enrolling.get(reverse("home")).url == reverse("two-factor")


def test_a_wrong_code_is_refused_and_audited(enrolling, supervisor, admin_user):
    enrolment_code_issue(user=supervisor, issued_by=admin_user)
    response = enrolling.post(reverse("two-factor"), {"enrolment_code": "WRONG-CODE-0000"})
    assert response.status_code == 400
    assert "enrolment code" in response.content.decode().lower()
    assert 'id="totp-secret"' not in response.content.decode()
    assert not TOTPDevice.objects.filter(user=supervisor).exists()
    assert _events(supervisor, "otp_enrolment_code_refused").exists()


def test_an_expired_code_is_refused(enrolling, supervisor, admin_user):
    code = enrolment_code_issue(user=supervisor, issued_by=admin_user)
    EnrolmentCode.objects.filter(user=supervisor).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = enrolling.post(reverse("two-factor"), {"enrolment_code": code})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=supervisor).exists()


def test_a_used_code_is_refused(login, enrolling, supervisor, admin_user):
    code = enrolment_code_issue(user=supervisor, issued_by=admin_user)
    assert _enrol(enrolling, supervisor, code).status_code == 200
    two_factor_reset(user=supervisor, by=admin_user)  # devices gone; the old code stays used
    other = login(supervisor)
    response = other.post(reverse("two-factor"), {"enrolment_code": code})
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(user=supervisor).exists()


def test_the_code_is_stored_hashed_and_a_new_one_replaces_the_old(supervisor, admin_user):
    first = enrolment_code_issue(user=supervisor, issued_by=admin_user)
    second = enrolment_code_issue(user=supervisor, issued_by=admin_user)
    assert first != second
    stored = EnrolmentCode.objects.filter(user=supervisor)
    assert all(first not in row.code_hash and second not in row.code_hash for row in stored)
    assert _events(supervisor, "otp_enrolment_code_issued").count() == 2


def test_the_right_code_enrols_and_shows_backup_codes_once(enrolling, supervisor, admin_user):
    code = enrolment_code_issue(user=supervisor, issued_by=admin_user)
    response = _enrol(enrolling, supervisor, code)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="backup-codes"' in page
    assert TOTPDevice.objects.get(user=supervisor).confirmed
    static = StaticDevice.objects.get(user=supervisor)
    assert static.token_set.count() == 10
    assert enrolling.get(reverse("home")).status_code == 200
    # Shown once: the verification page never lists them again.
    assert 'id="backup-codes"' not in enrolling.get(reverse("two-factor")).content.decode()
    assert _events(supervisor, "otp_enrolled").exists()


def test_a_backup_code_works_once(login, enrolling, supervisor, admin_user):
    code = enrolment_code_issue(user=supervisor, issued_by=admin_user)
    page = _enrol(enrolling, supervisor, code).content.decode()
    backup = re.search(r'<li class="backup-code"><code>([^<]+)</code>', page).group(1)
    first = login(supervisor)
    assert first.get(reverse("home")).url == reverse("two-factor")
    assert first.post(reverse("two-factor"), {"token": backup}).status_code == 302
    assert first.get(reverse("home")).status_code == 200
    assert _events(supervisor, "otp_backup_code_used").count() == 1
    second = login(supervisor)
    response = second.post(reverse("two-factor"), {"token": backup})
    assert response.status_code == 400
    assert second.get(reverse("home")).url == reverse("two-factor")


def test_reset_is_audited_and_forces_re_enrolment(login, enrolling, supervisor, admin_user):
    code = enrolment_code_issue(user=supervisor, issued_by=admin_user)
    _enrol(enrolling, supervisor, code)
    fresh = two_factor_reset(user=supervisor, by=admin_user)
    assert not TOTPDevice.objects.filter(user=supervisor).exists()
    assert not StaticDevice.objects.filter(user=supervisor).exists()
    reset = _events(supervisor, "otp_reset").get()
    assert reset.user == admin_user
    client = login(supervisor)
    page = client.get(reverse("two-factor")).content.decode()
    assert 'name="enrolment_code"' in page
    assert _enrol(client, supervisor, fresh).status_code == 200


def test_the_management_command_issues_a_code_shown_once(supervisor, admin_user, capsys):
    call_command("otp_enrolment_code", supervisor.username)
    out = capsys.readouterr().out
    code = re.search(r"\(shown once\): (\S+)", out).group(1)
    assert EnrolmentCode.objects.filter(user=supervisor, used_at=None).count() == 1
    assert code not in EnrolmentCode.objects.get(user=supervisor).code_hash
    call_command("otp_enrolment_code", supervisor.username, "--reset")
    assert _events(supervisor, "otp_reset").exists()


def test_the_admin_action_resets_and_shows_the_code_once(admin_user, supervisor, login, settings):
    settings.REQUIRE_2FA = False
    client = login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [supervisor.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert EnrolmentCode.objects.filter(user=supervisor, used_at=None).count() == 1
    reset = _events(supervisor, "otp_reset").get()
    assert reset.user == admin_user


def test_only_superusers_can_issue(supervisor):
    clinician2 = make_user("clin2", "clinician")
    with pytest.raises(PermissionError):
        enrolment_code_issue(user=supervisor, issued_by=clinician2)


def test_guessing_enrolment_codes_locks_enrolment(enrolling, supervisor, admin_user, settings):
    code = enrolment_code_issue(user=supervisor, issued_by=admin_user)
    for n in range(settings.AXES_FAILURE_LIMIT):
        assert (
            enrolling.post(reverse("two-factor"), {"enrolment_code": f"0000-0000-0000-{n:04d}"}).status_code
            == 400
        )
    # Even the right code is refused while locked, and it is not spent.
    response = enrolling.post(reverse("two-factor"), {"enrolment_code": code})
    assert response.status_code == 400 and "locked" in response.content.decode()
    assert EnrolmentCode.objects.get(user=supervisor).used_at is None
    assert _events(supervisor, "otp_enrolment_locked").exists()


def test_the_enrolment_page_speaks_polish(enrolling):
    page = enrolling.get(reverse("two-factor"), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Kod rejestracji od administratora" in page
    response = enrolling.post(reverse("two-factor"), {"enrolment_code": "nope"}, HTTP_ACCEPT_LANGUAGE="pl")
    assert "Ten kod rejestracji jest nieprawidłowy" in response.content.decode()
