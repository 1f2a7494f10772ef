import pytest
from django.db import connection, transaction
from django.urls import reverse

from assessments.core.audit import Action, audit_log
from assessments.core.models import AuditEntry
from tests.factories import patient_for


@pytest.fixture
def entry(clinician):
    return audit_log(action=Action.VIEW, obj=patient_for(clinician), user=clinician)


def test_it_refuses_to_change_or_delete_an_entry_in_the_application(entry):
    entry.action = "create"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditentry SET action = 'create'",
        "DELETE FROM core_auditentry",
        "TRUNCATE core_auditentry CASCADE",
    ],
)
def test_it_rejects_update_delete_and_truncate_by_trigger_on_postgresql(entry, statement):
    from django.db import DatabaseError

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL zeus.audit_maintenance = 'off'")
            # Settle deferred FK checks first, or TRUNCATE fails for that reason instead.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(statement)
    assert AuditEntry.objects.filter(pk=entry.pk, action="view").exists()


def test_it_records_who_what_when_where_and_the_request(login, clinician):
    patient = patient_for(clinician)
    login(clinician).get(
        reverse("patient-detail", args=[patient.uuid]), REMOTE_ADDR="192.0.2.7", HTTP_X_REQUEST_ID="abc123"
    )
    entry = AuditEntry.objects.get(action="view", patient_uuid=patient.uuid)
    assert entry.user == clinician and entry.ip_address == "192.0.2.7" and entry.request_id == "abc123"
    assert entry.object_type == "patients.patient" and entry.at is not None


def test_it_shows_supervisors_the_audit_of_their_team_only(login, clinician, other_clinician, supervisor):
    mine = patient_for(clinician)
    theirs = patient_for(other_clinician)
    login(clinician).get(reverse("patient-detail", args=[mine.uuid]))
    login(other_clinician).get(reverse("patient-detail", args=[theirs.uuid]))
    body = login(supervisor).get(reverse("audit-log")).content.decode()
    assert mine.record_number in body and theirs.record_number not in body
    filtered = login(supervisor).get(reverse("audit-log") + f"?patient={mine.record_number}&action=view")
    assert filtered.status_code == 200 and mine.record_number in filtered.content.decode()


def test_it_keeps_clinicians_out_of_the_audit_viewer(login, clinician):
    assert login(clinician).get(reverse("audit-log")).status_code == 403


def test_it_audits_pages_that_list_patients(login, clinician, supervisor, committed):
    from tests.conftest import PASSWORD
    from tests.factories import finalized_interview

    patient = patient_for(clinician)
    with committed():
        finalized_interview(patient, clinician, {"clinician_impression": "unclear"}, PASSWORD)
    login(clinician).get(reverse("patient-list"))
    login(supervisor).get(reverse("review-queue"))
    listed = {
        e.data["list"]: (e.user, e.data["patients"]) for e in AuditEntry.objects.filter(data__has_key="list")
    }
    assert listed == {
        "patients": (clinician, [str(patient.uuid)]),
        "review_queue": (supervisor, [str(patient.uuid)]),
    }
