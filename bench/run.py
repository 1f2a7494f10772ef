"""`make bench`: every page against a bare Django view, in one run, on this machine.

1. Creates (drops first) its own PostgreSQL database, migrates it and collects the
   static files, all under the production settings (DEBUG off).
2. Seeds it (bench/seed.py): 10 patients, then 1,000 patients, one patient with 200
   sessions and 100,000 formulations for the supervisor pages; prints each page's
   query count at both sizes.
3. Starts the app with the gunicorn command of docker-compose.yml, and a bare Django
   view (bench/bare.py) with the same command, each on a free port.
4. Signs in through the real login form as each role (TOTP included).
5. Alternates load runs (wrk, else a Python generator) between each page and the
   bare view; prints req/s, the ratio, p50/p95 latency, the p95 of one user alone,
   and the workers' memory. Exits 1 when a goal is missed.

Usage: .venv/bin/python -m bench.run [--database-url URL] [--seconds 3] [--repeats 3]
The database URL comes from --database-url or BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/zeus_bench); that database is dropped and made
anew, and dropped again at the end unless --keep.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

import yaml

from bench.load import LOCK_VERSION, Target, run, wrk_available

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
# Goals of issue #16: throughput as a share of the bare view's, and server time.
RATIO_GOALS = {
    "login page (GET)": 0.30,
    "patient list": 0.30,
    "patient page": 0.30,
    "interview page (draft, half answered)": 0.15,
    "autosave POST": 0.25,
    "formulation page": 0.30,
    "review queue": 0.30,
    "supervisor dashboard": 0.30,
    "question-set list": 0.30,
}
# Not a page: the app serving an empty signed-in view (bench/floor.py).
FLOOR = "floor: empty signed-in view"
SINGLE_USER_P95_MS = 150
# At 100,000 formulations the supervisor pages have a tighter goal.
SINGLE_USER_P95_MS_BY_PAGE = {"review queue": 100, "supervisor dashboard": 100}
RSS_GOAL_MIB = 200
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ERROR_TEXT = re.compile(
    r'(?s)class="[^"]*(?:invalid-feedback|alert-danger|error-summary)[^"]*"[^>]*>(.*?)</(?:div|p|span|ul)>'
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- database ---------------------------------------------------------------


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"refusing an unusual database name: {name!r}")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {name}")


# --- processes --------------------------------------------------------------


def app_env(database_url: str, workdir: Path) -> dict:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.update(
        DJANGO_SETTINGS_MODULE="zeus_assess.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=f"{HOST},localhost",
        DATABASE_URL=database_url,
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env, *args):
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def gunicorn_command(app: str, port: int) -> list[str]:
    """The web command of docker-compose.yml, bound to a free local port."""
    command = list(yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["command"])
    assert command[0] == "gunicorn"
    command[0] = str(BIN / "gunicorn")
    command[1] = app
    command[command.index("--bind") + 1] = f"{HOST}:{port}"
    return command


def start_server(command, env, log: Path, probe: str) -> subprocess.Popen:
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    port = int(command[command.index("--bind") + 1].rsplit(":", 1)[1])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{command[1]} exited at start; see {log}:\n{log.read_text()[-2000:]}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", probe, headers={"Accept": "application/json"})
            if connection.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{command[1]} did not answer on {probe}; see {log}")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def worker_rss_mib(master_pid: int) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children)."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master_pid):
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


# --- a browser that signs in ---------------------------------------------------


class Browser:
    """Just enough of a browser: cookies, CSRF token, the TLS proxy's header.

    The production settings redirect plain HTTP to HTTPS unless the proxy says the
    request came over TLS (SECURE_PROXY_SSL_HEADER), as it does behind nginx.
    """

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def at(self, port: int) -> "Browser":
        """The same signed-in browser talking to another server of the same app (the floor)."""
        other = Browser(port)
        other.cookies = dict(self.cookies)
        return other

    @property
    def origin(self) -> str:
        return f"https://{HOST}:{self.port}"

    def headers(self, referer: str = "/") -> dict:
        headers = {"X-Forwarded-Proto": "https", "Referer": self.origin + referer}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def request(self, method: str, path: str, body: str | None = None, extra: dict | None = None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        headers = self.headers(path) | (extra or {})
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, content.decode("utf-8", "replace"), dict(response.getheaders())

    def submit(self, path: str, fields: dict) -> tuple[int, str]:
        """Post a form as a browser does; the redirect's target, or the page's error
        messages when the form was refused (so a failed sign-in says why)."""
        status, page, _ = self.request("GET", path)
        token = CSRF_INPUT.search(page)
        assert status == 200 and token, f"no form at {path} ({status})"
        status, page, headers = self.request(
            "POST", path, urlencode({**fields, "csrfmiddlewaretoken": token.group(1)})
        )
        if status == 302:
            return status, headers.get("Location", "")
        return status, " / ".join(re.sub(r"<[^>]+>|\s+", " ", m).strip() for m in ERROR_TEXT.findall(page))

    def login(self, account: dict) -> None:
        status, location = self.submit(
            "/accounts/login/", {"username": account["username"], "password": account["password"]}
        )
        assert status == 302, f"login of {account['username']} refused ({status}): {location}"
        if "totp_key" in account:
            from django_otp.oath import totp

            # The next period's code: the seed signed in with this period's moments ago,
            # and django-otp refuses a code whose period was already used (replay).
            token = f"{totp(bytes.fromhex(account['totp_key']), drift=1):06d}"
            status, location = self.submit("/accounts/2fa/", {"token": token})
            assert status == 302, f"two-factor of {account['username']} refused ({status}): {location}"


# --- the run ------------------------------------------------------------------


def target_for(page, browser: Browser | None, port: int, drafts: int) -> Target:
    headers = {"X-Forwarded-Proto": "https"}
    if browser is not None:
        headers = browser.headers("/") | {"X-CSRFToken": browser.cookies.get("csrftoken", "")}
    if page.get("method") == "POST":
        headers["HX-Request"] = "true"
        return Target(port, page["paths"][:drafts], headers, "POST", page["bodies"])
    return Target(port, [page["path"]], headers)


def current_locks(browser: Browser, page) -> list[int]:
    """Each draft's lock version as its interview page shows it (the client's starting point)."""
    locks = []
    for path in page["paths"]:
        status, html, _ = browser.request("GET", path.replace("autosave/", ""))
        found = LOCK_VERSION.search(html.encode())
        assert status == 200 and found, f"draft page {path} ({status})"
        locks.append(int(found.group(1)))
    return locks


def check_page(browser: Browser | None, port: int, page) -> None:
    """One request first: a page that redirects (to the login, say) would benchmark nothing."""
    if page.get("method") == "POST":
        return  # the autosave runs count every answer other than 200 as failed
    client = browser.at(port) if browser else Browser(port)
    status, _, _ = client.request("GET", page["path"])
    assert status == 200, f"{page['name']}: {status} instead of 200"


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _stop_on_term(signum, frame):
    # Stopped from outside (timeout, kill): still stop the servers and drop the database.
    raise SystemExit(128 + signum)


def main(argv=None) -> int:
    signal.signal(signal.SIGTERM, _stop_on_term)
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zeus_bench"),
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each load run")
    parser.add_argument("--repeats", type=int, default=3, help="alternating page/bare runs per page (median)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--formulations", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=200, help="sessions of the one long-followed patient")
    parser.add_argument("--python-load", action="store_true", help="use the Python load generator, not wrk")
    parser.add_argument("--only", default="", help="comma-separated page names (substrings) to load")
    parser.add_argument("--keep", action="store_true", help="keep the database and logs afterwards")
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="development: reuse the database and seed kept (--keep) in DIR by a former run",
    )
    args = parser.parse_args(argv)
    use_wrk = wrk_available() and not args.python_load

    workdir = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="zeus-bench-"))
    env = app_env(args.database_url, workdir)
    print(f"machine: {os.cpu_count()} cores, load average {loadavg()} (1/5/15 min) at start")
    print(
        f"load generator: {'wrk' if use_wrk else 'python'}, {args.connections} connections, "
        f"{args.seconds:g} s per run, {args.repeats} alternating repeats (medians)"
    )
    seed_out = workdir / "seed.json"
    if not args.reuse:
        recreate_database(args.database_url)
    processes = []
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        if not args.reuse:
            size = {"patients": args.patients, "formulations": args.formulations, "sessions": args.sessions}
            started = time.perf_counter()
            command = [str(BIN / "python"), "-m", "bench.seed", str(seed_out), json.dumps(size)]
            subprocess.run(command, cwd=ROOT, env=env, check=True)
            print(f"seeded in {time.perf_counter() - started:.0f} s")
        else:
            manage(env, "reviews_summary")  # the kept database may predate the last changes
        seed = json.loads(seed_out.read_text())
        print(f"data: {seed['counts']}")

        app_port, bare_port = free_port(), free_port()
        app = start_server(
            gunicorn_command("zeus_assess.wsgi:application", app_port), env, workdir / "app.log", "/health/"
        )
        processes.append(app)
        bare = start_server(
            gunicorn_command("bench.bare:application", bare_port), env, workdir / "bare.log", "/"
        )
        processes.append(bare)
        floor_port = free_port()
        floor_server = start_server(
            gunicorn_command("bench.floor:application", floor_port), env, workdir / "floor.log", "/health/"
        )
        processes.append(floor_server)
        print(f"servers: {' '.join(gunicorn_command('<app>', 0)[2:]).replace(f'{HOST}:0', '<free port>')}")

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeus_assess.settings")
        browsers = {}
        for role, account in seed["accounts"].items():
            browsers[role] = Browser(app_port)
            browsers[role].login(account)

        rows, missed = [], []
        only = [s.strip() for s in args.only.split(",") if s.strip()]
        # The floor (bench/floor.py) for the clinician: the ceiling of every page's ratio.
        floor = {"name": FLOOR, "role": "clinician", "path": "/floor/", "port": floor_port}
        for page in [*seed["pages"], floor]:
            if only and not any(s in page["name"] for s in only):
                continue
            browser = browsers.get(page["role"])
            port = page.get("port", app_port)
            check_page(browser, port, page)
            app_target = target_for(page, browser, port, args.connections)
            bare_target = target_for(page, browser, bare_port, args.connections)
            single = target_for(page, browser, port, 1)
            if page.get("method") == "POST":
                single.paths = [page["path"]]

            def refresh_locks(target, browser=browser):
                if target.method == "POST":
                    time.sleep(1)  # requests still in flight when the last run stopped
                    target.locks = current_locks(browser, {"paths": target.paths})

            # Warm-up: each worker compiles and caches what it caches.
            refresh_locks(app_target)
            run(app_target, connections=args.connections, seconds=1, use_wrk=use_wrk)
            app_runs, bare_runs = [], []
            for _ in range(args.repeats):
                refresh_locks(app_target)
                app_runs.append(
                    run(app_target, connections=args.connections, seconds=args.seconds, use_wrk=use_wrk)
                )
                bare_runs.append(
                    run(bare_target, connections=args.connections, seconds=args.seconds, use_wrk=use_wrk)
                )
            refresh_locks(single)
            alone = run(single, connections=1, seconds=args.seconds, use_wrk=use_wrk)
            rps = statistics.median(r.rps for r in app_runs)
            bare_rps = statistics.median(r.rps for r in bare_runs)
            failed = sum(r.failed for r in app_runs) + alone.failed
            ratio = rps / bare_rps if bare_rps else 0.0
            p95_goal = SINGLE_USER_P95_MS_BY_PAGE.get(page["name"], SINGLE_USER_P95_MS)
            row = {
                "page": page["name"],
                "rps": rps,
                "bare": bare_rps,
                "ratio": ratio,
                "goal": RATIO_GOALS.get(page["name"], 0.0),  # the floor has none: it is the ceiling
                "p50": statistics.median(r.p50_ms for r in app_runs),
                "p95": statistics.median(r.p95_ms for r in app_runs),
                "alone": alone.p95_ms,
                "alone_goal": p95_goal,
                "q_small": seed["queries"]["small"].get(page["name"], 0),
                "q_large": seed["queries"]["large"].get(page["name"], 0),
                "failed": failed,
            }
            problems = []
            if ratio < row["goal"]:
                problems.append("ratio")
            if alone.p95_ms > p95_goal:
                problems.append("1-user p95")
            if failed:
                problems.append(f"{failed} failed answers")
            if row["q_small"] != row["q_large"]:
                problems.append("queries grow")
            row["status"] = "ok" if not problems else "MISSED: " + ", ".join(problems)
            if page["name"] == FLOOR:
                problems = [f"{failed} failed answers"] if failed else []
                row["status"] = problems[0] if problems else "reference: no signed-in page can do better"
            missed += [f"{page['name']}: {p}" for p in problems]
            rows.append(row)
            print(
                f"  {page['name']}: {rps:.0f} req/s vs bare {bare_rps:.0f} ({ratio:.3f}), "
                f"1 user p95 {alone.p95_ms:.0f} ms",
                flush=True,
            )

        rss = worker_rss_mib(app.pid)
        bare_rss = worker_rss_mib(bare.pid)
        print()
        header = (
            f"{'page':<40}{'req/s':>8}{'bare':>8}{'ratio':>8}{'goal':>6}{'p50 ms':>8}{'p95 ms':>8}"
            f"{'1-user p95':>11}{'goal':>6}{'q@10':>6}{'q@1000':>7}  status"
        )
        print(header)
        print("-" * len(header))
        for r in rows:
            print(
                f"{r['page']:<40}{r['rps']:>8.0f}{r['bare']:>8.0f}{r['ratio']:>8.3f}"
                f"{format(r['goal'], '.2f') if r['goal'] else '—':>6}"
                f"{r['p50']:>8.1f}{r['p95']:>8.1f}{r['alone']:>11.1f}{r['alone_goal']:>6}"
                f"{r['q_small']:>6}{r['q_large']:>7}  {r['status']}"
            )
        print()
        print(
            f"app worker RSS after the runs: {', '.join(f'{x:.0f}' for x in rss)} MiB "
            f"(goal < {RSS_GOAL_MIB}); bare view workers: {', '.join(f'{x:.0f}' for x in bare_rss)} MiB"
        )
        if rss and max(rss) >= RSS_GOAL_MIB:
            missed.append(f"worker RSS {max(rss):.0f} MiB")
        print(f"machine: load average {loadavg()} (1/5/15 min) at the end, {os.cpu_count()} cores")
        if missed:
            print("goals missed:\n  " + "\n  ".join(missed))
            return 1
        if not rows:  # --only matched nothing: a seed-only run measures no goal
            print("no page measured (--only matched none)")
            return 0
        print("every goal met")
        return 0
    finally:
        for process in processes:
            stop_server(process)
        if args.keep:
            print(f"kept the database {args.database_url} and the logs in {workdir}")
        else:
            recreate_database(args.database_url, drop_only=True)


if __name__ == "__main__":
    sys.exit(main())
