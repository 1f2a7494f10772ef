"""docker-compose.yml is the production path; with no Docker engine here, these tests
parse it and run its commands natively, so the file cannot drift from what CI runs."""

import json
import time
import urllib.request

import pytest

from tests.helpers import ROOT, compose, compose_command, free_port, process_env, start, stop, wait_for


def test_it_declares_every_service_with_a_healthcheck():
    services = compose()["services"]
    for name in ("web", "worker", "beat", "db", "redis"):
        assert name in services, name
        assert services[name]["healthcheck"]["test"], name
    assert services["db"]["image"].startswith("postgres:")
    assert int(services["db"]["image"].split(":")[1]) >= 15
    assert services["redis"]["image"] == "redis:7"
    assert any(volume.startswith("pgdata:") for volume in services["db"]["volumes"])


def test_it_runs_migrations_before_web_and_reads_env_file():
    services = compose()["services"]
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    for name in ("web", "worker", "beat", "migrate"):
        assert services[name]["env_file"] == ".env"
    web = compose_command("web")
    assert web[0] == "gunicorn"
    assert web[web.index("--worker-class") + 1] == "gthread"


def test_it_ships_an_env_example_naming_every_variable_the_readme_documents():
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    for variable in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"):
        assert f"{variable}=" in example
        assert f"`{variable}`" in readme


@pytest.mark.django_db(transaction=True)
def test_it_serves_health_with_the_compose_web_command(tmp_path):
    port = free_port()
    command = compose_command("web")
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    process = start(command, process_env(), tmp_path / "web.log")
    url = f"http://127.0.0.1:{port}/health/"

    def healthy():
        try:
            request = urllib.request.Request(url, headers={"Accept": "application/json"})
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - a fixed http URL
                return response.status == 200 and json.loads(response.read())
        except OSError:
            return False

    try:
        assert wait_for(healthy, timeout=60), (tmp_path / "web.log").read_text()[-3000:]
    finally:
        stop(process)


def test_it_starts_beat_with_the_compose_command(tmp_path):
    command = compose_command("beat")
    command[command.index("--schedule") + 1] = str(tmp_path / "schedule")
    log = tmp_path / "beat.log"
    process = start(command, process_env(), log)
    try:
        assert wait_for(lambda: "beat: Starting" in log.read_text(), timeout=60), log.read_text()[-3000:]
        time.sleep(0.5)
        assert process.poll() is None, log.read_text()[-3000:]
    finally:
        stop(process)
