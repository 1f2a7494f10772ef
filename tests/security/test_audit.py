import pytest
from django.db import connection, transaction
from django.urls import reverse

from assessments.core import audit
from assessments.core.audit import Action
from assessments.core.models import AuditEntry
from tests.factories import as_user, patient_for


@pytest.fixture
def entry(clinician):
    with as_user(clinician):
        return audit.record(Action.VIEW, patient_for(clinician))


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


def test_it_logs_a_deleted_draft_as_a_deletion(login, cadi, qs_admin):
    from assessments.questionsets import services as questionset_services

    with as_user(qs_admin):
        draft = questionset_services.version_clone(version=cadi, user=qs_admin)
    response = login(qs_admin).post(reverse("questionset-delete", args=[draft.uuid]), REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_uuid=draft.uuid, action=Action.DELETE)
    assert entry.user == qs_admin and entry.ip_address == "192.0.2.9"
    assert entry.object_type == "questionsets.questionsetversion" and entry.data["ref"] == draft.ref
    assert not AuditEntry.objects.filter(object_uuid=draft.uuid, action=Action.UPDATE).exists()


def test_it_takes_who_where_and_which_request_from_the_context_not_from_arguments(clinician, rf):
    patient = patient_for(clinician)
    request = rf.get("/", REMOTE_ADDR="198.51.100.4")
    request.user, request.request_id = clinician, "req42"
    with audit.in_request(request):
        entry = audit.record(Action.VIEW, patient)
    assert (entry.user, entry.ip_address, entry.request_id) == (clinician, "198.51.100.4", "req42")
    assert entry.patient_uuid == patient.uuid  # a patient is recognised as the patient
    # Outside any context nobody is named; the context never leaks past its block.
    assert audit.current().actor is None
    assert audit.record(Action.VIEW, patient).user is None


def test_it_files_a_patient_only_under_a_real_patient(clinician, cadi):
    class Patient:  # the same class name, but not the patient model
        uuid = cadi.uuid
        _meta = cadi._meta

    with as_user(clinician):
        entry = audit.record(Action.VIEW, Patient())
    assert entry.patient_uuid is None


def test_it_names_whoever_started_a_task_in_its_audit_entries(cadi, clinician, login, committed):
    from assessments.reports.models import ReportJob
    from tests.conftest import PASSWORD
    from tests.factories import finalized_interview, vignette

    with committed():
        _, formulation = finalized_interview(
            patient_for(clinician),
            clinician,
            vignette("P1-clear-craving")["answers"] | {"clinician_impression": "mainly_craving"},
            PASSWORD,
        )
    client = login(clinician)
    with committed():
        client.post(reverse("report-pdf-start", args=[formulation.uuid]))
    job = ReportJob.objects.get(formulation=formulation)
    # The file was made by the task (in-process here), outside the request that asked for it.
    entry = AuditEntry.objects.get(action="create", object_uuid=job.uuid)
    assert entry.user == clinician and entry.request_id == ""


def test_it_keeps_each_threads_context_its_own(clinician, other_clinician):
    import threading

    seen, barrier = {}, threading.Barrier(2)

    def act(user):
        with audit.acting(source="test", user=user):
            barrier.wait(timeout=5)  # both contexts are set at the same time
            seen[user.pk] = audit.current().actor

    threads = [threading.Thread(target=act, args=(u,)) for u in (clinician, other_clinician)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {clinician.pk: clinician, other_clinician.pk: other_clinician}
