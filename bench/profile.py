"""Where a page's time goes: cProfile, queries and middleware, in one process.

Usage (after `python -m bench.run --keep`, which prints the folder it kept):
    DATABASE_URL=postgres://.../zeus_bench SECRET_KEY=x DEBUG=0 \\
    .venv/bin/python -m bench.profile DIR "patient page" [--repeat 20] [--top 25]

Runs the page `repeat` times through Django's test client under the production
settings and prints the mean time per request, the queries of one request with
their times, the time spent inside each middleware (itself and everything inside
it) and the functions with the most cumulative and own time.
"""

import argparse
import cProfile
import io
import json
import pstats
import statistics
import time
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from assessments.interviews.models import Interview  # noqa: E402
from bench.seed import login  # noqa: E402


def middleware_timings(client, request):
    """Wrap each middleware's __call__ and record inclusive time per request."""
    totals: dict[str, float] = {}
    originals = {}
    for path in settings.MIDDLEWARE:
        cls = import_string(path)
        original = cls.__call__
        originals[cls] = original

        def timed(self, req, _original=original, _name=path):
            started = time.perf_counter()
            try:
                return _original(self, req)
            finally:
                totals[_name] = totals.get(_name, 0.0) + time.perf_counter() - started

        cls.__call__ = timed
    try:
        request()
    finally:
        for cls, original in originals.items():
            cls.__call__ = original
    return totals


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("page")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--dump", metavar="FILE", help="also write the profile (pstats) to FILE")
    args = parser.parse_args()
    seed = json.loads((Path(args.dir) / "seed.json").read_text())
    page = next(p for p in seed["pages"] if args.page in p["name"])
    client = login(seed["accounts"][page["role"]]) if page["role"] else None
    if client is None:
        from django.test import Client

        client = Client(HTTP_HOST="127.0.0.1")

    def request():
        if page.get("method") == "POST":
            lock = Interview.objects.get(uuid=seed["drafts"][0]["uuid"]).lock_version
            body = f"{page['bodies'][0]}&lock_version={lock}"
            response = client.post(
                page["path"],
                body,
                content_type="application/x-www-form-urlencoded",
                secure=True,
                HTTP_HX_REQUEST="true",
            )
        else:
            response = client.get(page["path"], secure=True)
        assert response.status_code == 200, response.status_code

    request()  # warm caches, as a running worker has them
    with CaptureQueriesContext(connection) as captured:
        request()
    print(f"{page['name']}: {len(captured)} queries")
    for query in captured.captured_queries:
        print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:150]}")
    mw = middleware_timings(client, request)
    print("middleware, inclusive ms (outermost first):")
    for name in settings.MIDDLEWARE:
        if name in mw:
            print(f"  {mw[name] * 1000:7.2f}  {name}")
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        request()
        times.append(1000 * (time.perf_counter() - started))
    # The median: a shared machine's pauses make the mean jump between identical runs.
    print(
        f"median {statistics.median(times):.1f} ms per request, fastest {min(times):.1f}, "
        f"mean {statistics.fmean(times):.1f} (no profiler)"
    )
    if page["role"]:  # what the same user pays on a view that does nothing (bench/floor_urls.py)
        with override_settings(ROOT_URLCONF="bench.floor_urls"):
            assert client.get("/floor/", secure=True).status_code == 200
            floors = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                client.get("/floor/", secure=True)
                floors.append(1000 * (time.perf_counter() - started))
            floor = statistics.median(floors)
            floor_mw = middleware_timings(client, lambda: client.get("/floor/", secure=True))
        print("floor's middleware, inclusive ms (outermost first):")
        for name in settings.MIDDLEWARE:
            if name in floor_mw:
                print(f"  {floor_mw[name] * 1000:7.2f}  {name}")
        print(
            f"floor {floor:.1f} ms per request (median): the same middleware, session and sign-in, "
            "an empty view"
        )
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.repeat):
        request()
    profiler.disable()
    if args.dump:  # for pstats' print_callers: who calls the expensive function
        profiler.dump_stats(args.dump)
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(args.top)
        print(f"--- by {key} ---")
        print("\n".join(out.getvalue().splitlines()[6:]))


if __name__ == "__main__":
    main()
