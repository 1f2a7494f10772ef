"""The patient page lists sessions without loading any JSON document: no question-set
definitions, answer sets or results (with 200 sessions they took most of a second)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.factories import bulk_copies, draft_interview, finalized_interview, patient_for, vignette

JSON_COLUMNS = (
    '"questionsets_questionsetversion"."definition"',
    '"interviews_interview"."answers"',
    '"formulation_formulation"."result"',
    '"formulation_formulation"."answers"',
    '"formulation_formulation"."translations"',
)


def test_the_patient_page_loads_no_json_documents(login, clinician, cadi):
    patient = patient_for(clinician)
    # A clear picture: an insufficient one is not plotted as a share (clinical spec 6.2).
    answers = {**vignette("P1-clear-craving")["answers"], "clinician_impression": "mainly_craving"}
    _, formulation = finalized_interview(patient, clinician, answers, PASSWORD)
    bulk_copies(formulation, 5)
    draft_interview(patient, clinician)
    client = login(clinician)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("patient-detail", args=[patient.uuid]))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('href="/formulations/') == 6
    assert f"{cadi.question_set.slug}@{cadi.number}" in body
    loaded = [column for q in captured for column in JSON_COLUMNS if column in q["sql"]]
    assert loaded == []
    # The timeline still plots every finalized interview with its shares.
    timeline = response.context["timeline"]
    assert len(timeline) == 6
    share = formulation.result["craving_share"]
    assert formulation.dominant != "insufficient"
    assert {(p["craving_share"], p["anxiety_share"]) for p in timeline} == {(share, 100 - share)}
