"""Pages issue the same number of queries whatever the volume behind them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.formulation.models import Formulation
from assessments.interviews.models import Interview
from assessments.patients.models import MedicationEntry, Patient
from tests.conftest import PASSWORD
from tests.factories import bulk_copies, finalized_interview, patient_for


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _bulk_patients(clinician, n, prefix):
    Patient.objects.bulk_create(
        Patient(primary_clinician=clinician, record_number=f"{prefix}-{i:06d}") for i in range(n)
    )


def _bulk_history(patient, clinician, template: Interview, formulation: Formulation, n: int):
    """n more sessions, each with a finalized interview and its formulation, plus n doses."""
    today = datetime.date.today()
    MedicationEntry.objects.bulk_create(
        MedicationEntry(
            patient=patient,
            drug="diazepam",
            kind="dose",
            daily_dose_mg=10,
            date=today,
            diazepam_equivalent_mg=10,
            created_by=clinician,
        )
        for _ in range(n)
    )
    bulk_copies(formulation, n)


def test_it_lists_10_or_1000_patients_in_the_same_number_of_queries(
    login, clinician, django_assert_num_queries
):
    client = login(clinician)
    _bulk_patients(clinician, 10, "ZB")
    few = _queries(client, reverse("patient-list"))
    _bulk_patients(clinician, 990, "ZC")
    with django_assert_num_queries(few):
        client.get(reverse("patient-list"))


@pytest.fixture
def history(clinician, cadi):
    patient = patient_for(clinician)
    interview, formulation = finalized_interview(
        patient, clinician, {"automaticity": 3, "clinician_impression": "unclear"}, PASSWORD
    )
    return patient, interview, formulation


def test_it_shows_a_patient_with_10_or_1000_interviews_in_the_same_number_of_queries(
    login, clinician, history, django_assert_num_queries
):
    patient, interview, formulation = history
    client = login(clinician)
    url = reverse("patient-detail", args=[patient.uuid])
    _bulk_history(patient, clinician, interview, formulation, 9)
    few = _queries(client, url)
    _bulk_history(patient, clinician, interview, formulation, 990)
    with django_assert_num_queries(few):
        response = client.get(url)
    page = response.content.decode()
    # The newest sessions are listed a page at a time; the timeline keeps every point.
    assert page.count('href="/formulations/') == 20
    assert "Sessions 1–20 of 1000" in page
    assert page.count("<tr><td>") >= 1000  # the timeline's table: a row per interview
    with django_assert_num_queries(few):
        last = client.get(url + "?page=50").content.decode()
    assert last.count('href="/formulations/') == 20 and "Sessions 981–1000 of 1000" in last


def test_it_shows_a_formulation_in_the_same_number_of_queries_however_many_exist(
    login, clinician, history, django_assert_num_queries
):
    patient, interview, formulation = history
    client = login(clinician)
    url = reverse("formulation-detail", args=[formulation.uuid])
    _bulk_history(patient, clinician, interview, formulation, 9)
    few = _queries(client, url)
    _bulk_history(patient, clinician, interview, formulation, 990)
    with django_assert_num_queries(few):
        client.get(url)
