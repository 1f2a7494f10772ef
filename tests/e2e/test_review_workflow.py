import pytest
from playwright.sync_api import expect

from assessments.accounts.services import supervision_add
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import log_in, watch_csp
from tests.e2e.interview_driver import cadi_items, fill
from tests.factories import vignette

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_returns_amends_and_endorses_with_notifications(live_server, browser, cadi, axe_check):
    base = live_server.url
    clinician = make_user("dr_kowal", "clinician")
    supervisor = make_user("dr_nadzor", "supervisor")
    supervision_add(supervisor=supervisor, clinician=clinician)
    doc = browser.new_context().new_page()
    boss = browser.new_context().new_page()
    doc_violations, boss_violations = watch_csp(doc), watch_csp(boss)

    log_in(doc, base, "dr_kowal")
    doc.goto(f"{base}/patients/new/")
    doc.get_by_role("button", name="Save patient").click()
    doc.get_by_role("button", name="Start session and interview").click()
    fill(doc, {**vignette("P3-mixed")["answers"], "clinician_impression": "mixed"}, cadi_items())
    doc.locator("#id_password").fill(PASSWORD)
    doc.locator("#id_password").press("Enter")
    expect(doc.locator("#dominant")).to_be_visible()

    log_in(boss, base, "dr_nadzor")
    expect(boss.locator("#unread-count")).to_have_text("1")
    boss.get_by_role("link", name="Reviews", exact=True).click()
    boss.get_by_role("link", name="Review", exact=True).first.click()
    assert axe_check(boss) == []
    boss.get_by_label("Mixed").check()
    boss.get_by_label("Comment (required to return)").fill(
        "Please re-check the sequence items with the patient."
    )
    boss.get_by_role("button", name="Return for revision").click()
    expect(boss.get_by_text("Returned to the clinician with your comment.")).to_be_visible()

    doc.goto(f"{base}/notifications/")
    expect(doc.locator("[data-kind='returned']")).to_be_visible()
    doc.locator("[data-kind='returned']").get_by_role("button", name="Open").click()
    expect(doc.locator("#review-comment")).to_contain_text("re-check the sequence items")
    doc.get_by_role("button", name="Amend (start a corrected version)").click()
    expect(doc.locator("#interview-form")).to_be_visible()
    expect(doc.get_by_text("This is an amendment.")).to_be_visible()
    doc.locator("#id_password").fill(PASSWORD)
    doc.locator("#id_password").press("Enter")
    expect(doc.locator("#dominant")).to_be_visible()

    boss.goto(f"{base}/reviews/")
    boss.get_by_role("link", name="Review", exact=True).first.click()
    expect(boss.locator("#history")).to_contain_text("Returned for revision")
    boss.get_by_label("Mixed").check()
    boss.get_by_label("Your password (to sign an endorsement)").fill(PASSWORD)
    boss.get_by_role("button", name="Endorse and sign").click()
    expect(boss.get_by_text("Endorsed and signed.")).to_be_visible()
    expect(boss.locator("#queue")).to_contain_text("Nothing awaits your review.")

    doc.goto(f"{base}/notifications/")
    expect(doc.locator("[data-kind='endorsed']")).to_be_visible()
    assert doc_violations == [] and boss_violations == []
