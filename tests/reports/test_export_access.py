"""An export is only as good as the access behind it: every download re-checks it, and
the CSV's audit entries name each patient it holds (issue #11, item 6)."""

from django.urls import reverse

from assessments.accounts.models import Supervision
from assessments.core.models import AuditEntry
from assessments.reports.models import ReportJob


def _csv_job(client, user, committed):
    with committed():
        assert client.post(reverse("report-export-start")).status_code == 302
    job = ReportJob.objects.filter(requested_by=user).latest("created_at")
    assert job.status == ReportJob.Status.DONE, job.error
    return job


def test_a_supervisors_export_stops_downloading_when_the_supervision_ends(
    login, finalize, supervisor, clinician, committed
):
    formulation = finalize()
    patient = formulation.interview.session.patient
    client = login(supervisor)
    job = _csv_job(client, supervisor, committed)
    url = reverse("report-job-download", args=[job.uuid])
    assert client.get(url).status_code == 200
    Supervision.objects.filter(supervisor=supervisor, clinician=clinician).delete()
    response = client.get(url)
    assert response.status_code in (403, 404)
    assert patient.record_number.encode() not in response.content
    assert AuditEntry.objects.filter(user=supervisor, action="denied", object_uuid=job.uuid).exists()


def test_csv_generation_and_download_are_audited_per_patient(login, finalize, clinician, committed):
    patients = [finalize().interview.session.patient, finalize("P2-clear-anxiety").interview.session.patient]
    client = login(clinician)
    job = _csv_job(client, clinician, committed)
    assert client.get(reverse("report-job-download", args=[job.uuid])).status_code == 200
    for patient in patients:
        # The patient's own access history (the audit viewer's patient filter) shows both.
        history = AuditEntry.objects.filter(patient_uuid=patient.uuid, object_uuid=job.uuid)
        assert set(history.values_list("action", flat=True)) == {"create", "export"}, patient
