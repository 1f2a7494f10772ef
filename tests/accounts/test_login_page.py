"""The login page, the one every user loads, renders its two fields without crispy
(#16): the same labels, inputs, attributes and error messages as before."""

import re

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD


def _form(body: str) -> str:
    start = body.index('<form method="post" novalidate>')
    return body[start : body.index("</form>", start)]


def _input(form: str, name: str) -> str:
    return re.search(rf'<input [^>]*name="{name}"[^>]*>', form).group(0)


@pytest.mark.parametrize(
    ("language", "username", "password"),
    [("en", "Username", "Password"), ("pl", "Nazwa użytkownika", "Hasło")],
)
def test_it_labels_each_field_with_the_browser_hints_it_had(client, db, language, username, password):
    form = _form(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=language).content.decode())
    for field, label in (("username", username), ("password", password)):
        assert re.search(
            rf'<label\s+for="id_{field}" class="form-label requiredField">\s*{label}'
            r'<span class="asteriskField">\*</span>\s*</label>',
            form,
        )
        tag = _input(form, field)
        assert 'id="id_' + field + '"' in tag and "required" in tag and "form-control" in tag
    assert 'autocomplete="username"' in _input(form, "username") and "autofocus" in _input(form, "username")
    assert 'maxlength="150"' in _input(form, "username") and 'autocapitalize="none"' in _input(
        form, "username"
    )
    assert 'type="password"' in _input(form, "password")
    assert 'autocomplete="current-password"' in _input(form, "password")
    assert "value=" not in _input(form, "password")


def test_it_says_why_it_refused_and_keeps_the_username_never_the_password(client, clinician):
    body = client.post(
        reverse("login"), {"username": "clinician", "password": "wrong-password-123"}
    ).content.decode()
    form = _form(body)
    alert = re.search(r'<div class="alert alert-block alert-danger"[^>]*>(.*?)</div>', form, re.S).group(1)
    assert "Please enter a correct username and password" in alert
    assert 'value="clinician"' in _input(form, "username")
    assert "wrong-password" not in body


def test_it_names_an_empty_field(client, db):
    form = _form(client.post(reverse("login"), {"username": "", "password": PASSWORD}).content.decode())
    assert "This field is required." in form.split('id="div_id_username"')[1].split('id="div_id_password"')[0]
    assert "is-invalid" in _input(form, "username")
    assert "is-invalid" not in _input(form, "password")


def test_an_invalid_field_is_described_by_its_error_for_screen_readers(client, db):
    """Django marks an invalid input aria-invalid and aria-describedby="<id>_error":
    that element must exist and hold the message, as crispy's wrapper did."""
    form = _form(client.post(reverse("login"), {"username": "", "password": PASSWORD}).content.decode())
    tag = _input(form, "username")
    assert 'aria-invalid="true"' in tag
    described = re.search(r'aria-describedby="([^"]+)"', tag).group(1)
    for target in described.split():
        block = re.search(rf'<(\w+) id="{target}"[^>]*>(.*?)</\1>', form, re.S)
        assert block, f"nothing has the id {target}"
    assert "This field is required." in re.search(
        r'id="id_username_error"[^>]*>(.*?)</div>', form, re.S
    ).group(1)
