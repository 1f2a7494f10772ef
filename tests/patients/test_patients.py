import datetime
import re

import pytest
from django.urls import reverse

from assessments.core.models import AuditEntry
from assessments.patients.models import MedicationEntry, Patient
from assessments.patients.services import medication_add, medication_prefill
from tests.factories import patient_for, taper


def test_it_creates_a_patient_with_a_generated_record_number(login, clinician):
    response = login(clinician).post(reverse("patient-create"), {"display_name": "", "year_of_birth": "1980"})
    patient = Patient.objects.get()
    assert response.status_code == 302 and response.url == reverse("patient-detail", args=[patient.uuid])
    assert patient.record_number.startswith("ZA-") and len(patient.record_number) == 9
    assert patient.primary_clinician == clinician
    assert AuditEntry.objects.filter(action="create", object_uuid=patient.uuid, user=clinician).exists()


def test_it_refuses_an_impossible_year_of_birth_naming_the_field(login, clinician):
    response = login(clinician).post(reverse("patient-create"), {"year_of_birth": "1700"})
    assert response.status_code == 400
    assert "year" in response.content.decode().lower()
    assert not Patient.objects.exists()


def test_it_forbids_patient_creation_to_non_clinicians(login, qs_admin):
    assert login(qs_admin).get(reverse("patient-create")).status_code == 403


def test_it_lists_only_the_clinicians_own_patients(login, clinician, other_clinician):
    mine = patient_for(clinician)
    theirs = patient_for(other_clinician)
    body = login(clinician).get(reverse("patient-list")).content.decode()
    assert mine.record_number in body
    assert theirs.record_number not in body


def test_it_hides_another_clinicians_patient_and_audits_the_attempt(login, clinician, other_clinician):
    theirs = patient_for(other_clinician, display_name="Jan Kowalski")
    response = login(clinician).get(reverse("patient-detail", args=[theirs.uuid]))
    assert response.status_code == 404
    body = response.content.decode()
    assert theirs.record_number not in body and "Kowalski" not in body
    assert AuditEntry.objects.filter(action="denied", user=clinician).count() == 1


def test_it_shows_a_supervisor_the_patients_of_supervised_clinicians(
    login, clinician, supervisor, other_clinician
):
    supervised = patient_for(clinician)
    unsupervised = patient_for(other_clinician)
    client = login(supervisor)
    assert client.get(reverse("patient-detail", args=[supervised.uuid])).status_code == 200
    assert client.get(reverse("patient-detail", args=[unsupervised.uuid])).status_code == 404


def test_it_audits_every_read_of_a_patient(login, clinician):
    patient = patient_for(clinician)
    login(clinician).get(reverse("patient-detail", args=[patient.uuid]))
    assert AuditEntry.objects.filter(action="view", patient_uuid=patient.uuid, user=clinician).count() == 1


def test_it_refuses_the_wrong_method(login, clinician):
    patient = patient_for(clinician)
    client = login(clinician)
    assert client.post(reverse("patient-detail", args=[patient.uuid])).status_code == 405
    assert client.get(reverse("medication-add", args=[patient.uuid])).status_code == 405


