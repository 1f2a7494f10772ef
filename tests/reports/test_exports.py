import datetime
import json

import pytest
from django.urls import reverse

from assessments.core.models import AuditEntry
from assessments.reports.exports import date_shift_days, iter_rows, pseudonym
from assessments.reports.models import ReportJob
from assessments.reviews.models import Review
from tests.conftest import make_user


@pytest.fixture
def export(login, committed):
    """export(user, kind) -> (client, job, rows as dicts) after the task ran."""

    def _export(user, kind="export"):
        client = login(user)
        with committed():
            response = client.post(reverse(f"report-{kind}-start"))
        assert response.status_code == 302, response.status_code
        job = ReportJob.objects.filter(requested_by=user).latest("created_at")
        assert job.status == ReportJob.Status.DONE, job.error
        download = client.get(reverse("report-job-download", args=[job.uuid]))
        assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
        header, *rows = list(iter_rows(download.content))
        return client, job, [dict(zip(header, row, strict=True)) for row in rows], download.content

    return _export


@pytest.fixture
def superuser(db):
    user = make_user("research_admin")
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user


def test_it_exports_the_clinicians_formulations_with_their_facts(
    finalize, endorse, clinician, other_clinician, export
):
    mine = finalize("P7-craving-high-relapse-risk")
    endorse(mine)
    second = finalize("P2-clear-anxiety", impression="mainly_anxiety")
    theirs = finalize(owner=other_clinician)
    _, job, rows, _ = export(clinician)
    assert job.rows == 2 and len(rows) == 2
    by_record = {row["record_number"]: row for row in rows}
    assert theirs.interview.session.patient.record_number not in by_record
    row = by_record[mine.interview.session.patient.record_number]
    result = mine.result
    assert row["session_date"] == mine.interview.session.date.isoformat()
    assert row["finalized_date"] == datetime.date.today().isoformat()
    assert (row["craving_share"], row["anxiety_share"]) == (
        str(result["craving_share"]),
        str(result["anxiety_share"]),
    )
    assert row["dominant"] == "craving" and row["confidence"] == result["confidence"]
    assert row["flags"].split() == result["flags"] and row["review_status"] == "endorsed"
    assert row["engine_version"] == result["engine_version"] and row["question_set"] == result["question_set"]
    assert by_record[second.interview.session.patient.record_number]["review_status"] == "pending"


def test_it_exports_the_team_for_a_supervisor(finalize, supervisor, other_clinician, export):
    team = finalize()
    outside = finalize(owner=other_clinician)
    _, _, rows, _ = export(supervisor)
    records = {row["record_number"] for row in rows}
    assert records == {team.interview.session.patient.record_number}
    assert outside.interview.session.patient.record_number not in records


def test_it_keeps_an_export_from_an_outsider_and_audits_the_owner_download(
    finalize, clinician, other_clinician, export, login
):
    formulation = finalize()
    _, job, _, _ = export(clinician)
    entry = AuditEntry.objects.get(action="export", object_uuid=job.uuid)
    assert entry.user == clinician and entry.data == {"kind": "csv", "rows": 1}
    response = login(other_clinician).get(reverse("report-job-download", args=[job.uuid]))
    assert response.status_code == 404
    assert formulation.interview.session.patient.record_number.encode() not in response.content
    assert b"record_number" not in response.content
    assert AuditEntry.objects.filter(action="denied", user=other_clinician).count() == 1


def test_it_refuses_exports_to_users_without_a_clinical_role(no_role_user, clinician, login):
    assert login(no_role_user).post(reverse("report-export-start")).status_code == 403
    assert login(clinician).post(reverse("report-research-start")).status_code == 403
    assert login(clinician).get(reverse("report-export-start")).status_code == 405
    assert not ReportJob.objects.exists()


