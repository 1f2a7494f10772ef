"""One way to check permissions: a role decorator on every view, the record rules in the
services that own them (so no path depends on a view remembering)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver, get_resolver

from assessments.interviews import services as interview_services
from assessments.patients import services as patient_services
from assessments.reviews import services as review_services
from tests.conftest import PASSWORD, make_user
from tests.factories import as_user, draft_interview, finalized_interview, patient_for, vignette

# Served before login by design, or guarded by Django itself (the admin checks is_staff).
OPEN_BY_DESIGN = {"login", "health", "set_language"}


def _routes(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, f"{namespace}{entry.namespace or ''}:")
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def test_every_view_states_who_may_call_it():
    undecided = []
    for namespace, route in _routes():
        if namespace.startswith("admin") or route.name in OPEN_BY_DESIGN:
            continue
        if not hasattr(route.callback, "required_roles"):
            undecided.append(route.name or str(route.pattern))
    assert not undecided, f"views without role_required / superuser_required / signed_in: {undecided}"


def test_autosave_and_finalize_need_the_clinician_role():
    callbacks = {route.name: route.callback for _, route in _routes() if route.name}
    for name in ("interview-autosave", "interview-finalize", "interview-amend", "session-create"):
        assert callbacks[name].required_roles == {"clinician"}, name


ANSWERS = {**vignette("P1-clear-craving")["answers"], "clinician_impression": "mainly_craving"}


def test_the_interview_services_refuse_a_clinician_who_is_not_the_patients(
    db, cadi, clinician, other_clinician, supervisor
):
    patient = patient_for(clinician)
    draft = draft_interview(patient, clinician)
    before = dict(draft.answers)
    for intruder in (other_clinician, supervisor):
        with as_user(intruder), pytest.raises(PermissionDenied):
            interview_services.session_start(patient=patient, user=intruder, date=draft.session.date)
        with as_user(intruder), pytest.raises(PermissionDenied):
            interview_services.interview_save_draft(
                interview=draft, user=intruder, answers=ANSWERS, lock_version=draft.lock_version
            )
        with as_user(intruder), pytest.raises(PermissionDenied):
            interview_services.interview_finalize(interview=draft, user=intruder, password=PASSWORD)
    draft.refresh_from_db()
    assert draft.is_draft and draft.answers == before and draft.lock_version == 1
    assert patient.sessions.count() == 1


def test_the_patient_services_refuse_a_clinician_who_is_not_the_patients(db, clinician, other_clinician):
    patient = patient_for(clinician)
    with as_user(other_clinician), pytest.raises(PermissionDenied):
        patient_services.medication_add(
            patient=patient,
            user=other_clinician,
            drug="diazepam",
            kind="dose",
            daily_dose_mg=5,
            date=datetime.date.today(),
        )
    with as_user(other_clinician), pytest.raises(PermissionDenied):
        patient_services.patient_set_status(patient=patient, user=other_clinician, status="archived")
    with as_user(other_clinician), pytest.raises(PermissionDenied):
        patient_services.patient_restrict_processing(patient=patient, user=other_clinician, restricted=True)
    patient.refresh_from_db()
    assert patient.status == "active" and not patient.processing_restricted
    assert not patient.medication_entries.exists()


def test_a_supervisor_endorses_only_their_teams_work(db, cadi, clinician, supervisor, committed):
    outsider = make_user("other_supervisor", "supervisor")
    with committed():
        _, formulation = finalized_interview(patient_for(clinician), clinician, ANSWERS, PASSWORD)
    review = formulation.review
    with as_user(outsider), pytest.raises(PermissionDenied):
        review_services.review_endorse(
            review=review, user=outsider, password=PASSWORD, impression="mainly_craving"
        )
    review.refresh_from_db()
    assert review.status == "pending"
    with as_user(supervisor):
        review_services.review_endorse(
            review=review, user=supervisor, password=PASSWORD, impression="mainly_craving"
        )
    review.refresh_from_db()
    assert review.status == "endorsed"
