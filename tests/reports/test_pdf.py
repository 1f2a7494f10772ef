import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.core.models import AuditEntry
from assessments.reports.models import ReportJob
from tests.conftest import PASSWORD


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    # A hyphenated word broken across lines comes out as "craving- dominant".
    return re.sub(r"(\w)- (\w)", r"\1-\2", text)


def _fonts(content: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(content))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture
def request_pdf(login, committed):
    def _request(user, formulation, **headers):
        client = login(user)
        with committed():
            response = client.post(reverse("report-pdf-start", args=[formulation.uuid]), **headers)
        job = ReportJob.objects.get(formulation=formulation, requested_by=user)
        return client, response, job

    return _request


def test_it_puts_the_formulation_facts_and_both_signatures_in_the_pdf(
    finalize, endorse, clinician, supervisor, request_pdf
):
    formulation = finalize("P7-craving-high-relapse-risk")
    endorse(formulation)
    client, response, job = request_pdf(clinician, formulation)
    assert response.status_code == 302 and response.url == reverse("report-job-detail", args=[job.uuid])
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE and job.attempts == 1, job.error

    download = client.get(reverse("report-job-download", args=[job.uuid]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "no-store, private"
    text = _pdf_text(download.content)
    result = formulation.result
    patient = formulation.interview.session.patient
    assert patient.record_number in text
    assert f"Craving {result['craving_share']}%, anxiety {result['anxiety_share']}%" in text
    assert "Mainly medication craving" in text
    assert f"Confidence: {result['confidence'].capitalize()}" in text
    assert result["flags"], "the vignette raises flags"
    for rule in result["rules"]:
        assert " ".join(rule["label"].split()) in text, rule["id"]
    for recommendation in result["recommendations"]:
        assert " ".join(recommendation["text"].split()) in text
    assert f"Question set {result['question_set']} · engine {result['engine_version']}" in text
    assert "it does not replace it and is not a diagnosis" in text
    assert f"signed by {clinician.username}" in text
    assert f"endorsed and signed by {supervisor.username}" in text
    # The bundled font (declared as "Zeus Sans"), embedded, not a system fallback.
    assert {name.split("+")[-1] for name in _fonts(download.content)} == {"Zeus-Sans", "Zeus-Sans-Bold"}


def test_it_renders_polish_characters_with_the_bundled_font(finalize, clinician, request_pdf):
    formulation = finalize("P6-anxiety-with-active-suicidal-thoughts", impression="mainly_anxiety")
    client, _, job = request_pdf(clinician, formulation, HTTP_ACCEPT_LANGUAGE="pl")
    assert job.language == "pl"
    text = _pdf_text(client.get(reverse("report-job-download", args=[job.uuid])).content)
    assert "Pilne zagrożenie bezpieczeństwa" in text
    polish = formulation.translations["pl"]
    assert " ".join(polish["recommendations"][0]["text"].split()) in text
    assert any(letter in text for letter in "ąćęłńóśźż")


def test_it_audits_the_download_and_the_generation_once(finalize, clinician, request_pdf):
    formulation = finalize()
    client, _, job = request_pdf(clinician, formulation)
    patient = formulation.interview.session.patient
    assert (
        AuditEntry.objects.filter(action="create", object_uuid=job.uuid, patient_uuid=patient.uuid).count()
        == 1
    )
    client.get(reverse("report-job-download", args=[job.uuid]))
    entry = AuditEntry.objects.get(action="print", object_uuid=job.uuid)
    assert entry.user == clinician and entry.patient_uuid == patient.uuid and entry.data["kind"] == "pdf"


def test_it_answers_404_to_an_outsider_and_audits_the_denial(
    finalize, clinician, other_clinician, request_pdf, login
):
    formulation = finalize()
    _, _, job = request_pdf(clinician, formulation)
    outsider = login(other_clinician)
    for name in ("report-job-download", "report-job-status", "report-job-detail"):
        response = outsider.get(reverse(name, args=[job.uuid]))
        assert response.status_code == 404
        assert b"%PDF" not in response.content
        assert formulation.interview.session.patient.record_number.encode() not in response.content
    assert outsider.post(reverse("report-pdf-start", args=[formulation.uuid])).status_code == 404
    assert AuditEntry.objects.filter(action="denied", user=other_clinician).count() == 4
    assert not AuditEntry.objects.filter(action__in=["print", "export"], user=other_clinician).exists()


def test_it_refuses_the_wrong_methods(finalize, clinician, request_pdf, login):
    formulation = finalize()
    client, _, job = request_pdf(clinician, formulation)
    assert client.get(reverse("report-pdf-start", args=[formulation.uuid])).status_code == 405
    assert client.post(reverse("report-job-download", args=[job.uuid])).status_code == 405
    assert client.get(reverse("report-job-retry", args=[job.uuid])).status_code == 405


def test_it_polls_the_progress_until_the_file_is_ready(finalize, clinician, login):
    formulation = finalize()
    client = login(clinician)
    # Without the commit the task has not run: the partial keeps polling.
    response = client.post(reverse("report-pdf-start", args=[formulation.uuid]), HTTP_HX_REQUEST="true")
    job = ReportJob.objects.get(formulation=formulation)
    assert job.status == ReportJob.Status.PENDING
    body = response.content.decode()
    assert 'hx-trigger="every 1s"' in body and reverse("report-job-status", args=[job.uuid]) in body
    page = client.get(reverse("report-job-detail", args=[job.uuid])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "Queued" in page
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING, progress=40)
    body = client.get(reverse("report-job-status", args=[job.uuid])).content.decode()
    assert 'value="40"' in body and 'hx-trigger="every 1s"' in body
    assert client.get(reverse("report-job-download", args=[job.uuid])).status_code == 404

    from assessments.reports.tasks import run_job

    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.PENDING)
    run_job.apply(args=[job.pk])
    body = client.get(reverse("report-job-status", args=[job.uuid])).content.decode()
    assert "hx-trigger" not in body and reverse("report-job-download", args=[job.uuid]) in body


def test_it_shows_a_failure_to_the_requester_and_tries_again(
    finalize, clinician, request_pdf, monkeypatch, committed
):
    from assessments.reports.pdf import render

    def broken(formulation):
        raise RuntimeError("pango is missing")

    monkeypatch.setattr(render, "render_pdf", broken)
    formulation = finalize()
    client, _, job = request_pdf(clinician, formulation)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and job.error == "RuntimeError"
    assert job.attempts == 1  # in-process there is no broker to retry through
    body = client.get(reverse("report-job-status", args=[job.uuid])).content.decode()
    assert "Failed, try again." in body and "hx-trigger" not in body
    assert "Failed, try again." in client.get(reverse("report-job-list")).content.decode()

    monkeypatch.undo()
    with committed():
        response = client.post(reverse("report-job-retry", args=[job.uuid]), HTTP_HX_REQUEST="true")
    again = ReportJob.objects.exclude(pk=job.pk).get(formulation=formulation)
    assert again.status == ReportJob.Status.DONE and f"job-{again.uuid}" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED


def test_it_links_the_report_from_the_formulation_page(finalize, clinician, login):
    formulation = finalize()
    page = login(clinician).get(reverse("formulation-detail", args=[formulation.uuid])).content.decode()
    assert reverse("report-pdf-start", args=[formulation.uuid]) in page


def test_it_retries_a_failure_on_the_worker_with_backoff_then_shows_it(finalize, clinician, monkeypatch):
    from celery.exceptions import Retry

    from assessments.reports import services
    from assessments.reports.pdf import render
    from assessments.reports.tasks import MAX_RETRIES, run_job

    monkeypatch.setattr(render, "render_pdf", lambda formulation: 1 / 0)
    retries = []
    monkeypatch.setattr(run_job, "retry", lambda **kwargs: retries.append(kwargs) or Retry())
    job = services.report_request(
        user=clinician, kind=ReportJob.Kind.PDF, language="en", formulation=finalize()
    )  # not committed: the outbox has not run it
    for attempt in range(MAX_RETRIES + 1):
        run_job.push_request(retries=attempt, is_eager=False)
        try:
            if attempt < MAX_RETRIES:
                with pytest.raises(Retry):
                    run_job.run(job.pk)
                job.refresh_from_db()
                assert job.status == ReportJob.Status.PENDING  # given back for the retry
            else:
                assert run_job.run(job.pk) == "failed"
        finally:
            run_job.pop_request()
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and job.error == "ZeroDivisionError"
    assert job.attempts == MAX_RETRIES + 1 and len(retries) == MAX_RETRIES
    assert all(0 <= r["countdown"] <= 300 and isinstance(r["exc"], ZeroDivisionError) for r in retries)


def test_the_job_page_says_a_job_of_a_lost_worker_will_be_retried(finalize, clinician, login, settings):
    formulation = finalize()
    client = login(clinician)
    client.post(reverse("report-pdf-start", args=[formulation.uuid]), HTTP_HX_REQUEST="true")
    job = ReportJob.objects.get(formulation=formulation)
    status = reverse("report-job-status", args=[job.uuid])
    settings.REPORTS_JOB_LEASE_SECONDS = 60
    now = timezone.now()
    # Claimed within the lease: a live run, plain progress.
    ReportJob.objects.filter(pk=job.pk).update(status="running", attempts=1, progress=40, claimed_at=now)
    body = client.get(status).content.decode()
    assert "In progress: 40%" in body and "retried" not in body
    # Its lease ran out (the worker died): not "in progress" any more, and still polling.
    ReportJob.objects.filter(pk=job.pk).update(claimed_at=now - datetime.timedelta(seconds=61))
    body = client.get(status).content.decode()
    assert "it will be retried automatically" in body and "In progress" not in body
    assert 'hx-trigger="every 1s"' in body
    # Taken over by another delivery: the page names the attempt.
    ReportJob.objects.filter(pk=job.pk).update(attempts=2, progress=10, claimed_at=now)
    body = client.get(status).content.decode()
    assert "Being retried (attempt 2): 10%" in body and 'value="10"' in body


@pytest.mark.parametrize(("name", "mix_shown"), [("P4-insufficient", False), ("P1-clear-craving", True)])
def test_it_shows_no_mix_when_insufficient_and_the_patients_own_words_as_text(
    clinician, cadi, committed, request_pdf, name, mix_shown
):
    """Spec 6.2 and 6.1 in the report: an insufficient formulation shows no shares and
    no strengths; the patient's own words are shown as they were typed, never as markup."""
    from tests.factories import finalized_interview, patient_for, vignette

    words = "It <b>pulls</b> me & then it goes"
    answers = {**vignette(name)["answers"], "clinician_impression": "unclear", "patient_words": words}
    with committed():
        _, formulation = finalized_interview(patient_for(clinician), clinician, answers, PASSWORD)
    assert (formulation.result["dominant"] != "insufficient") is mix_shown
    client, _, job = request_pdf(clinician, formulation)
    job.refresh_from_db()
    text = _pdf_text(client.get(reverse("report-job-download", args=[job.uuid])).content)
    result = formulation.result
    share = f"Craving {result['craving_share']}%, anxiety {result['anxiety_share']}%"
    assert (share in text) is mix_shown
    assert ("Strength of the evidence" in text) is mix_shown
    assert ("No mix is shown: the evidence is too thin" in text) is not mix_shown
    assert "In the patient's own words" in text and words in text
