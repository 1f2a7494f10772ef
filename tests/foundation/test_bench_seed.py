"""The benchmark's seed goes through the services, so a change to them can break
`make bench` without failing any other test (it did once: a helper moved). This runs
its small phase, which writes through every service it uses and requests every
benchmarked page as each role, as `bench/run.py` does before loading them."""

import pytest

from assessments.formulation.services import compiled_for
from assessments.questionsets.services import default_question_set_ensure


@pytest.mark.django_db
def test_the_benchmark_seed_writes_its_small_team_and_serves_every_page(settings):
    from bench import seed

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, seed.HOST]
    version = default_question_set_ensure()
    data = seed.seed_small(version, compiled_for(version))
    assert data["formulation"] is not None
    assert len(data["drafts"]) == seed.AUTOSAVE_DRAFTS + 1
    clients = {role: seed.login(account) for role, account in data["accounts"].items()}
    counts = seed.count_queries(data, clients)  # asserts a 200 for every page
    assert set(counts) == {page["name"] for page in seed.pages(data)}
    assert len(counts) == 9


def test_the_benchmark_floor_serves_a_signed_in_user_and_nobody_else(login, clinician, client, settings):
    """bench/floor.py's view (the ceiling every page's ratio is read against) answers a
    signed-in user, and like any page of the app sends anyone else to sign in."""
    settings.ROOT_URLCONF = "bench.floor_urls"
    assert client.get("/floor/").status_code == 302
    response = login(clinician).get("/floor/")
    assert response.status_code == 200 and response.content == b"ok"