def test_it_adds_medication_with_its_diazepam_equivalent(login, clinician):
    patient = patient_for(clinician)
    response = login(clinician).post(
        reverse("medication-add", args=[patient.uuid]),
        {"drug": "alprazolam", "kind": "dose", "daily_dose_mg": "1.5", "date": "2026-01-10"},
    )
    assert response.status_code == 302
    entry = MedicationEntry.objects.get()
    assert str(entry.diazepam_equivalent_mg) == "30.00" and entry.equivalence_table == "ashton"
    page = login(clinician).get(reverse("patient-detail", args=[patient.uuid])).content.decode()
    assert "30.00" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"drug": "alprazolam", "kind": "dose", "daily_dose_mg": "-1", "date": "2026-01-10"},
            "daily_dose_mg",
        ),
        ({"drug": "aspirin", "kind": "dose", "daily_dose_mg": "1", "date": "2026-01-10"}, "drug"),
        ({"drug": "diazepam", "kind": "stop", "daily_dose_mg": "5", "date": "2026-01-10"}, "daily_dose_mg"),
        ({"drug": "diazepam", "kind": "dose", "daily_dose_mg": "5", "date": "2099-01-10"}, "date"),
        ({"drug": "diazepam", "kind": "dose", "daily_dose_mg": "abc", "date": "2026-01-10"}, "daily_dose_mg"),
    ],
)
def test_it_refuses_bad_medication_input_beside_the_field(login, clinician, data, field):
    patient = patient_for(clinician)
    response = login(clinician).post(reverse("medication-add", args=[patient.uuid]), data)
    assert response.status_code == 400
    assert f'id="error_1_id_{field}"' in response.content.decode()
    assert not MedicationEntry.objects.exists()


def test_it_lets_a_supervisor_read_but_not_change_a_patient(login, clinician, supervisor):
    patient = patient_for(clinician)
    response = login(supervisor).post(
        reverse("medication-add", args=[patient.uuid]),
        {"drug": "diazepam", "kind": "dose", "daily_dose_mg": "5", "date": "2026-01-10"},
    )
    assert response.status_code == 403
    assert not MedicationEntry.objects.exists()


def test_it_prefills_the_medication_status_from_the_history(clinician):
    today = datetime.date(2026, 11, 27)
    patient = patient_for(clinician)
    taper(patient, clinician, today=today)
    entries = list(patient.medication_entries.all())
    assert medication_prefill(entries=entries, today=today) == {
        "med_status": "tapering",
        "days_since_dose_change": 10,
        "drug_half_life": "short",  # lorazepam (spec 6.3, 6.5)
    }
    assert medication_prefill(entries=entries[:1], today=today) == {"med_status": "stable_dose"}
    assert medication_prefill(entries=[], today=today) == {}


def test_it_archives_a_patient_out_of_the_active_list_after_saying_what_that_does(login, clinician):
    """The walk archived a patient with one click: the page now asks first, as for
    restricting processing; reactivating needs no confirmation."""
    patient = patient_for(clinician)
    client = login(clinician)
    url = reverse("patient-archive", args=[patient.uuid])
    asked = client.post(url, {"status": "archived"})
    assert asked.status_code == 200 and 'id="confirm-archive"' in asked.content.decode()
    patient.refresh_from_db()
    assert patient.status == "active"
    client.post(url, {"status": "archived", "confirm": "1"})
    patient.refresh_from_db()
    assert patient.status == "archived"
    assert patient.record_number not in client.get(reverse("patient-list")).content.decode()
    assert patient.record_number in client.get(reverse("patient-list") + "?status=archived").content.decode()
    client.post(url, {"status": "archived", "confirm": "1"})  # a double click, a second tab
    patient.refresh_from_db()
    assert patient.status == "archived"
    client.post(url, {"status": "active"})
    patient.refresh_from_db()
    assert patient.status == "active"


def test_it_ignores_unknown_sort_and_status_values(login, clinician):
    patient_for(clinician)
    response = login(clinician).get(reverse("patient-list") + "?sort=id);DROP&status=bogus")
    assert response.status_code == 200


