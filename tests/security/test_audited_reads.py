"""Pages that show record numbers audit the read, naming each patient shown (issue #11,
item 7): the supervisor's safety alerts and the audit viewer."""

from django.urls import reverse

from assessments.core.models import AuditEntry
from tests.conftest import PASSWORD
from tests.factories import finalized_interview, patient_for, vignette


def _urgent(clinician, committed):
    patient = patient_for(clinician)
    answers = {
        **vignette("P6-anxiety-with-active-suicidal-thoughts")["answers"],
        "clinician_impression": "mixed",
    }
    with committed():
        finalized_interview(patient, clinician, answers, PASSWORD)
    return patient


def _list_entries(user, listing):
    return AuditEntry.objects.filter(user=user, action="view", data__list=listing)


def test_the_supervisor_home_audits_its_safety_alerts(login, clinician, supervisor, cadi, committed):
    patient = _urgent(clinician, committed)
    response = login(supervisor).get(reverse("home"))
    assert patient.record_number in response.content.decode()
    entries = _list_entries(supervisor, "safety_alerts")
    assert entries.count() == 1 and entries.get().data["patients"] == [str(patient.uuid)]


def test_the_supervisor_home_writes_nothing_without_alerts(login, supervisor):
    login(supervisor).get(reverse("home"))
    assert not _list_entries(supervisor, "safety_alerts").exists()


def test_the_audit_viewer_audits_the_record_numbers_it_shows(login, clinician, supervisor, cadi, committed):
    patient = _urgent(clinician, committed)
    response = login(supervisor).get(reverse("audit-log"))
    assert patient.record_number in response.content.decode()
    entries = _list_entries(supervisor, "audit")
    assert entries.count() == 1 and entries.get().data["patients"] == [str(patient.uuid)]
