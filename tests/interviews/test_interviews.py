import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments.core.models import AuditEntry
from assessments.formulation.models import Formulation
from assessments.interviews.models import Interview
from tests.conftest import PASSWORD
from tests.engine.engine_support import cadi as compiled_cadi
from tests.factories import draft_interview, finalized_interview, patient_for, taper, vignette


@pytest.fixture
def patient(clinician, cadi):
    return patient_for(clinician)


def _post_answers(answers: dict, **extra) -> dict:
    data = {code: value for code, value in answers.items()}
    data.update(extra)
    return data


def test_it_starts_a_session_with_a_draft_prefilled_from_the_taper(login, clinician, patient):
    today = datetime.date.today()
    taper(patient, clinician, today=today)
    response = login(clinician).post(
        reverse("session-create", args=[patient.uuid]), {"date": today.isoformat()}
    )
    interview = Interview.objects.get()
    assert response.status_code == 302 and response.url == reverse("interview-detail", args=[interview.uuid])
    assert interview.answers == {
        "med_status": "tapering",
        "days_since_dose_change": 10,
        "drug_half_life": "short",
    }
    assert interview.question_set_version.ref == "cadi@2"  # new interviews start on the default
    page = login(clinician).get(response.url).content.decode()
    assert 'value="tapering"' in page and "checked" in page


