"""Error pages a clinician can find their way back from, in their language: the walk
met Django's bare, unstyled "403 Forbidden" with no navigation."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Page not found"), ("pl", "Nie znaleziono strony")],
)
def test_an_unknown_address_gets_the_apps_own_page_with_its_navigation(login, clinician, language, words):
    response = login(clinician).get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    body = response.content.decode()
    assert words in body
    assert f'href="{reverse("patient-list")}"' in body and f'href="{reverse("home")}"' in body


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "You do not have access to this page"), ("pl", "Nie masz dostępu do tej strony")],
)
def test_a_page_outside_the_role_gets_the_apps_own_refusal(login, clinician, language, words):
    response = login(clinician).get(reverse("review-queue"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    body = response.content.decode()
    assert words in body
    assert f'href="{reverse("patient-list")}"' in body


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Something went wrong on our side"), ("pl", "Coś poszło nie tak po naszej stronie")],
)
def test_a_server_error_gets_a_page_that_needs_nothing_that_may_have_failed(
    rf: RequestFactory, language, words
):
    # Django renders 500.html without the request's context (no user, no database).
    with translation.override(language):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert words in body and 'href="/"' in body
