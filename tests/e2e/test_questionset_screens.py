"""Issue 15, question-set admin side: publishing and retiring are signed on a
confirmation page, weights are bounded beside the field, the diff shows old and new
side by side. Real Chromium; axe-core at a tablet and a desktop width."""

import copy
import json
import re

import pytest
from playwright.sync_api import expect

from assessments.core.models import AuditEntry
from assessments.questionsets import services
from assessments.questionsets.models import QuestionSetVersion
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (820, 1366)


def assert_accessible(page, axe_check):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_check(page) == [], width


@pytest.fixture
def admin(cadi):
    return make_user("qs_lead", "questionset_admin")


def _draft(cadi, admin, change=None):
    draft = services.version_clone(version=cadi, user=admin)
    if change is not None:
        definition = copy.deepcopy(draft.definition)
        change(definition)
        services.version_definition_save(version=draft, definition=definition, user=admin, change={})
    return QuestionSetVersion.objects.get(pk=draft.pk)


def _rule(definition, rule_id):
    return next(rule for rule in definition["rules"] if rule["id"] == rule_id)


def _item(definition, code):
    return next(i for s in definition["sections"] for i in s["items"] if i["code"] == code)


def test_publish_and_retire_are_confirmed_and_signed(live_server, page, cadi, admin, axe_check):
    draft = _draft(cadi, admin, lambda d: _rule(d, "cue_dosing_link").update(weight=1.5))
    base = live_server.url
    log_in(page, base, "qs_lead")
    page.goto(f"{base}/question-sets/versions/{draft.uuid}/")
    page.get_by_role("link", name="Publish…").click()
    # The page shows what changes and how the test cases fare before anything happens.
    expect(page.locator("#publish-diff")).to_contain_text("cue_dosing_link")
    expect(page.locator("#publish-diff")).to_contain_text("1.5")
    cases = len(draft.definition["test_cases"])
    expect(page.locator("#publish-cases #case-summary")).to_have_text(f"{cases} test cases, 0 failing.")
    assert_accessible(page, axe_check)

    page.get_by_label("Your password (your signature)").fill("not-my-password")
    page.get_by_role("button", name="Sign and publish").click()
    expect(page.locator("#publish-form")).to_contain_text("The password is not correct; nothing was signed.")
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert AuditEntry.objects.filter(
        action="denied", object_uuid=draft.uuid, data__purpose="publish"
    ).exists()

    page.get_by_label("Your password (your signature)").fill(PASSWORD)
    page.get_by_role("button", name="Sign and publish").click()
    expect(page.get_by_text(f"{draft.ref} is published; new interviews use it.")).to_be_visible()
    expect(page.locator("#version-status")).to_have_text("Published")
    assert AuditEntry.objects.filter(
        action="update", object_uuid=draft.uuid, data__change="published", data__signed=True
    ).exists()

    # Retiring (a set other than the default one, which must keep a published version).
    trial = copy.deepcopy(cadi.definition)
    trial["slug"] = "cadi_trial"
    other = services.version_import(raw=json.dumps(trial).encode(), user=admin)
    services.version_publish(version=other, user=admin, password=PASSWORD)
    page.goto(f"{base}/question-sets/versions/{other.uuid}/")
    page.get_by_role("link", name="Retire…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retire cadi_trial@1?")
    assert_accessible(page, axe_check)
    page.get_by_role("button", name="Sign and retire").click()
    expect(page.locator("#retire-form")).to_contain_text("Enter your password to sign")
    page.get_by_label("Your password (your signature)").fill(PASSWORD)
    page.get_by_role("button", name="Sign and retire").click()
    expect(page.locator("#version-status")).to_have_text("Retired")