def test_it_plots_one_point_per_current_interview_with_the_dose_then_in_force(clinician, cadi):
    from assessments.interviews.selectors import patient_timeline
    from assessments.interviews.services import interview_amend, interview_finalize
    from tests.conftest import PASSWORD
    from tests.factories import finalized_interview

    today = datetime.date.today()
    patient = patient_for(clinician)
    taper(patient, clinician, today=today)  # 20 mg diazepam-eq. 90 days ago, 10 mg 10 days ago
    finalized_interview(
        patient,
        clinician,
        {"clinician_impression": "unclear"},
        PASSWORD,
        date=today - datetime.timedelta(days=30),
    )
    original, _ = finalized_interview(patient, clinician, {"clinician_impression": "unclear"}, PASSWORD)
    amendment = interview_amend(interview=original, user=clinician)
    interview_finalize(interview=amendment, user=clinician, password=PASSWORD, incomplete_confirmed=True)
    points = patient_timeline(patient=patient, entries=list(patient.medication_entries.all()))
    assert [(p["date"], p["diazepam_mg"]) for p in points] == [
        ((today - datetime.timedelta(days=30)).isoformat(), 20.0),
        (today.isoformat(), 10.0),
    ]


@pytest.mark.parametrize(
    ("dose", "confirm", "status", "field"),
    [
        ("5", "", 302, None),  # 50 mg diazepam equivalent: nothing to confirm
        ("10", "", 400, "confirm_high_dose"),  # 100.5 mg: above 100, must be confirmed
        ("10", "on", 302, None),
        ("100", "on", 302, None),  # 1,000 mg exactly is still plausible
        ("100.1", "on", 400, "daily_dose_mg"),  # 1,001 mg: refused, confirmed or not
    ],
)
def test_it_asks_to_confirm_a_high_dose_and_refuses_an_implausible_one(
    login, clinician, dose, confirm, status, field
):
    patient = patient_for(clinician)
    data = {"drug": "lorazepam", "kind": "dose", "daily_dose_mg": dose, "date": "2026-01-10"}
    if dose == "10":
        data["daily_dose_mg"] = "10.05"
    if confirm:
        data["confirm_high_dose"] = confirm
    response = login(clinician).post(reverse("medication-add", args=[patient.uuid]), data)
    assert response.status_code == status
    if field:
        assert f'id="error_1_id_{field}"' in response.content.decode()
        assert not MedicationEntry.objects.exists()
    else:
        assert MedicationEntry.objects.count() == 1


def test_it_refuses_an_implausible_dose_in_the_service_too(clinician):
    from django.core.exceptions import ValidationError

    patient = patient_for(clinician)
    with pytest.raises(ValidationError) as refused:
        medication_add(
            patient=patient,
            user=clinician,
            drug="alprazolam",
            kind="dose",
            daily_dose_mg=60,
            date=datetime.date(2026, 1, 1),
        )
    assert "daily_dose_mg" in refused.value.message_dict
    assert not MedicationEntry.objects.exists()


def test_it_prefills_the_half_life_from_the_latest_change_before_the_session(clinician):
    patient = patient_for(clinician)
    day = datetime.date(2026, 3, 1)
    add = lambda drug, kind, mg, when: medication_add(  # noqa: E731
        patient=patient, user=clinician, drug=drug, kind=kind, daily_dose_mg=mg, date=when
    )
    add("alprazolam", "dose", 2, day - datetime.timedelta(days=100))
    add("diazepam", "reduction", 15, day - datetime.timedelta(days=30))  # switched to a long-acting drug
    add("diazepam", "reduction", 10, day + datetime.timedelta(days=5))  # after the session: not used
    prefill = medication_prefill(entries=list(patient.medication_entries.all()), today=day)
    assert prefill == {"med_status": "tapering", "days_since_dose_change": 30, "drug_half_life": "long"}
    add("diazepam", "stop", 0, day - datetime.timedelta(days=2))
    prefill = medication_prefill(entries=list(patient.medication_entries.all()), today=day)
    assert prefill == {"med_status": "discontinued", "days_since_dose_change": 2, "drug_half_life": "long"}


