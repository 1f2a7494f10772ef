"""E-signatures (password re-entry at finalize and endorse) count wrong passwords toward a
lockout like the login's, and every wrong one is audited (issue #11, item 8)."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from assessments.accounts.services import SignatureError, signature_verify
from assessments.core.models import AuditEntry
from assessments.formulation.models import Formulation
from tests.conftest import PASSWORD
from tests.factories import draft_interview, patient_for, vignette

WRONG = "not-the-password-1"


def _signature_denials(user):
    return AuditEntry.objects.filter(user=user, action="denied", data__reason="signature")


def _finalize_post(client, interview, password):
    answers = {**vignette("P1-clear-craving")["answers"], "clinician_impression": "mainly_craving"}
    interview.refresh_from_db()
    return client.post(
        reverse("interview-finalize", args=[interview.uuid]),
        {**answers, "lock_version": str(interview.lock_version), "password": password},
    )


def test_it_locks_finalize_signatures_after_the_failure_limit(login, clinician, cadi):
    interview = draft_interview(patient_for(clinician), clinician)
    client = login(clinician)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _finalize_post(client, interview, WRONG)
        assert response.status_code == 400
    # Locked: the right password is now refused too, and nothing is signed.
    response = _finalize_post(client, interview, PASSWORD)
    assert response.status_code == 400
    assert "Too many wrong passwords" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == "draft" and not Formulation.objects.exists()
    # Every wrong password is audited with what was being signed, and the refusal too.
    denials = _signature_denials(clinician)
    assert denials.count() == settings.AXES_FAILURE_LIMIT
    assert {e.data["purpose"] for e in denials} == {"finalize"}
    assert set(denials.values_list("object_uuid", flat=True)) == {interview.uuid}
    lockouts = AuditEntry.objects.filter(user=clinician, action="denied", data__reason="signature_lockout")
    assert lockouts.count() == 1


def test_it_still_signs_after_fewer_failures_than_the_limit(login, clinician, cadi):
    interview = draft_interview(patient_for(clinician), clinician)
    client = login(clinician)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _finalize_post(client, interview, WRONG).status_code == 400
    assert _finalize_post(client, interview, PASSWORD).status_code == 302
    interview.refresh_from_db()
    assert interview.status == "finalized"


def test_failures_count_across_purposes_and_only_for_that_user(clinician, other_clinician):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        with pytest.raises(SignatureError):
            signature_verify(user=clinician, password=WRONG, purpose="finalize")
    with pytest.raises(SignatureError):
        signature_verify(user=clinician, password=PASSWORD, purpose="endorse")
    # Another account is not affected.
    signature_verify(user=other_clinician, password=PASSWORD, purpose="finalize")


def test_failures_older_than_the_cool_off_no_longer_count(clinician, monkeypatch):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        with pytest.raises(SignatureError):
            signature_verify(user=clinician, password=WRONG, purpose="finalize")
    later = timezone.now() + datetime.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    signature_verify(user=clinician, password=PASSWORD, purpose="finalize")