def test_it_autosaves_a_draft_and_bumps_the_lock(login, clinician, patient):
    interview = draft_interview(patient, clinician)
    response = login(clinician).post(
        reverse("interview-autosave", args=[interview.uuid]),
        _post_answers(
            {"onset_pattern": "cue_linked", "automaticity": "3", "cue_contexts": ["night_bedtime"]},
            lock_version=interview.lock_version,
        ),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'data-state="saved"' in response.content.decode()
    interview.refresh_from_db()
    assert interview.answers == {
        "onset_pattern": "cue_linked",
        "automaticity": 3,
        "cue_contexts": ["night_bedtime"],
    }
    assert interview.lock_version == 2
    assert AuditEntry.objects.filter(action="update", object_uuid=interview.uuid).exists()


def test_it_tells_the_second_tab_and_stores_nothing_from_it(login, clinician, patient):
    interview = draft_interview(patient, clinician)
    client = login(clinician)
    url = reverse("interview-autosave", args=[interview.uuid])
    client.post(url, {"automaticity": "1", "lock_version": "1"}, HTTP_HX_REQUEST="true")
    stale = client.post(url, {"automaticity": "4", "lock_version": "1"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409
    assert "saved elsewhere" in stale.content.decode()
    interview.refresh_from_db()
    assert interview.answers["automaticity"] == 1


# Each refusal with what the clinician reads beside the question, in English and Polish.
REFUSED = [
    ({"automaticity": "7"}, "automaticity", ("from 0 to 4", "od 0 do 4")),
    ({"onset_pattern": "sometimes"}, "onset_pattern", ("options shown", "podanych odpowiedzi")),
    (
        {"days_since_dose_change": "-3", "med_status": "tapering"},
        "days_since_dose_change",
        ("whole number from 0 to 3650", "liczbę całkowitą od 0 do 3650"),
    ),
    (
        {"days_since_dose_change": "abc", "med_status": "tapering"},
        "days_since_dose_change",
        ("whole number from 0 to 3650", "liczbę całkowitą od 0 do 3650"),
    ),
    (
        {"anxiety_symptoms": ["insomnia", "sneezing"]},
        "anxiety_symptoms",
        ("options shown", "podane odpowiedzi"),
    ),
    # "none" sent to a question that has no such option (a hand-made post): refused, no 500.
    ({"anxiety_symptoms": ["none", "insomnia"]}, "anxiety_symptoms", ("options shown", "podane odpowiedzi")),
    # cadi@2's own "None" option ticked with a sign (issue 13: the multi items with "none").
    ({"withdrawal_signs": ["none", "tremor"]}, "withdrawal_signs", ("together with", "razem z innymi")),
]


@pytest.mark.parametrize(
    ("data", "code", "words"), REFUSED, ids=[f"{c}-{i}" for i, (_d, c, _w) in enumerate(REFUSED)]
)
@pytest.mark.parametrize("language", ["en", "pl"])
def test_it_refuses_bad_answers_beside_the_question_in_the_clinicians_words(
    login, clinician, patient, data, code, words, language
):
    """The engine names items by code, in English, for the API; the page names the
    question as the clinician reads it, in the page's language, and says what to do."""
    from assessments.core.texts import localized
    from assessments.questionsets.compiled import compiled_for

    interview = draft_interview(patient, clinician)
    before = dict(interview.answers)
    response = login(clinician).post(
        reverse("interview-autosave", args=[interview.uuid]),
        {**data, "lock_version": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400
    item = compiled_for(interview.question_set_version).definition.items[code]
    message = response.content.decode().split(f'id="err-{code}"')[1].split("</div>")[0]
    assert escape(localized(item.text, language)) in message
    assert words[0 if language == "en" else 1] in message
    assert code not in message and "must be" not in message
    interview.refresh_from_db()
    assert interview.answers == before and interview.lock_version == 1


def test_it_drops_answers_to_hidden_conditional_items(login, clinician, patient):
    interview = draft_interview(patient, clinician)
    login(clinician).post(
        reverse("interview-autosave", args=[interview.uuid]),
        {"med_status": "stable_dose", "days_since_dose_change": "12", "lock_version": "1"},
        HTTP_HX_REQUEST="true",
    )
    interview.refresh_from_db()
    assert interview.answers == {"med_status": "stable_dose"}


def test_it_finalizes_with_the_password_and_stores_the_formulation(login, clinician, patient):
    interview = draft_interview(patient, clinician)
    answers = {**vignette("P1-clear-craving")["answers"], "clinician_impression": "mainly_craving"}
    response = login(clinician).post(
        reverse("interview-finalize", args=[interview.uuid]),
        _post_answers(answers, lock_version="1", password=PASSWORD),
    )
    formulation = Formulation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("formulation-detail", args=[formulation.uuid])
    interview.refresh_from_db()
    assert interview.status == "finalized" and interview.finalized_by == clinician
    assert formulation.interview == interview and formulation.dominant == "craving"
    assert formulation.answers["automaticity"] == 4
    assert AuditEntry.objects.filter(action="finalize", object_uuid=interview.uuid, user=clinician).exists()


def test_it_signs_nothing_with_a_wrong_password(login, clinician, patient):
    interview = draft_interview(patient, clinician)
    answers = {**vignette("P2-clear-anxiety")["answers"], "clinician_impression": "mainly_anxiety"}
    response = login(clinician).post(
        reverse("interview-finalize", args=[interview.uuid]),
        _post_answers(answers, lock_version="1", password="not-my-password"),
    )
    assert response.status_code == 400
    assert "password is not correct" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == "draft" and not Formulation.objects.exists()
    # What was on the page is kept as a draft: nothing typed is lost.
    assert interview.answers["resemblance_to_prior_pattern"] == 4


def test_it_requires_the_clinicians_impression_before_finalizing(login, clinician, patient):
    interview = draft_interview(patient, clinician)
    response = login(clinician).post(
        reverse("interview-finalize", args=[interview.uuid]),
        _post_answers(vignette("P2-clear-anxiety")["answers"], lock_version="1", password=PASSWORD),
    )
    assert response.status_code == 400
    assert 'id="err-clinician_impression"' in response.content.decode()
    assert not Formulation.objects.exists()


def test_it_locks_a_finalized_interview(login, clinician, patient):
    interview, _ = finalized_interview(
        patient, clinician, {"automaticity": 2, "clinician_impression": "unclear"}, PASSWORD
    )
    response = login(clinician).post(
        reverse("interview-autosave", args=[interview.uuid]),
        {"automaticity": "4", "lock_version": str(interview.lock_version)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    interview.refresh_from_db()
    assert interview.answers["automaticity"] == 2


def test_it_amends_into_a_new_linked_version_keeping_the_original(login, clinician, patient):
    original, formulation = finalized_interview(
        patient, clinician, {"automaticity": 2, "clinician_impression": "unclear"}, PASSWORD
    )
    response = login(clinician).post(reverse("interview-amend", args=[original.uuid]))
    amendment = Interview.objects.get(amends=original)
    assert response.url == reverse("interview-detail", args=[amendment.uuid])
    assert amendment.status == "draft" and amendment.answers == original.answers
    login(clinician).post(
        reverse("interview-autosave", args=[amendment.uuid]),
        {"automaticity": "4", "clinician_impression": "unclear", "lock_version": "1"},
        HTTP_HX_REQUEST="true",
    )
    original.refresh_from_db()
    assert original.answers["automaticity"] == 2 and original.status == "finalized"
    assert Formulation.objects.get(pk=formulation.pk).result == formulation.result
    assert (
        "amendment"
        in login(clinician).get(reverse("interview-detail", args=[original.uuid])).content.decode()
    )


def test_it_shows_the_formulation_page_with_its_parts(login, clinician, patient):
    answers = {
        **vignette("P6-anxiety-with-active-suicidal-thoughts")["answers"],
        "clinician_impression": "mixed",
    }
    _, formulation = finalized_interview(patient, clinician, answers, PASSWORD)
    body = login(clinician).get(reverse("formulation-detail", args=[formulation.uuid])).content.decode()
    assert 'id="safety-banner"' in body
    assert 'data-dominant="anxiety"' in body
    assert f"{formulation.result['anxiety_share']}%" in body
    assert "does not replace" in body
    assert "cadi@2" in body and formulation.engine_version in body
    for rule in formulation.result["rules"]:
        assert f'data-rule="{rule["id"]}"' in body


@pytest.mark.parametrize(
    "name", ["interview-detail", "interview-autosave", "interview-finalize", "interview-amend"]
)
def test_it_hides_interviews_from_outsiders(login, clinician, other_clinician, patient, name):
    interview = draft_interview(patient, clinician)
    client = login(other_clinician)
    response = (
        client.get(reverse(name, args=[interview.uuid]))
        if name == "interview-detail"
        else client.post(reverse(name, args=[interview.uuid]), {"lock_version": "1", "password": PASSWORD})
    )
    assert response.status_code == 404
    assert patient.record_number not in response.content.decode()


def test_it_hides_formulations_from_outsiders(login, clinician, other_clinician, patient):
    _, formulation = finalized_interview(patient, clinician, {"clinician_impression": "unclear"}, PASSWORD)
    response = login(other_clinician).get(reverse("formulation-detail", args=[formulation.uuid]))
    assert response.status_code == 404
    assert patient.record_number not in response.content.decode()


def test_it_refuses_get_on_state_changing_urls(login, clinician, patient):
    interview = draft_interview(patient, clinician)
    client = login(clinician)
    for name in ("interview-autosave", "interview-finalize", "interview-amend"):
        assert client.get(reverse(name, args=[interview.uuid])).status_code == 405
    assert client.get(reverse("session-create", args=[patient.uuid])).status_code == 405


def test_it_records_none_of_these_as_an_answered_empty_list(login, clinician, patient):
    from assessments.formulation.services import formulation_compute

    interview = draft_interview(patient, clinician)
    client = login(clinician)
    client.post(
        reverse("interview-autosave", args=[interview.uuid]),
        {"anxiety_symptoms": ["__none_of_these__"], "lock_version": "1"},
        HTTP_HX_REQUEST="true",
    )
    interview.refresh_from_db()
    assert interview.answers == {"anxiety_symptoms": []}
    page = client.get(reverse("interview-detail", args=[interview.uuid])).content.decode()
    marker = page.split('value="__none_of_these__"')[1].split(">", 1)[0]
    assert "checked" in marker
    result = formulation_compute(version=interview.question_set_version, answers=interview.answers)
    assert "anxiety_symptoms" not in result["missing"]


def test_it_refuses_an_answer_the_form_cannot_take_instead_of_dropping_it(login, clinician, patient):
    interview = draft_interview(patient, clinician)
    items = compiled_cadi().definition.items
    text_item = next(code for code, item in items.items() if item.type == "text")
    response = login(clinician).post(
        reverse("interview-autosave", args=[interview.uuid]),
        _post_answers(
            {"onset_pattern": "cue_linked", text_item: "a\x00b"}, lock_version=interview.lock_version
        ),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert text_item in response.content.decode()
    interview.refresh_from_db()
    assert interview.lock_version == 1 and "onset_pattern" not in interview.answers


@pytest.mark.parametrize("htmx", [True, False])
def test_it_refuses_a_nul_character_in_a_note_and_keeps_the_saved_note(login, clinician, patient, htmx):
    """Issue #11, item 10: the note was silently dropped (erasing the saved one) while the
    page said "Saved"."""
    interview = draft_interview(patient, clinician)
    client = login(clinician)
    url = reverse("interview-autosave", args=[interview.uuid])
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    saved = client.post(url, {"clinician_notes": "First note.", "lock_version": "1"}, **extra)
    assert saved.status_code in (200, 302)
    response = client.post(url, {"clinician_notes": "Second\x00note.", "lock_version": "2"}, **extra)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-state="saved"' not in body
    assert 'id="err-clinician_notes"' in body and "Null characters are not allowed" in body
    assert "Notes: Null characters" in body.split('id="err-clinician_notes"')[-1].split("</div>")[0]
    interview.refresh_from_db()
    assert interview.answers == {"clinician_notes": "First note."}
    assert interview.lock_version == 2


def test_it_finalizes_nothing_with_a_nul_character_in_a_note(login, clinician, patient):
    interview = draft_interview(patient, clinician)
    answers = {**vignette("P1-clear-craving")["answers"], "clinician_impression": "mainly_craving"}
    response = login(clinician).post(
        reverse("interview-finalize", args=[interview.uuid]),
        _post_answers(answers, clinician_notes="A\x00B", lock_version="1", password=PASSWORD),
    )
    assert response.status_code == 400
    assert "Null characters are not allowed" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == "draft" and not Formulation.objects.exists()


@pytest.mark.parametrize(
    "code", ["severe_withdrawal_signs", "suicidal_thoughts", "other_sedative_use", "clinician_impression"]
)
def test_it_finalizes_nothing_while_a_required_item_of_cadi2_is_blank(login, clinician, patient, code):
    """Spec 6.1: cadi@2's four required items block finalizing, each named beside its field."""
    interview = draft_interview(patient, clinician)
    assert interview.question_set_version.ref == "cadi@2"
    answers = {**vignette("P1-clear-craving")["answers"], "clinician_impression": "mainly_craving"}
    assert code in answers  # the worked case answers it: blank it
    del answers[code]
    response = login(clinician).post(
        reverse("interview-finalize", args=[interview.uuid]),
        _post_answers(answers, lock_version="1", password=PASSWORD),
    )
    assert response.status_code == 400
    assert f'id="err-{code}"' in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == "draft" and not Formulation.objects.exists()
    assert interview.answers["automaticity"] == 4  # what was typed is kept as a draft


def test_the_finalized_interview_gives_scale_answers_with_their_anchor_words(login, clinician, patient):
    """The walk saw a bare "3" on the finalized interview where the formulation page
    says "3 · markedly": a reader should not have to remember what a number meant."""
    from assessments.core.texts import localized

    answers = {**vignette("P7-craving-high-relapse-risk")["answers"], "clinician_impression": "unclear"}
    interview, _formulation = finalized_interview(patient, clinician, answers, PASSWORD)
    definition = compiled_cadi().definition
    item = definition.items["automaticity"]
    anchor = localized((item.anchors or definition.scale_anchors)[str(answers["automaticity"])], "en")
    body = login(clinician).get(reverse("interview-detail", args=[interview.uuid])).content.decode()
    assert escape(f"{answers['automaticity']} · {anchor}") in body


def test_the_error_summary_names_a_required_question_once(login, clinician, patient):
    """Without htmx (or on finalize) the summary at the top prefixed the message with
    the label, "(required)" included, although the message already named the question."""
    from assessments.questionsets.compiled import compiled_for

    interview = draft_interview(patient, clinician)
    response = login(clinician).post(
        reverse("interview-autosave", args=[interview.uuid]),
        {"severe_withdrawal_signs": ["none", "seizure"], "lock_version": "1"},
    )
    assert response.status_code == 400
    question = (
        compiled_for(interview.question_set_version).definition.items["severe_withdrawal_signs"].text["en"]
    )
    body = response.content.decode()
    assert escape(f"{question}: “None”") in body
    assert escape(f"{question} (required): {question}") not in body


def test_finalizing_with_no_password_asks_for_it_and_counts_no_wrong_password(login, clinician, patient):
    interview = draft_interview(patient, clinician)
    response = login(clinician).post(
        reverse("interview-finalize", args=[interview.uuid]),
        {"clinician_impression": "unclear", "password": "", "lock_version": str(interview.lock_version)},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter your password to sign" in body and "not correct" not in body
    assert not AuditEntry.objects.filter(user=clinician, action="denied").exists()
    interview.refresh_from_db()
    assert interview.status == "draft"
