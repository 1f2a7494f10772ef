"""Load generators: wrk when installed, else a small threaded Python one.

Both keep one connection per client (wrk: one thread per connection), so that a
client's autosaves follow each other like one user's do, each quoting the lock
version the previous answer returned. Both report requests per second, p50 and p95
latency (ms) and the number of failed answers (anything but the expected status).
"""

import http.client
import json
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

LOCK_VERSION = re.compile(rb'id="lock-version" value="(\d+)"')


@dataclass
class Target:
    """What each client sends: GETs of one path, or autosave POSTs of alternating
    bodies to its own draft (paths[i] for client i)."""

    port: int
    paths: list[str]
    headers: dict[str, str]
    method: str = "GET"
    bodies: list[str] = field(default_factory=list)
    locks: list[int] = field(default_factory=list)


@dataclass
class Result:
    rps: float
    p50_ms: float
    p95_ms: float
    requests: int
    failed: int


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


_LUA = r"""
local paths = __PATHS__
local locks = __LOCKS__
local bodies = __BODIES__
local method = "__METHOD__"
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

function init(args)
  path = paths[((index - 1) % #paths) + 1]
  lock = locks[((index - 1) % #paths) + 1]
  turn = 0
  failed = 0
end

function request()
  if method == "POST" then
    turn = turn + 1
    local body = bodies[(turn % #bodies) + 1] .. "&lock_version=" .. lock
    return wrk.format("POST", path, nil, body)
  end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status ~= 200 then
    failed = failed + 1
  end
  if method == "POST" then
    local found = string.match(body, 'id="lock%-version" value="(%d+)"')
    if found then lock = found end
  end
end

function done(summary, latency, requests)
  local total_failed = 0
  for _, thread in ipairs(threads) do
    total_failed = total_failed + thread:get("failed")
  end
  io.write(string.format("BENCH %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), total_failed))
end
"""


def _lua_list(values) -> str:
    return "{" + ", ".join(json.dumps(str(v)) for v in values) + "}"


def run_wrk(target: Target, *, connections: int, seconds: float) -> Result:
    script = (
        _LUA.replace("__PATHS__", _lua_list(target.paths))
        .replace("__LOCKS__", _lua_list(target.locks or [0] * len(target.paths)))
        .replace("__BODIES__", _lua_list(target.bodies or [""]))
        .replace("__METHOD__", target.method)
    )
    headers = dict(target.headers)
    if target.method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    command = [
        "wrk",
        "-t",
        str(connections),
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command += ["-s", handle.name, f"http://127.0.0.1:{target.port}{target.paths[0]}"]
    try:
        output = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 60, check=True
        ).stdout
    finally:
        Path(handle.name).unlink()
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    requests, duration_us, p50_us, p95_us, failed = (int(x) for x in line.split()[1:])
    # Non-2xx/3xx answers are also counted by wrk itself ("Non-2xx or 3xx responses").
    return Result(requests / (duration_us / 1e6), p50_us / 1000, p95_us / 1000, requests, failed)


def run_python(target: Target, *, connections: int, seconds: float) -> Result:
    """The fallback: one thread and one keep-alive connection per client."""
    deadline = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(connections)]
    failures = [0] * connections

    def client(index: int):
        path = target.paths[index % len(target.paths)]
        lock = target.locks[index % len(target.paths)] if target.locks else 0
        connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=10)
        turn = 0
        while time.perf_counter() < deadline:
            headers = dict(target.headers)
            body = None
            if target.method == "POST":
                turn += 1
                body = f"{target.bodies[turn % len(target.bodies)]}&lock_version={lock}"
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            started = time.perf_counter()
            connection.request(target.method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            latencies[index].append(time.perf_counter() - started)
            if response.status != 200:
                failures[index] += 1
            if target.method == "POST":
                found = LOCK_VERSION.search(content)
                lock = int(found.group(1)) if found else lock
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    flat = sorted(x for per in latencies for x in per)
    if not flat:
        return Result(0.0, 0.0, 0.0, 0, 0)
    quantiles = statistics.quantiles(flat, n=20, method="inclusive")
    return Result(
        len(flat) / elapsed, statistics.median(flat) * 1000, quantiles[18] * 1000, len(flat), sum(failures)
    )


def run(target: Target, *, connections: int, seconds: float, use_wrk: bool) -> Result:
    return (run_wrk if use_wrk else run_python)(target, connections=connections, seconds=seconds)
