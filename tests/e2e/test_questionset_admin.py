"""An admin evolves cadi in the browser: clone, add an item with weights and a rule
that reads it, a failing test case blocks publishing, fix, publish. New interviews
get the new item; an interview taken before keeps the old version."""

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import log_in, watch_csp
from tests.factories import finalized_interview, patient_for, vignette

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_QUESTION = "Is the night without the tablet dreaded?"


def _add_item(page):
    page.get_by_role("link", name="Add an item").click()
    page.locator("#id_code").fill("night_dread")
    page.locator("#id_type").select_option("single")
    # Outside the core sections: a new core item would change how much of the core
    # every existing test case answers (cadi@2 grades confidence by it).
    page.locator("#id_section").select_option("relapse")
    page.locator("#id_text_en").fill(NEW_QUESTION)
    page.locator("#id_text_pl").fill("Czy noc bez tabletki budzi lęk?")
    options = {
        0: {
            "code": "yes",
            "label_en": "Yes",
            "label_pl": "Tak",
            "craving": "2",
            "evidence_label_en": "Dreads the night without the drug",
            "evidence_label_pl": "Lęk przed nocą bez leku",
            "rationale": "Bedtime was a dosing occasion.",
        },
        1: {"code": "no", "label_en": "No", "label_pl": "Nie"},
    }
    for index, fields in options.items():
        for name, value in fields.items():
            page.locator(f"#id_options-{index}-{name}").fill(value)
    page.get_by_role("button", name="Save item").click()
    expect(page.locator("#item-night_dread")).to_be_visible()


def _add_rule(page, weight: str, rule_id: str = "cue_without_night_dread"):
    page.get_by_role("link", name="Add a rule").click()
    page.locator("#id_id").fill(rule_id)
    page.locator("#id_when").fill("onset_pattern == 'cue_linked' and night_dread != 'yes'")
    page.locator("#id_direction").select_option("anxiety")
    page.locator("#id_weight").fill(weight)
    page.locator("#id_label_en").fill("Cue-linked distress without dread of the night")
    page.locator("#id_label_pl").fill("Dyskomfort związany z bodźcami bez lęku przed nocą")
    page.locator("#id_rationale").fill(
        "Without the bedtime dread the cue link is weaker evidence of craving."
    )
    page.get_by_role("button", name="Save rule").click()
    expect(page.locator(f"[data-rule='{rule_id}']")).to_be_visible()


def test_it_clones_edits_gates_and_publishes_a_version(live_server, page, browser, cadi):
    base = live_server.url
    # Whatever version ships as the default: it is cloned into the next number, and its
    # own clear-craving test case is the one the heavy rule breaks.
    published, draft = f"cadi@{cadi.number}", f"cadi@{cadi.number + 1}"
    cases = cadi.definition["test_cases"]
    clear_craving = next(c["id"] for c in cases if c["id"].endswith("clear-craving"))
    make_user("qs_lead", "questionset_admin")
    clinician = make_user("dr_qs", "clinician")
    answers = {**vignette("P1-clear-craving")["answers"], "clinician_impression": "mainly_craving"}
    before, _formulation = finalized_interview(patient_for(clinician), clinician, answers, PASSWORD)

    log_in(page, base, "qs_lead")
    page.get_by_role("link", name="Question sets").first.click()
    page.get_by_role("link", name=published, exact=True).click()
    page.get_by_role("button", name="Clone into a new draft").click()
    expect(page.get_by_text(f"Draft {draft} created.")).to_be_visible()
    expect(page.locator("#version-status")).to_have_text("Draft")

    _add_item(page)
    # Too heavy a weight: the clear-craving case stops reading as craving (cadi@2 takes
    # the share from the uncapped evidence, so it takes two rules at the largest weight).
    _add_rule(page, "20")
    _add_rule(page, "20", "cue_without_night_dread_again")
    page.get_by_role("link", name="Test cases (dry run)").click()
    expect(page.locator(f"[data-case='{clear_craving}']")).to_contain_text("fails")
    page.get_by_role("link", name="Publish…").click()
    expect(page.locator("#failing-cases")).to_contain_text(clear_craving)
    page.get_by_label("Your password (your signature)").fill(PASSWORD)
    page.get_by_role("button", name="Sign and publish").click()
    expect(page.locator("#publish-refused")).to_contain_text(f"{clear_craving}: expected Mainly craving, got")

    page.get_by_role("link", name=draft, exact=True).click()
    # The fix takes the wrong rules' weight off: cadi@2's test cases pin shares and
    # rules closely enough that an anxiety weight on cue-linked onset fails one of them.
    for rule_id in ("cue_without_night_dread", "cue_without_night_dread_again"):
        page.locator(f"[data-rule='{rule_id}']").get_by_role("link", name="Edit").click()
        page.locator("#id_weight").fill("0")
        page.get_by_role("button", name="Save rule").click()
    page.get_by_role("link", name="Test cases (dry run)").click()
    expect(page.locator("#case-summary")).to_have_text(f"{len(cases)} test cases, 0 failing.")
    page.get_by_role("link", name="Publish…").click()
    page.get_by_label("Your password (your signature)").fill(PASSWORD)
    page.get_by_role("button", name="Sign and publish").click()
    expect(page.get_by_text(f"{draft} is published; new interviews use it.")).to_be_visible()
    expect(page.locator("#version-status")).to_have_text("Published")

    doc = browser.new_context().new_page()
    violations = watch_csp(doc)
    log_in(doc, base, "dr_qs")
    doc.goto(f"{base}/patients/new/")
    doc.get_by_role("button", name="Save patient").click()
    doc.get_by_role("button", name="Start session and interview").click()
    expect(doc.locator("#interview-form")).to_be_visible()
    expect(doc.get_by_role("heading", level=1)).to_contain_text(draft)
    expect(doc.locator("#item-night_dread")).to_contain_text(NEW_QUESTION)

    doc.goto(f"{base}/interviews/{before.uuid}/")
    expect(doc.get_by_role("heading", level=1)).to_contain_text(published)
    expect(doc.get_by_text(NEW_QUESTION)).to_have_count(0)
    assert violations == []
