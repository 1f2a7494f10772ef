"""Schemathesis against the real OpenAPI schema, as a logged-in clinician: no server
error and no response that breaks the schema, whatever is sent (issue #11, item 9).
Bounded (a fixed number of examples per operation) so it fits in every CI run."""

import itertools
import json

import pytest
import schemathesis
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.test.client import ClientHandler
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import make_user

EXAMPLES = 100  # per operation and generation mode: about half a minute on a loaded machine
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def logged_in(db, cadi):
    """A real session (and a CSRF pair: the API is session-authenticated)."""
    client = Client()
    client.force_login(make_user("fuzz_clinician", "clinician"))
    token = _get_new_csrf_string()
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}
    return client, cookies, {"X-CSRFToken": token}


@pytest.fixture
def api_schema(logged_in):
    """The schema the running application serves to a logged-in user, called in-process."""
    client, _cookies, _headers = logged_in
    response = client.get(reverse("api-schema") + "?format=json")
    assert response.status_code == 200
    loaded = schemathesis.openapi.from_dict(json.loads(response.content))
    loaded.app = _wsgi_app
    return loaded


def _wsgi_app(environ, start_response):
    """The whole Django stack (middleware included, CSRF enforced), through the test
    client's handler: it keeps the test's database connection open between requests,
    which a plain WSGIHandler would close at the end of each."""
    response = ClientHandler(enforce_csrf_checks=True)(environ)
    headers = list(response.items()) + [
        ("Set-Cookie", c.output(header="")) for c in response.cookies.values()
    ]
    start_response(f"{response.status_code} {response.reason_phrase}", headers)
    return [response.content]


def test_the_api_keeps_its_schema_and_never_fails(api_schema, logged_in):
    _client, cookies, headers = logged_in
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert any(op.path == "/api/v1/formulations/preview" for op in operations)
    for operation, mode in itertools.product(operations, GenerationMode):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def check(case):
            response = case.call(headers=headers, cookies=cookies)
            case.validate_response(response, checks=CHECKS)

        check()