def test_weights_and_ranges_are_bounded_beside_the_field(live_server, page, cadi, admin, axe_check):
    draft = _draft(cadi, admin)
    base = live_server.url
    log_in(page, base, "qs_lead")
    page.goto(f"{base}/question-sets/versions/{draft.uuid}/rules/cue_dosing_link/")
    page.locator("#id_weight").fill("999")
    page.get_by_role("button", name="Save rule").click()
    expect(page.locator("#error_1_id_weight")).to_contain_text("A weight is at most 20")
    assert_accessible(page, axe_check)

    page.goto(f"{base}/question-sets/versions/{draft.uuid}/items/onset_pattern/")
    page.locator("#id_options-0-craving").fill("999")
    page.get_by_role("button", name="Save item").click()
    expect(page.locator("#error_1_id_options-0-craving")).to_contain_text("A weight is at most 20")

    page.goto(f"{base}/question-sets/versions/{draft.uuid}/items/automaticity/")
    page.locator("#id_scale_craving").fill("0, 1, 2, 999, 1000")
    page.get_by_role("button", name="Save item").click()
    expect(page.locator("#error_1_id_scale_craving")).to_contain_text("Each weight is from 0 to 20")

    page.goto(f"{base}/question-sets/versions/{draft.uuid}/items/days_since_dose_change/")
    page.locator("#id_minimum").fill("30")
    page.locator("#id_maximum").fill("7")
    page.get_by_role("button", name="Save item").click()
    expect(page.locator("#error_1_id_maximum")).to_contain_text("must not be below the minimum")

    # The JSON editor is held to the same bound by the engine.
    page.goto(f"{base}/question-sets/versions/{draft.uuid}/json/")
    definition = copy.deepcopy(draft.definition)
    _rule(definition, "cue_dosing_link")["weight"] = 999
    page.locator("#id_definition").fill(json.dumps(definition))
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.locator("#definition-errors")).to_contain_text(
        "rule cue_dosing_link.weight: must be a number from 0 to 20"
    )
    stored = QuestionSetVersion.objects.get(pk=draft.pk).definition
    assert stored == draft.definition


def test_diff_shows_old_and_new_side_by_side_per_language(live_server, page, cadi, admin, axe_check):
    def change(definition):
        _item(definition, "med_status")["text"]["en"] = "Where is the patient with the tablets today?"
        _item(definition, "med_status")["options"][1]["label"]["pl"] = "Całkowicie odstawiona"
        rule = _rule(definition, "cue_dosing_link")
        rule["weight"] = 2
        rule["when"] = rule["when"].replace("'often'", "'sometimes'")

    draft = _draft(cadi, admin, change)
    base = live_server.url
    log_in(page, base, "qs_lead")
    page.goto(f"{base}/question-sets/versions/{draft.uuid}/diff/")
    text = page.locator("#diff-texts tr[data-text='context › med_status › text'][data-language='en']")
    expect(text.locator(".diff-before")).to_have_text("Where is the patient with the benzodiazepine now?")
    expect(text.locator(".diff-after")).to_have_text("Where is the patient with the tablets today?")
    label = page.locator(
        "#diff-texts tr[data-text='context › med_status › discontinued › label'][data-language='pl']"
    )
    expect(label.locator(".diff-before")).to_have_text("Odstawiona")
    expect(label.locator(".diff-after")).to_have_text("Całkowicie odstawiona")
    # The unchanged English label of that option is not listed.
    expect(
        page.locator(
            "#diff-texts tr[data-text='context › med_status › discontinued › label'][data-language='en']"
        )
    ).to_have_count(0)
    when = page.locator("#diff-rules tr[data-rule='cue_dosing_link'][data-field='when']")
    expect(when.locator(".diff-before")).to_contain_text("'often'")
    expect(when.locator(".diff-after")).to_contain_text("'sometimes'")
    weight = page.locator("#diff-rules tr[data-rule='cue_dosing_link'][data-field='weight']")
    expect(weight.locator(".diff-before")).to_have_text("1")
    expect(weight.locator(".diff-after")).to_have_text("2")
    assert_accessible(page, axe_check)


def test_required_marks_are_editable_per_item_in_a_draft(live_server, page, cadi, admin, axe_check):
    draft = _draft(cadi, admin)
    base = live_server.url
    log_in(page, base, "qs_lead")
    page.goto(f"{base}/question-sets/versions/{draft.uuid}/items/automaticity/")
    required = page.get_by_label("Required (must be answered before an interview can be finalized)")
    expect(required).not_to_be_checked()
    assert_accessible(page, axe_check)
    required.check()
    page.get_by_role("button", name="Save item").click()
    expect(page.locator("#item-automaticity [data-required]")).to_have_text("required")
    expect(page.locator("#item-clinician_notes [data-required]")).to_have_count(0)
    expect(page.locator("#item-suicidal_thoughts [data-required]")).to_have_text("required")
    stored = QuestionSetVersion.objects.get(pk=draft.pk).definition
    assert _item(stored, "automaticity")["required"] is True

    page.goto(f"{base}/question-sets/versions/{draft.uuid}/items/automaticity/")
    expect(required).to_be_checked()
    required.uncheck()
    page.get_by_role("button", name="Save item").click()
    expect(page.locator("#item-automaticity [data-required]")).to_have_count(0)
    stored = QuestionSetVersion.objects.get(pk=draft.pk).definition
    assert "required" not in _item(stored, "automaticity")
    # A published version offers no editing at all.
    page.goto(f"{base}/question-sets/versions/{cadi.uuid}/items/automaticity/")
    expect(page.get_by_text("Only a draft can be edited")).to_be_visible()


