import pytest
from playwright.sync_api import expect

from assessments.accounts.roles import Role
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("role", "heading"), [(Role.CLINICIAN, "Clinician"), (Role.SUPERVISOR, "Supervisor")]
)
def test_it_logs_in_through_the_real_page_and_lands_on_the_role_home(live_server, page, role, heading):
    make_user(f"e2e_{role}", role)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    page.get_by_label("Username").fill(f"e2e_{role}")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()


def test_it_has_no_serious_accessibility_violations_on_login(live_server, page, axe_check):
    page.goto(f"{live_server.url}/accounts/login/")
    assert axe_check(page) == []
