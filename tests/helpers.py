"""Helpers for tests that start the real processes (worker, web, beat)."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def compose_command(service: str) -> list[str]:
    return list(compose()["services"][service]["command"])


def require_redis():
    """Skip without REDIS_URL (the embedded path); fail instead where CI demands it."""
    url = os.environ.get("REDIS_URL")
    if not url:
        if os.environ.get("ZEUS_REQUIRE_SERVICES"):
            pytest.fail("ZEUS_REQUIRE_SERVICES is set but REDIS_URL is not")
        pytest.skip("needs REDIS_URL (a real Redis); CI sets it")
    return url


def process_env(**extra) -> dict:
    """Environment for a child process running the production settings module."""
    from django.conf import settings
    from django.db import connection

    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.update(
        DJANGO_SETTINGS_MODULE="zeus_assess.settings",
        SECRET_KEY="child-process-test-key-0123456789abcdefghijklmnopqrstuvwxyz",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    db = connection.settings_dict
    if db["ENGINE"].endswith("postgresql"):
        # The child must see the test database the suite created, not the base one.
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    env.update(extra)
    return env


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    assert shutil.which(command[0], path=env["PATH"]), f"{command[0]} is not installed"
    handle = open(log, "wb")  # noqa: SIM115 - closed by the caller through stop()
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