def test_a_text_changed_in_one_language_marks_the_others_for_review(
    live_server, page, cadi, admin, axe_check
):
    draft = _draft(cadi, admin)
    base = live_server.url
    log_in(page, base, "qs_lead")
    page.goto(f"{base}/question-sets/versions/{draft.uuid}/items/med_status/")
    page.locator("#id_text_en").fill("Where is the patient with the tablets today?")
    page.get_by_role("button", name="Save item").click()
    marked = page.locator("#needs-review tr[data-text='context › med_status › text'][data-language='pl']")
    expect(marked).to_contain_text("Na jakim etapie jest teraz przyjmowanie benzodiazepiny?")
    expect(page.locator("#needs-review tr[data-language='en']")).to_have_count(0)
    assert_accessible(page, axe_check)

    # Editing the marked language clears its mark; a change to the Polish label of an
    # option marks that option's English label.
    page.goto(f"{base}/question-sets/versions/{draft.uuid}/items/med_status/")
    page.locator("#id_text_pl").fill("Na jakim etapie jest dziś przyjmowanie tabletek?")
    page.locator("#id_options-1-label_pl").fill("Całkowicie odstawiona")
    page.get_by_role("button", name="Save item").click()
    expect(page.locator("#needs-review tr[data-text='context › med_status › text']")).to_have_count(0)
    label = page.locator(
        "#needs-review tr[data-text='context › med_status › discontinued › label'][data-language='en']"
    )
    expect(label).to_contain_text("Discontinued")

    # Publishing lists the text and asks for a confirmation.
    page.get_by_role("link", name="Publish…").click()
    expect(page.locator("#publish-review")).to_contain_text(
        "context › med_status › discontinued › label (en)"
    )
    assert_accessible(page, axe_check)
    page.get_by_label("Your password (your signature)").fill(PASSWORD)
    page.get_by_role("button", name="Sign and publish").click()
    expect(page.locator("#publish-form")).to_contain_text("Some texts still need review")
    assert QuestionSetVersion.objects.get(pk=draft.pk).status == "draft"

    # Confirming the English label as it is clears the last mark.
    page.goto(f"{base}/question-sets/versions/{draft.uuid}/")
    label.get_by_role("button", name="Confirm as it is").click()
    expect(page.locator("#no-review-needed")).to_be_visible()
    page.get_by_role("link", name="Publish…").click()
    expect(page.locator("#publish-review")).to_have_count(0)
    page.get_by_label("Your password (your signature)").fill(PASSWORD)
    page.get_by_role("button", name="Sign and publish").click()
    expect(page.locator("#version-status")).to_have_text("Published")


def test_test_cases_use_the_interview_widgets_and_fail_in_words(live_server, page, cadi, admin, axe_check):
    draft = _draft(cadi, admin)
    base = live_server.url
    log_in(page, base, "qs_lead")
    page.goto(f"{base}/question-sets/versions/{draft.uuid}/dry-run/")
    page.get_by_role("link", name="Add a test case").click()
    page.locator("#id_id").fill("T9-cue-linked")
    answers = page.locator("#case-answers")
    answers.locator("#item-answer-onset_pattern input[value='cue_linked']").check()
    answers.locator("#item-answer-automaticity input[value='4']").check()
    answers.locator("#item-answer-first_in_sequence input[value='medication_thought']").check()
    page.get_by_role("checkbox", name="Mainly anxiety").check()
    assert_accessible(page, axe_check)
    page.get_by_role("button", name="Save test case").click()

    row = page.locator("[data-case='T9-cue-linked']")
    expect(row).to_contain_text("fails")
    expect(row).to_contain_text("expected Mainly anxiety, got ")
    expect(row).not_to_contain_text("dominant ")
    expect(row).not_to_contain_text("['anxiety']")
    stored = next(
        case
        for case in QuestionSetVersion.objects.get(pk=draft.pk).definition["test_cases"]
        if case["id"] == "T9-cue-linked"
    )
    assert stored["answers"] == {
        "onset_pattern": "cue_linked",
        "automaticity": 4,
        "first_in_sequence": "medication_thought",
    }

    # Editing shows the same widgets filled in; raw JSON stays available.
    row.get_by_role("link", name="Edit").click()
    expect(page.locator("#item-answer-onset_pattern input[value='cue_linked']")).to_be_checked()
    page.locator("#case-json summary").click()
    page.get_by_label("the raw JSON below").check()
    page.locator("#id_answers").fill('{"onset_pattern": "diffuse"}')
    page.get_by_role("button", name="Save test case").click()
    stored = next(
        case
        for case in QuestionSetVersion.objects.get(pk=draft.pk).definition["test_cases"]
        if case["id"] == "T9-cue-linked"
    )
    assert stored["answers"] == {"onset_pattern": "diffuse"}
