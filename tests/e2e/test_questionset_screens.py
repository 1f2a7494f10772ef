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

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (820, 1366)


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {username}")).to_be_visible()


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
    login(page, base, "qs_lead")
    page.goto(f"{base}/question-sets/versions/{draft.uuid}/")
    page.get_by_role("link", name="Publish…").click()
    # The page shows what changes and how the test cases fare before anything happens.
    expect(page.locator("#publish-diff")).to_contain_text("cue_dosing_link")
    expect(page.locator("#publish-diff")).to_contain_text("1.5")
    expect(page.locator("#publish-cases #case-summary")).to_have_text("8 test cases, 0 failing.")
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
    expect(page.get_by_text("cadi@2 is published; new interviews use it.")).to_be_visible()
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
    login(page, base, "qs_lead")
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
    login(page, base, "qs_lead")
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
