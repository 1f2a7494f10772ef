"""The interview's fields, rendered from fragments built once per version and language."""

import copy
import datetime
import json
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from assessments.formulation.engine import load_definition
from assessments.interviews.forms import interview_form_class
from assessments.questionsets.compiled import compiled_for
from assessments.questionsets.services import DEFAULT_DEFINITION_FILE
from tests.factories import draft_interview, patient_for
from tests.security.test_injection import PAYLOADS


@pytest.fixture
def patient(clinician, cadi):
    return patient_for(clinician)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_it_escapes_every_question_set_text_and_never_evaluates_it(payload):
    data = copy.deepcopy(json.loads(DEFAULT_DEFINITION_FILE.read_text()))
    section = data["sections"][0]
    section["title"]["en"] = f"title {payload}"
    item = next(i for i in section["items"] if i["type"] == "single")
    item["text"]["en"] = f"text {payload}"
    item["help"] = {"en": f"help {payload}", "pl": "pomoc"}
    item["options"][0]["label"]["en"] = f"option {payload}"
    compiled = load_definition(data)
    # A key of its own in the form cache (a stand-in for an unsaved version).
    updated = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    version = SimpleNamespace(pk=-1 - PAYLOADS.index(payload), updated_at=updated)
    form_class, layout = interview_form_class(version=version, compiled=compiled, language="en")
    html = layout.render({item["code"]: item["options"][0]["code"]}, {item["code"]: payload})
    assert payload not in html
    for where in ("title", "text", "help", "option"):
        assert escape(f"{where} {payload}") in html
    assert escape(payload) in html  # the message under the item, escaped as well
    assert layout.sections[0].title == f"title {payload}"  # escaped by the page's template
    assert "14" not in html.replace(escape(payload), "")


def test_it_shows_the_saved_answers(login, clinician, patient):
    interview = draft_interview(patient, clinician)
    interview.answers = {
        "automaticity": 3,
        "cue_contexts": ["before_travel", "other"],
        "med_status": "tapering",
        "days_since_dose_change": 12,
    }
    interview.save()
    body = login(clinician).get(reverse("interview-detail", args=[interview.uuid])).content.decode()
    assert 'value="3" class="form-check-input scale" id="id_automaticity_3" checked>' in body
    assert 'value="2" class="form-check-input scale" id="id_automaticity_2">' in body
    assert 'value="before_travel" class="form-check-input" id="id_cue_contexts_1" checked>' in body
    # cadi@2 lists being_alone before other (spec 6.1), so other is the eighth option.
    assert 'value="other" class="form-check-input" id="id_cue_contexts_7" checked>' in body
    assert 'value="night_bedtime" class="form-check-input" id="id_cue_contexts_0">' in body
    assert re.search(r'<input type="number" name="days_since_dose_change"[^>]* value="12">', body)
    assert body.count('class="interview-section"') == body.count('data-section-count="section-')


def test_a_refused_save_shows_what_was_typed_and_why(login, clinician, patient):
    """Without htmx the page comes back with the posted values and the message beside the field."""
    interview = draft_interview(patient, clinician)
    response = login(clinician).post(
        reverse("interview-autosave", args=[interview.uuid]),
        {
            "med_status": "tapering",
            "days_since_dose_change": "12x",
            "automaticity": "4",
            "lock_version": str(interview.lock_version),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(r'<input type="number" name="days_since_dose_change"[^>]* value="12x">', body)
    assert 'id="id_automaticity_4" checked>' in body
    message = body.split('id="err-days_since_dose_change"', 1)[1].split("</div>", 1)[0]
    question = (
        compiled_for(interview.question_set_version).definition.items["days_since_dose_change"].text["en"]
    )
    assert message.endswith(">" + escape(f"{question}: enter a whole number from 0 to 3650."))


def test_the_interview_page_issues_the_same_queries_however_long_the_history(
    login, clinician, patient, django_assert_num_queries
):
    interview = draft_interview(patient, clinician)
    client = login(clinician)
    url = reverse("interview-detail", args=[interview.uuid])
    client.get(url)  # the form and its layout are built on the first request only
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(30):
        draft_interview(patient, clinician)
    with django_assert_num_queries(len(few)):
        client.get(url)


def test_an_autosave_asks_nothing_the_save_status_does_not_show(login, clinician, patient):
    """The navigation's roles and unread count are worked out only when a page shows them."""
    interview = draft_interview(patient, clinician)
    client = login(clinician)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            reverse("interview-autosave", args=[interview.uuid]),
            {"automaticity": "2", "lock_version": str(interview.lock_version)},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 200 and 'data-state="saved"' in response.content.decode()
    asked = [q["sql"] for q in captured]
    assert not [sql for sql in asked if "reviews_notification" in sql]
    # One look at the user's roles: the view's own role check (#12: every view checks
    # its role, autosave included); the navigation adds none.
    assert len([sql for sql in asked if "auth_group" in sql]) == 1
    page = client.get(reverse("patient-list")).content.decode()
    assert reverse("patient-list") in page  # the clinician's navigation still shows