def test_it_deidentifies_the_research_extract(
    finalize, endorse, clinician, other_clinician, superuser, export
):
    seeded = [
        finalize(
            "P7-craving-high-relapse-risk",
            display_name="Zofia Wiśniewska",
            notes="Lives with Jan Kowalski in Łódź",
        ),
        finalize(
            "P2-clear-anxiety",
            impression="mainly_anxiety",
            display_name="Marek Nowak",
            notes="Works at Orlen",
        ),
        finalize("P3-mixed", owner=other_clinician, display_name="Anna Zielińska", notes="Sister Ewa visits"),
    ]
    endorse(seeded[0], comment="Spoke with Dr Malinowska about Zofia")
    _, job, rows, raw = export(superuser, "research")
    text = raw.decode("utf-8-sig")
    assert len(rows) == 3
    for formulation in seeded:
        patient = formulation.interview.session.patient
        for identifier in (
            patient.display_name,
            *patient.display_name.split(),
            patient.record_number,
            str(patient.uuid),
            str(formulation.uuid),
            str(formulation.interview.uuid),
            formulation.answers["clinician_notes"],
            *[word for word in formulation.answers["clinician_notes"].split() if word[0].isupper()],
        ):
            assert identifier not in text, identifier
    for comment in Review.objects.exclude(comment="").values_list("comment", flat=True):
        assert comment not in text and "Malinowska" not in text
    by_pseudonym = {row["pseudonym"]: row for row in rows}
    for formulation in seeded:
        patient = formulation.interview.session.patient
        row = by_pseudonym[pseudonym(patient.uuid)]
        shift = datetime.timedelta(days=date_shift_days(patient.uuid))
        assert (
            shift and row["session_date_shifted"] == (formulation.interview.session.date + shift).isoformat()
        )
        assert row["session_date_shifted"] != formulation.interview.session.date.isoformat()
        answers = json.loads(row["answers"])
        assert (
            "clinician_notes" not in answers
            and answers["onset_pattern"] == formulation.answers["onset_pattern"]
        )
        assert row["dominant"] == formulation.dominant
    # Stable: the same patient gets the same pseudonym in the next extract.
    _, _, again, _ = export(superuser, "research")
    assert {row["pseudonym"] for row in again} == set(by_pseudonym)


def test_it_gives_different_patients_different_pseudonyms_and_shifts():
    import uuid

    uuids = [uuid.uuid4() for _ in range(200)]
    assert len({pseudonym(u) for u in uuids}) == 200
    shifts = [date_shift_days(u) for u in uuids]
    assert all(1 <= abs(days) <= 180 for days in shifts) and len(set(shifts)) > 50


def test_it_links_the_exports_from_the_patient_list(clinician, superuser, login):
    page = login(clinician).get(reverse("patient-list")).content.decode()
    assert reverse("report-export-start") in page and reverse("report-research-start") not in page
    page = login(superuser).get(reverse("patient-list")).content.decode()
    assert reverse("report-research-start") in page


def test_it_exports_a_column_per_item_of_both_versions_without_losing_a_list(
    finalize, clinician, superuser, export
):
    from assessments.interviews.models import Interview
    from assessments.questionsets.services import shipped_version

    on_cadi2 = finalize("P8-anxiety-with-alcohol", impression="mainly_anxiety")
    on_cadi1 = finalize("P3-mixed", impression="mixed")
    # Stored as if made before cadi@2: its answers in cadi@1's form, on cadi@1.
    old = shipped_version(1)
    Interview.objects.filter(pk=on_cadi1.interview.pk).update(question_set_version=old)
    type(on_cadi1).objects.filter(pk=on_cadi1.pk).update(
        question_set_version=old, answers={**on_cadi1.answers, "other_sedative_use": "both"}
    )
    for user, key in ((clinician, "record_number"), (superuser, None)):
        _, _, rows, _ = export(user, "export" if key else "research")
        header = list(rows[0])
        for code in ("other_sedative_use", "low_mood", "severe_withdrawal_signs", "cue_contexts"):
            assert f"answer.{code}" in header
        assert "answer.clinician_notes" not in header and "answer.patient_words" not in header
        cells = sorted(row["answer.other_sedative_use"] for row in rows)
        assert cells == sorted(["both", ";".join(on_cadi2.answers["other_sedative_use"])])
        assert (
            ";".join(on_cadi2.answers["other_sedative_use"]).split(";")
            == on_cadi2.answers["other_sedative_use"]
        )
