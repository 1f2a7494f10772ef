"""Answers prefilled from the medication record are remembered per interview and shown
as prefilled, and editable, until the clinician changes them (clinical spec 6.5)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments.interviews import services as interview_services
from assessments.interviews.models import Interview
from assessments.patients.services import medication_add
from assessments.questionsets.services import shipped_version
from tests.factories import as_user, draft_interview, patient_for, taper
from tests.security.test_injection import PAYLOADS

PREFILLED = ("med_status", "days_since_dose_change", "drug_half_life")


@pytest.fixture
def patient(clinician, cadi):
    return patient_for(clinician)


def _note(body: str, code: str) -> str | None:
    """The text of the item's note, or None when the page shows none."""
    found = re.search(rf'<div id="note-{code}" class="[^"]*">(.*?)</div>', body)
    return found.group(1) if found else None


def _described_by(body: str, code: str) -> list[str]:
    """The ids the item's question (a choice's fieldset, an input) is described by."""
    block = body.split(f'id="item-{code}"', 1)[1]
    tag = re.search(r"<(?:fieldset|input|textarea)\b[^>]*>", block).group(0)
    found = re.search(r'aria-describedby="([^"]*)"', tag)
    return found.group(1).split() if found else []


def _page(client, interview) -> str:
    response = client.get(reverse("interview-detail", args=[interview.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_fresh_interview_shows_the_prefilled_answers_as_prefilled(login, clinician, patient):
    today = datetime.date.today()
    taper(patient, clinician, today=today)  # lorazepam, reduced ten days ago
    interview = draft_interview(patient, clinician, date=today)
    body = _page(login(clinician), interview)
    reduced = (today - datetime.timedelta(days=10)).isoformat()
    for code in PREFILLED:
        note = _note(body, code)
        assert note is not None, code
        assert note.startswith("Prefilled from the medication record")
        assert f"Lorazepam, reduced on {reduced}" in note
        assert f"note-{code}" in _described_by(body, code)
    # Still an ordinary, editable answer.
    days = re.search(r'<input type="number" name="days_since_dose_change"[^>]*>', body).group(0)
    assert 'value="10"' in days and "disabled" not in days and "readonly" not in days
    assert 'value="tapering" class="form-check-input" id="id_med_status_0" checked>' in body
    # An item the record says nothing about carries no note.
    assert _note(body, "automaticity") is None and _described_by(body, "automaticity") == []


def test_the_note_goes_once_the_clinician_changes_the_answer(login, clinician, patient):
    today = datetime.date.today()
    taper(patient, clinician, today=today)
    interview = draft_interview(patient, clinician, date=today)
    client = login(clinician)
    response = client.post(
        reverse("interview-autosave", args=[interview.uuid]),
        {
            "med_status": "tapering",  # kept as prefilled
            "days_since_dose_change": "14",  # changed
            "drug_half_life": "long",  # changed
            "lock_version": str(interview.lock_version),
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = _page(client, interview)
    assert _note(body, "med_status") is not None
    for code in ("days_since_dose_change", "drug_half_life"):
        assert _note(body, code) is None, code
        assert f"note-{code}" not in body
    assert re.search(r'<input type="number" name="days_since_dose_change"[^>]* value="14">', body)
    # Changed back to the record's value: it is the prefilled answer again.
    interview.refresh_from_db()
    client.post(
        reverse("interview-autosave", args=[interview.uuid]),
        {
            "med_status": "tapering",
            "days_since_dose_change": "10",
            "lock_version": str(interview.lock_version),
        },
        HTTP_HX_REQUEST="true",
    )
    body = _page(client, interview)
    assert _note(body, "days_since_dose_change") is not None and _note(body, "drug_half_life") is None


def test_a_refused_save_shows_the_note_only_beside_what_the_record_said(login, clinician, patient):
    """The re-shown page describes what its inputs show, not what was saved."""
    today = datetime.date.today()
    taper(patient, clinician, today=today)
    interview = draft_interview(patient, clinician, date=today)
    response = login(clinician).post(
        reverse("interview-autosave", args=[interview.uuid]),
        {
            "med_status": "tapering",
            "days_since_dose_change": "12x",
            "drug_half_life": "short",
            "lock_version": str(interview.lock_version),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert _note(body, "days_since_dose_change") is None
    assert _note(body, "med_status") is not None and _note(body, "drug_half_life") is not None


def test_a_patient_without_a_medication_record_gets_no_note(login, clinician, patient):
    interview = draft_interview(patient, clinician)
    body = _page(login(clinician), interview)
    assert interview.prefilled == {} and 'class="item-note' not in body


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_note_escapes_what_it_quotes(login, clinician, patient, payload):
    today = datetime.date.today()
    taper(patient, clinician, today=today)
    interview = draft_interview(patient, clinician, date=today)
    Interview.objects.filter(pk=interview.pk).update(
        prefilled_from={"drug": payload, "kind": "reduction", "date": payload}
    )
    body = _page(login(clinician), interview)
    assert payload not in body
    assert escape(payload) in _note(body, "med_status")


def test_session_start_records_what_it_prefilled_and_from_which_entry(clinician, patient):
    today = datetime.date.today()
    taper(patient, clinician, today=today)
    interview = draft_interview(patient, clinician, date=today)
    interview.refresh_from_db()
    expected = {"med_status": "tapering", "days_since_dose_change": 10, "drug_half_life": "short"}
    assert interview.prefilled == expected == interview.answers
    reduced = (today - datetime.timedelta(days=10)).isoformat()
    assert interview.prefilled_from == {"drug": "lorazepam", "kind": "reduction", "date": reduced}


def test_a_version_without_drug_half_life_records_no_prefill_for_it(clinician, patient, monkeypatch):
    today = datetime.date.today()
    taper(patient, clinician, today=today)
    old = shipped_version(1)  # cadi@1 has no drug_half_life item
    monkeypatch.setattr(interview_services, "version_resolve", lambda ref: old)
    interview = draft_interview(patient, clinician, date=today)
    interview.refresh_from_db()
    assert interview.question_set_version == old
    assert interview.prefilled == {"med_status": "tapering", "days_since_dose_change": 10}
    assert interview.prefilled == interview.answers


def test_a_stable_dose_is_prefilled_from_the_dose_entry(login, clinician, patient):
    today = datetime.date.today()
    with_dose = today - datetime.timedelta(days=40)
    with as_user(clinician):
        medication_add(
            patient=patient, user=clinician, drug="diazepam", kind="dose", daily_dose_mg=10, date=with_dose
        )
    interview = draft_interview(patient, clinician, date=today)
    assert interview.prefilled == {"med_status": "stable_dose"}
    body = _page(login(clinician), interview)
    assert f"Diazepam, dose recorded on {with_dose.isoformat()}" in _note(body, "med_status")
    assert _note(body, "days_since_dose_change") is None
