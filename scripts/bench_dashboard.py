"""Supervisor dashboard and queue at 100,000 formulations: prints timings.

Runs against a throwaway test database on whatever DATABASE_URL names (SQLite by
default). Usage: .venv/bin/python scripts/bench_dashboard.py [N]
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeus_assess.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402


def seed(n: int):
    from assessments.accounts.services import generate_password, supervision_add, user_create
    from assessments.formulation.models import Formulation
    from assessments.interviews.models import ClinicalSession, Interview
    from assessments.patients.models import Patient
    from assessments.questionsets.services import default_question_set_ensure
    from assessments.reviews.models import Review

    version = default_question_set_ensure()
    supervisor, _ = user_create(username="bench_sup", role="supervisor", password=generate_password())
    clinicians = [
        user_create(username=f"bench_c{i}", role="clinician", password=generate_password())[0]
        for i in range(10)
    ]
    for clinician in clinicians:
        supervision_add(supervisor=supervisor, clinician=clinician)
    patients = Patient.objects.bulk_create(
        Patient(primary_clinician=clinicians[i % 10], record_number=f"ZX-{i:06d}") for i in range(n // 10)
    )
    today = datetime.date.today()
    now = timezone.now()
    dominants = ["craving", "anxiety", "mixed", "insufficient"]
    impressions = ["mainly_craving", "mainly_anxiety", "mixed", "unclear"]
    batch = 5000
    for start in range(0, n, batch):
        size = min(batch, n - start)
        sessions = ClinicalSession.objects.bulk_create(
            ClinicalSession(
                patient=patients[(start + k) % len(patients)],
                clinician=clinicians[((start + k) % len(patients)) % 10],
                date=today - datetime.timedelta(days=(start + k) % 365),
            )
            for k in range(size)
        )
        interviews = Interview.objects.bulk_create(
            Interview(
                session=s,
                question_set_version=version,
                status="finalized",
                answers={},
                finalized_at=now,
                finalized_by=s.clinician,
            )
            for s in sessions
        )
        formulations = Formulation.objects.bulk_create(
            Formulation(
                interview=i,
                question_set_version=version,
                engine_version="bench",
                answers={},
                result={"flags": []},
                dominant=dominants[(start + k) % 4],
                craving_share=50,
            )
            for k, i in enumerate(interviews)
        )
        Review.objects.bulk_create(
            Review(
                formulation=f,
                interview=f.interview,
                clinician=f.interview.finalized_by,
                submitted_at=now - datetime.timedelta(days=(start + k) % 365),
                clinician_impression=impressions[(start + k) % 4],
                engine_impression=impressions[(start + k) % 4 if k % 3 else 2],
                supervisor_impression="" if k % 5 == 0 else impressions[(start + k + k % 2) % 4],
                dominant=f.dominant,
                flags_text=" ",
                status="pending" if k % 5 == 0 else "endorsed",
                decided_by=None if k % 5 == 0 else supervisor,
                decided_at=None if k % 5 == 0 else now,
            )
            for k, f in enumerate(formulations)
        )
    return supervisor


def timed(label, func, repeat=5):
    best, queries = float("inf"), 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            func()
            best = min(best, time.perf_counter() - started)
        queries = len(captured)
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:2]
    detail = "; ".join(f"{float(q['time']) * 1000:.0f} ms: {q['sql'][:80]}" for q in slowest)
    print(f"{label}: best of {repeat} {best * 1000:.0f} ms, {queries} queries (slowest: {detail})")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        supervisor = seed(n)
        took = time.perf_counter() - started
        print(f"seeded {n} formulations and reviews on {connection.vendor} in {took:.0f} s")
        from assessments.reviews import selectors

        timed("dashboard (all)", lambda: selectors.dashboard(user=supervisor))
        since = datetime.date.today() - datetime.timedelta(days=90)
        timed("dashboard (90 days)", lambda: selectors.dashboard(user=supervisor, date_from=since))
        timed("queue, first 50", lambda: list(selectors.review_queue(user=supervisor)[:50]))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