@pytest.mark.parametrize(
    ("language", "dose", "insufficient"), [("en", "20.0", "Insufficient evidence"), ("pl", "20,0", None)]
)
def test_the_timeline_table_gives_each_point_localized_with_dashes_for_no_mix(
    login, clinician, cadi, language, dose, insufficient
):
    """The table is built in Python (#16): it must read as the template did, in either
    language: dates, the dose in force with the language's decimal mark, shares with a
    per cent sign, a dash where an insufficient formulation has no mix."""
    from tests.conftest import PASSWORD
    from tests.factories import finalized_interview, vignette

    today = datetime.date.today()
    patient = patient_for(clinician)
    taper(patient, clinician, today=today)
    answers = {**vignette("P1-clear-craving")["answers"], "clinician_impression": "mainly_craving"}
    _, clear = finalized_interview(
        patient, clinician, answers, PASSWORD, date=today - datetime.timedelta(days=30)
    )
    finalized_interview(patient, clinician, {"clinician_impression": "unclear"}, PASSWORD)
    page = (
        login(clinician)
        .get(reverse("patient-detail", args=[patient.uuid]), HTTP_ACCEPT_LANGUAGE=language)
        .content.decode()
    )
    body = page.split('id="timeline-table">')[1].split("<tbody>")[1].split("</tbody>")[0]
    rows = [
        re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]
    share = clear.result["craving_share"]
    assert rows[0][:4] == [
        (today - datetime.timedelta(days=30)).isoformat(),
        dose,
        f"{share}%",
        f"{100 - share}%",
    ]
    assert rows[1][1:4] == [dose.replace("20", "10"), "—", "—"]
    if insufficient:
        assert rows[1][4] == insufficient
    else:  # the mechanism in Polish, not the English label
        assert rows[1][4] and rows[1][4] != "Insufficient"


def test_the_session_list_names_each_interview_its_status_amendment_and_latest_formulation(
    login, clinician, cadi
):
    """The list is read as plain values (#16); it shows what the model objects showed."""
    from assessments.interviews.services import interview_amend, interview_finalize
    from tests.conftest import PASSWORD
    from tests.factories import finalized_interview, vignette

    patient = patient_for(clinician)
    answers = {**vignette("P1-clear-craving")["answers"], "clinician_impression": "mainly_craving"}
    original, first = finalized_interview(patient, clinician, answers, PASSWORD)
    amendment = interview_amend(interview=original, user=clinician)
    interview_finalize(interview=amendment, user=clinician, password=PASSWORD, incomplete_confirmed=True)
    latest = amendment.formulations.order_by("-created_at").first()
    page = login(clinician).get(reverse("patient-detail", args=[patient.uuid])).content.decode()
    listed = page.split('id="sessions-heading"')[1].split("</ul>\n    </li>")[0]
    items = re.findall(r"<li>(.*?)</li>", listed, re.S)
    assert len(items) == 2
    text = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in items]
    assert text[0] == "cadi@2 · Finalized · formulation: " + first.get_dominant_display()
    assert first.get_dominant_display() == "Mainly craving"
    assert text[1] == "cadi@2 · Finalized · amendment · formulation: " + latest.get_dominant_display()
    assert f'href="/interviews/{original.uuid}/"' in items[0]
    assert f'href="/formulations/{first.uuid}/"' in items[0]
    assert f'href="/formulations/{latest.uuid}/"' in items[1]


@pytest.mark.parametrize(
    ("language", "dose", "shown"),
    [
        ("pl", "100.5", "100,50 mg"),
        ("en", "100.5", "100.50 mg"),
        ("pl", "1500", "1500 mg"),
        ("en", "1500", "1500 mg"),
    ],
)
def test_the_dose_messages_give_the_equivalent_as_the_page_writes_numbers(
    login, clinician, language, dose, shown
):
    """The walk saw "1500.00 mg" on the Polish page, whose tables write 150,00."""
    patient = patient_for(clinician)
    data = {"drug": "diazepam", "kind": "dose", "daily_dose_mg": dose, "date": "2026-01-10"}
    response = login(clinician).post(
        reverse("medication-add", args=[patient.uuid]), data, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f"{shown} " in body
    assert ".00 mg" not in body
