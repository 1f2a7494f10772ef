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


def _healthy(url: str):
    try:
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - http to 127.0.0.1 only
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - a fixed http URL
            return response.status == 200 and json.loads(response.read())
    except OSError:
        return False


def _user(url: str) -> str:
    return url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[0]


def test_it_migrates_as_the_owning_role_and_runs_the_app_as_a_role_that_owns_nothing():
    services = compose()["services"]
    assert services["migrate"]["environment"]["ZEUS_DB_ROLE"] == "migration"
    for name in ("web", "worker", "beat"):
        assert "ZEUS_DB_ROLE" not in (services[name].get("environment") or {}), name
    example = dict(
        line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines() if "=" in line
    )
    runtime, owner = _user(example["DATABASE_URL"]), _user(example["DATABASE_MIGRATION_URL"])
    # Three different roles: the app, the owner, and the cluster administrator.
    assert len({runtime, owner, example["POSTGRES_USER"]}) == 3
    assert "./docker/postgres-init:/docker-entrypoint-initdb.d:ro" in services["db"]["volumes"]
    script = (ROOT / "docker" / "postgres-init" / "10-roles.sh").read_text()
    assert "DATABASE_MIGRATION_URL" in script and "DATABASE_URL" in script
    assert script.count("NOSUPERUSER NOCREATEDB NOCREATEROLE") == 2


@pytest.mark.django_db(transaction=True)
def test_the_compose_migrate_command_grants_the_runtime_role_only_what_it_needs(tmp_path):
    """Runs compose's migrate command natively as the owner (the suite's role) with the
    runtime role in DATABASE_URL: afterwards that role reads and writes application
    rows, only appends to the audit log, and owns nothing."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("database roles exist on PostgreSQL")
    db = connection.settings_dict
    role = f"{db['NAME']}_compose_rt"[:63]  # unique per test database: the cluster is shared
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if not cursor.fetchone():
            cursor.execute(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE')
    try:
        env = process_env()
        owner_url = env["DATABASE_URL"]
        env.update(
            ZEUS_DB_ROLE=services_env(compose()["services"]["migrate"])["ZEUS_DB_ROLE"],
            DATABASE_MIGRATION_URL=owner_url,
            DATABASE_URL=owner_url.replace(f"://{db['USER']}@", f"://{role}@", 1),
        )
        process = start(compose_command("migrate"), env, tmp_path / "migrate.log")
        try:
            assert process.wait(timeout=300) == 0, (tmp_path / "migrate.log").read_text()[-3000:]
        finally:
            stop(process)
        with connection.cursor() as cursor:
            check = "SELECT has_table_privilege(%s, %s, %s)"
            for privilege, expected in [
                ("SELECT", True),
                ("INSERT", True),
                ("UPDATE", False),
                ("DELETE", False),
            ]:
                cursor.execute(check, [role, "core_auditentry", privilege])
                assert cursor.fetchone()[0] is expected, privilege
            for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE"):
                cursor.execute(check, [role, "patients_patient", privilege])
                assert cursor.fetchone()[0] is True, privilege
            cursor.execute(check, [role, "patients_patient", "TRUNCATE"])
            assert cursor.fetchone()[0] is False
            cursor.execute(
                "SELECT count(*) FROM pg_class"
                " WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = %s)",
                [role],
            )
            assert cursor.fetchone()[0] == 0
        # And the compose web command, connecting as that role, answers /health/
        # (which queries the database).
        port = free_port()
        command = compose_command("web")
        command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
        web_env = {
            key: value for key, value in env.items() if key not in ("ZEUS_DB_ROLE", "DATABASE_MIGRATION_URL")
        }
        web = start(command, web_env, tmp_path / "web.log")
        try:
            assert wait_for(lambda: _healthy(f"http://127.0.0.1:{port}/health/"), timeout=60), (
                tmp_path / "web.log"
            ).read_text()[-3000:]
        finally:
            stop(web)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE IF EXISTS "{role}"')


def services_env(service: dict) -> dict:
    return {key: str(value) for key, value in (service.get("environment") or {}).items()}
