import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from assessments.accounts.models import Supervision
from assessments.accounts.roles import Role, user_roles
from tests.conftest import PASSWORD


def test_it_sends_anonymous_visitors_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_requires_login_for_the_api_schema_and_admin(client, db):
    assert client.get(reverse("api-schema")).status_code in (302, 401, 403)
    assert client.get("/admin/").status_code == 302


def test_it_logs_in_through_the_login_form(client, clinician):
    response = client.post(reverse("login"), {"username": "clinician", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_it_refuses_a_wrong_password(client, clinician):
    response = client.post(reverse("login"), {"username": "clinician", "password": "wrong-password-123"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("fixture", "heading"),
    [("clinician", "clinician-home"), ("supervisor", "supervisor-home"), ("qs_admin", "admin-home")],
)
def test_it_shows_each_role_its_home(request, login, fixture, heading):
    user = request.getfixturevalue(fixture)
    body = login(user).get(reverse("home")).content.decode()
    assert f'id="{heading}"' in body
    others = {"clinician-home", "supervisor-home", "admin-home"} - {heading}
    assert not any(f'id="{other}"' in body for other in others)


def test_it_lists_question_set_versions_for_admins(login, qs_admin, cadi):
    body = login(qs_admin).get(reverse("home")).content.decode()
    assert "cadi@1" in body


def test_it_refuses_post_on_home(login, clinician):
    assert login(clinician).post(reverse("home")).status_code == 405


def test_it_creates_a_user_with_a_role_and_prints_a_generated_password(db, capsys):
    call_command("create_user", "dr_nowak", role=Role.SUPERVISOR)
    out = capsys.readouterr().out
    password = out.rsplit(" ", 1)[-1].strip()
    user = get_user_model().objects.get(username="dr_nowak")
    assert user_roles(user) == {Role.SUPERVISOR}
    assert len(password) >= 12 and user.check_password(password)


def test_it_sets_up_demo_accounts_once_with_fresh_passwords(db, capsys):
    call_command("demo_setup")
    first = capsys.readouterr().out
    User = get_user_model()
    passwords = {}
    for username, role in [
        ("demo_clinician", Role.CLINICIAN),
        ("demo_supervisor", Role.SUPERVISOR),
        ("demo_admin", Role.QUESTIONSET_ADMIN),
    ]:
        user = User.objects.get(username=username)
        assert user_roles(user) == {role}
        line = next(line for line in first.splitlines() if line.startswith(username))
        passwords[username] = line.rsplit(" ", 1)[-1]
        assert user.check_password(passwords[username])
    assert len(set(passwords.values())) == 3
    assert Supervision.objects.filter(
        supervisor__username="demo_supervisor", clinician__username="demo_clinician"
    ).exists()
    call_command("demo_setup")
    second = capsys.readouterr().out
    assert not any(password in second for password in passwords.values())
    assert "cadi@2" in second  # the shipped default since cadi@2 (issue 13)


def test_it_refuses_a_supervisor_supervising_themselves(supervisor):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Supervision.objects.create(supervisor=supervisor, clinician=supervisor)


def test_it_answers_health_without_login(client, db):
    response = client.get(reverse("health"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "Database" in response.content.decode()


def test_it_switches_the_interface_language_even_before_login(client, db):
    response = client.post(reverse("set_language"), {"language": "pl", "next": reverse("login")})
    assert response.status_code == 302 and response.url == reverse("login")
    assert "Zaloguj się" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert "Log in" in client.get(reverse("login")).content.decode()


def _refused(client, kind, clinician):
    """A refused form whose page a POST answered; returns (response, the page it shows)."""
    from tests.factories import draft_interview, patient_for

    if kind in ("medication", "session", "session-then-medication", "archive"):
        patient = patient_for(clinician)
        page = reverse("patient-detail", args=[patient.uuid])
        if kind == "archive":
            return client.post(reverse("patient-archive", args=[patient.uuid]), {"status": "archived"}), page
        if kind.startswith("session"):
            response = client.post(reverse("session-create", args=[patient.uuid]), {"date": "not a date"})
            if kind == "session":
                return response, page
        medication = {"drug": "", "daily_dose_mg": "x"}
        return client.post(reverse("medication-add", args=[patient.uuid]), medication), page
    if kind == "finalize":
        interview = draft_interview(patient_for(clinician), clinician)
        finalize_url = reverse("interview-finalize", args=[interview.uuid])
        return client.post(finalize_url, {"password": "", "lock_version": "1"}), reverse(
            "interview-detail", args=[interview.uuid]
        )
    if kind == "patient-create":
        return client.post(reverse("patient-create"), {"year_of_birth": "1492"}), reverse("patient-create")
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind", ["medication", "session", "session-then-medication", "archive", "finalize", "patient-create"]
)
def test_switching_language_on_a_refused_form_returns_to_a_page_that_exists(login, clinician, cadi, kind):
    """The walk found the switch on a form's error page (the page a POST answered)
    sending the browser back to that POST-only address: a blank 405. A second refusal
    in a row, or a page that answers both GET and POST, must work too."""
    client = login(clinician)
    refused, page = _refused(client, kind, clinician)
    assert refused.status_code in (200, 400)
    assert f'name="next" value="{page}"' in refused.content.decode()
    switched = client.post(reverse("set_language"), {"language": "pl", "next": page})
    assert switched.status_code == 302 and switched.url == page
    assert client.get(switched.url).status_code == 200
