"""The Dockerfile's build steps, run natively (no Docker engine here): collectstatic with
the production storage, then gunicorn (the compose command) serving /health/ and a hashed
static file. A broken image build fails here (issue #11, item 2)."""

import json
import subprocess
import urllib.request

import pytest

from tests.helpers import ROOT, compose_command, free_port, process_env, start, stop, wait_for


def dockerfile_runs() -> list[str]:
    """The shell commands of the Dockerfile's RUN instructions (continuations joined)."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [line[4:].strip() for line in text.splitlines() if line.startswith("RUN ")]


def collectstatic(static_root) -> subprocess.CompletedProcess:
    command = next(run for run in dockerfile_runs() if "collectstatic" in run)
    env = process_env(STATIC_ROOT=str(static_root))
    env.pop("SECRET_KEY")  # the Dockerfile's command sets its own build-only key
    return subprocess.run(
        ["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_dockerfile_collects_static_files_with_the_production_storage(tmp_path):
    result = collectstatic(tmp_path / "static")
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    # Every vendored file got a content hash, so browsers may cache it for ever.
    assert manifest["vendor/bootstrap-5.3.9.min.css"] != "vendor/bootstrap-5.3.9.min.css"
    assert (tmp_path / "static" / manifest["css/app.css"]).exists()


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_health_and_hashed_static_files_after_the_build(tmp_path):
    static_root = tmp_path / "static"
    assert collectstatic(static_root).returncode == 0
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    port = free_port()
    command = compose_command("web")
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    log = tmp_path / "web.log"
    process = start(command, process_env(STATIC_ROOT=str(static_root)), log)
    base = f"http://127.0.0.1:{port}"

    def get(path, **headers):
        request = urllib.request.Request(base + path, headers=headers)  # noqa: S310 - http://127.0.0.1
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - a fixed http URL
            return response.status, dict(response.headers), response.read()

    def healthy():
        try:
            return get("/health/", Accept="application/json")[0] == 200
        except OSError:
            return False

    try:
        assert wait_for(healthy, timeout=60), log.read_text()[-3000:]
        # As behind the TLS proxy (production redirects plain HTTP to HTTPS).
        path = "/static/" + manifest["vendor/bootstrap-5.3.9.min.css"]
        status, headers, body = get(path, **{"X-Forwarded-Proto": "https"})
        assert status == 200 and b"Bootstrap" in body[:500]
        assert "immutable" in headers.get("Cache-Control", "")
    finally:
        stop(process)
