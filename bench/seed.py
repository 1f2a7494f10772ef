"""Seed the benchmark database and count each page's queries (run by bench/run.py).

`python -m bench.seed OUT.json` under the production settings (DATABASE_URL naming
the bench database, already migrated): seeds a small team (10 patients), counts the
queries of every benchmarked page, grows it to 1,000 patients, one patient with 200
sessions and 100,000 formulations for the supervisor pages, counts again, and writes
the accounts, page addresses and counts to OUT.json.

The small data goes through the services (as the app writes it); the bulk goes in
with bulk_create, with answers and results the engine really produced.
"""

import datetime
import json
import random
import sys
import time
from urllib.parse import urlencode

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.oath import totp  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from assessments.accounts.services import generate_password, supervision_add, user_create  # noqa: E402
from assessments.formulation.models import Formulation  # noqa: E402
from assessments.formulation.services import compiled_for, formulation_compute  # noqa: E402
from assessments.interviews import services as interview_services  # noqa: E402
from assessments.interviews.forms import NONE_OF_THESE  # noqa: E402
from assessments.interviews.models import ClinicalSession, Interview  # noqa: E402
from assessments.patients.models import MedicationEntry, Patient  # noqa: E402
from assessments.patients.services import medication_add, patient_create  # noqa: E402
from assessments.questionsets.services import default_question_set_ensure  # noqa: E402
from assessments.reviews.models import ENGINE_TO_IMPRESSION, Review  # noqa: E402

HOST = "127.0.0.1"
RNG = random.Random(16)
AUTOSAVE_DRAFTS = 8  # one per load-generator connection: a user autosaves only their own draft
BATCH = 2000


def _answer(item, rng):
    codes = item.option_codes
    if item.type == "single":
        return rng.choice(codes)
    if item.type == "multi":
        plain = [c for c in codes if c != "none"]
        return rng.sample(plain, k=rng.randint(1, min(3, len(plain))))
    if item.type == "scale":
        return rng.randint(0, 4)
    if item.type == "integer":
        return rng.randint(item.minimum, min(item.maximum, 60))
    return rng.choice(["", "Sleeps badly since the last reduction.", "Worried about work; no other change."])


def answer_set(compiled, rng, share: float = 1.0) -> dict:
    """Valid answers to a share of the items, with the clinician's impression."""
    answers = {}
    for code, item in compiled.definition.items.items():
        if rng.random() <= share:
            value = _answer(item, rng)
            if value != "":
                answers[code] = value
    answers = compiled.visible_answers(answers)
    answers.setdefault("clinician_impression", rng.choice(["mainly_craving", "mainly_anxiety", "mixed"]))
    assert not compiled.validate(answers), compiled.validate(answers)
    return answers


def form_body(answers: dict) -> str:
    """The answers as the interview form posts them (every multi as repeated keys)."""
    pairs = []
    for code, value in answers.items():
        if isinstance(value, list):
            pairs.extend((code, v) for v in (value or [NONE_OF_THESE]))
        else:
            pairs.append((code, str(value)))
    return urlencode(pairs)


def make_user(username, role, key=None):
    password = generate_password()
    user, _ = user_create(username=username, role=role, password=password)
    account = {"username": username, "password": password, "role": role}
    if key:
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True, key=key)
        account["totp_key"] = key
    return user, account


def seed_small(version, compiled):
    import secrets

    today = datetime.date.today()
    accounts = {}
    clinician, accounts["clinician"] = make_user("bench_clinician", "clinician")
    supervisor, accounts["supervisor"] = make_user("bench_supervisor", "supervisor", secrets.token_hex(20))
    admin, accounts["questionset_admin"] = make_user(
        "bench_qsadmin", "questionset_admin", secrets.token_hex(20)
    )
    team = [clinician] + [make_user(f"bench_c{i}", "clinician")[0] for i in range(1, 10)]
    for member in team:
        supervision_add(supervisor=supervisor, clinician=member)
    patients = [patient_create(user=clinician, display_name=f"Bench patient {i}") for i in range(10)]
    for patient in patients:
        medication_add(
            patient=patient,
            user=clinician,
            drug="lorazepam",
            kind="dose",
            daily_dose_mg=2,
            date=today - datetime.timedelta(days=120),
        )
        medication_add(
            patient=patient,
            user=clinician,
            drug="lorazepam",
            kind="reduction",
            daily_dose_mg=1,
            date=today - datetime.timedelta(days=20),
        )
    main = patients[0]
    formulation = None
    for k in range(5):
        interview = interview_services.session_start(
            patient=main, user=clinician, date=today - datetime.timedelta(days=7 * (5 - k))
        )
        interview_services.interview_save_draft(
            interview=interview,
            user=clinician,
            answers=answer_set(compiled, RNG),
            lock_version=interview.lock_version,
        )
        interview.refresh_from_db()
        formulation = interview_services.interview_finalize(
            interview=interview, user=clinician, password=accounts["clinician"]["password"]
        )
    drafts = []
    for k in range(AUTOSAVE_DRAFTS + 1):
        interview = interview_services.session_start(patient=patients[1 + k % 9], user=clinician, date=today)
        half = answer_set(compiled, RNG, share=0.5)
        interview_services.interview_save_draft(
            interview=interview, user=clinician, answers=half, lock_version=interview.lock_version
        )
        interview.refresh_from_db()
        drafts.append({"uuid": str(interview.uuid), "answers": half, "lock_version": interview.lock_version})
    # Two autosave bodies that differ in one answer, so each save changes something.
    toggled = next(
        code
        for code, item in compiled.definition.items.items()
        if item.type == "scale" and not item.visible_if
    )
    bodies = [form_body({**drafts[0]["answers"], toggled: v}) for v in (1, 3)]
    return {
        "accounts": accounts,
        "users": {"clinician": clinician, "supervisor": supervisor, "questionset_admin": admin},
        "team": team,
        "main_patient": main,
        "formulation": formulation,
        "drafts": drafts,
        "autosave_bodies": bodies,
        "version": version,
    }


def results_pool(version, compiled, n=40):
    """Real engine output for n answer sets (English and every other language)."""
    pool = []
    languages = [lang for lang in compiled.definition.languages if lang != "en"]
    for _ in range(n):
        answers = answer_set(compiled, RNG, share=RNG.choice([0.6, 0.8, 1.0]))
        result = formulation_compute(version=version, answers=answers)
        translations = {
            lang: formulation_compute(version=version, answers=answers, lang=lang) for lang in languages
        }
        pool.append((answers, result, translations))
    return pool


def bulk_sessions(patient_clinician_pairs, version, pool, *, now, days_back, supervisor):
    """One session, finalized interview, formulation and review for each (patient,
    clinician) pair, spread over `days_back` days; about a tenth still pending."""
    for start in range(0, len(patient_clinician_pairs), BATCH):
        chunk = patient_clinician_pairs[start : start + BATCH]
        with transaction.atomic():
            offsets = [RNG.randrange(days_back * 24 * 60) for _ in chunk]
            sessions = ClinicalSession.objects.bulk_create(
                ClinicalSession(
                    patient=patient, clinician=clinician, date=(now - datetime.timedelta(minutes=off)).date()
                )
                for (patient, clinician), off in zip(chunk, offsets, strict=True)
            )
            picks = [pool[RNG.randrange(len(pool))] for _ in chunk]
            interviews = Interview.objects.bulk_create(
                Interview(
                    session=s,
                    question_set_version=version,
                    status="finalized",
                    answers=answers,
                    finalized_at=now - datetime.timedelta(minutes=off),
                    finalized_by=s.clinician,
                )
                for s, (answers, _r, _t), off in zip(sessions, picks, offsets, strict=True)
            )
            formulations = Formulation.objects.bulk_create(
                Formulation(
                    interview=i,
                    question_set_version=version,
                    engine_version=result["engine_version"],
                    answers=answers,
                    result=result,
                    translations=translations,
                    dominant=result["dominant"],
                    craving_share=result["craving_share"],
                    safety_urgent="safety_urgent" in result["flags"],
                    created_by=i.finalized_by,
                )
                for i, (answers, result, translations) in zip(interviews, picks, strict=True)
            )
            reviews = []
            for f, off in zip(formulations, offsets, strict=True):
                pending = RNG.random() < 0.1
                engine = ENGINE_TO_IMPRESSION[f.dominant]
                reviews.append(
                    Review(
                        formulation=f,
                        interview=f.interview,
                        patient_id=f.interview.session.patient_id,
                        clinician=f.interview.finalized_by,
                        submitted_at=now - datetime.timedelta(minutes=off),
                        clinician_impression=f.answers.get("clinician_impression", "unclear"),
                        engine_impression=engine,
                        supervisor_impression=""
                        if pending
                        else RNG.choice([engine, engine, "mixed", "unclear"]),
                        dominant=f.dominant,
                        flags_text=" " + " ".join(f.result["flags"]) + " ",
                        safety_urgent=f.safety_urgent,
                        status="pending" if pending else "endorsed",
                        decided_by=None if pending else supervisor,
                        decided_at=None if pending else now - datetime.timedelta(minutes=off) / 2,
                    )
                )
            Review.objects.bulk_create(reviews)


def seed_large(data, compiled, *, patients: int, formulations: int, sessions: int):
    now = timezone.now()
    today = now.date()
    clinician = data["users"]["clinician"]
    version = data["version"]
    pool = results_pool(version, compiled)
    existing = Patient.objects.filter(primary_clinician=clinician).count()
    new = Patient.objects.bulk_create(
        Patient(primary_clinician=clinician, display_name=f"Bench patient {i}", record_number=f"ZB-{i:06d}")
        for i in range(existing, patients)
    )
    MedicationEntry.objects.bulk_create(
        MedicationEntry(
            patient=p,
            drug="diazepam",
            kind="dose",
            daily_dose_mg=10,
            diazepam_equivalent_mg=10,
            date=today - datetime.timedelta(days=RNG.randrange(400)),
            created_by=clinician,
        )
        for p in new
    )
    main = data["main_patient"]
    have = ClinicalSession.objects.filter(patient=main).count()
    bulk_sessions(
        [(main, clinician)] * (sessions - have),
        version,
        pool,
        now=now,
        days_back=700,
        supervisor=data["users"]["supervisor"],
    )
    # The rest of the team: 100 patients each; the formulations spread over the whole team.
    team_patients = list(Patient.objects.filter(primary_clinician=clinician).exclude(pk=main.pk))
    for member in data["team"][1:]:
        team_patients += Patient.objects.bulk_create(
            Patient(primary_clinician=member, record_number=f"ZT-{member.pk}-{i:04d}") for i in range(100)
        )
    have = Formulation.objects.count()
    pairs = [
        (p, p.primary_clinician)
        for p in (team_patients[RNG.randrange(len(team_patients))] for _ in range(formulations - have))
    ]
    bulk_sessions(pairs, version, pool, now=now, days_back=730, supervisor=data["users"]["supervisor"])
    # bulk_create bypasses the services that keep the dashboard's summary: rebuild it,
    # as the hourly beat task (or `manage.py reviews_summary` after an import) does.
    from assessments.reviews import summary

    summary.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def login(account) -> Client:
    """Sign in through the real login form (and the TOTP form for the roles that need it)."""
    client = Client(HTTP_HOST=HOST)
    response = client.post(
        reverse("login"), {"username": account["username"], "password": account["password"]}, secure=True
    )
    assert response.status_code == 302, f"login of {account['username']} failed ({response.status_code})"
    if "totp_key" in account:
        # django-otp refuses a period's code once used (replay): a second sign-in within
        # the same 30 s (bench/profile.py run twice) takes the next period's code.
        device = TOTPDevice.objects.get(user__username=account["username"])
        drift = 1 if device.last_t >= int(time.time()) // device.step else 0
        token = f"{totp(bytes.fromhex(account['totp_key']), drift=drift):06d}"
        response = client.post(reverse("two-factor"), {"token": token}, secure=True)
        assert response.status_code == 302, f"two-factor of {account['username']} failed"
    return client


def pages(data) -> list[dict]:
    draft = data["drafts"][0]
    return [
        {"name": "login page (GET)", "role": None, "path": reverse("login")},
        {"name": "patient list", "role": "clinician", "path": reverse("patient-list")},
        {
            "name": "patient page",
            "role": "clinician",
            "path": reverse("patient-detail", args=[data["main_patient"].uuid]),
        },
        {
            "name": "interview page (draft, half answered)",
            "role": "clinician",
            "path": reverse("interview-detail", args=[draft["uuid"]]),
        },
        {
            "name": "autosave POST",
            "role": "clinician",
            "method": "POST",
            "paths": [reverse("interview-autosave", args=[d["uuid"]]) for d in data["drafts"][1:]],
            "path": reverse("interview-autosave", args=[draft["uuid"]]),
            "bodies": data["autosave_bodies"],
        },
        {
            "name": "formulation page",
            "role": "clinician",
            "path": reverse("formulation-detail", args=[data["formulation"].uuid]),
        },
        {"name": "review queue", "role": "supervisor", "path": reverse("review-queue")},
        {"name": "supervisor dashboard", "role": "supervisor", "path": reverse("review-dashboard")},
        {"name": "question-set list", "role": "questionset_admin", "path": reverse("questionset-list")},
    ]


def _request(client, page, data):
    if page.get("method") == "POST":
        lock = Interview.objects.get(uuid=data["drafts"][0]["uuid"]).lock_version
        return client.post(
            page["path"],
            f"{data['autosave_bodies'][0]}&lock_version={lock}",
            content_type="application/x-www-form-urlencoded",
            secure=True,
            HTTP_HX_REQUEST="true",
        )
    return client.get(page["path"], secure=True)


def count_queries(data, clients) -> dict:
    """Each page's queries, counted on its second request: the first after a pause may
    also refresh the session's idle clock (once a minute), which is not the page's."""
    counts = {}
    for page in pages(data):
        client = clients.get(page["role"]) or Client(HTTP_HOST=HOST)
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = _request(client, page, data)
        assert response.status_code == 200, f"{page['name']}: {response.status_code}"
        counts[page["name"]] = len(captured)
    return counts


def main():
    out, size = sys.argv[1], json.loads(sys.argv[2])
    started = time.perf_counter()
    version = default_question_set_ensure()
    compiled = compiled_for(version)
    data = seed_small(version, compiled)
    clients = {role: login(account) for role, account in data["accounts"].items()}
    small = count_queries(data, clients)
    seeded_small = time.perf_counter() - started
    seed_large(data, compiled, **size)
    large = count_queries(data, clients)
    report = {
        "accounts": data["accounts"],
        "pages": pages(data),
        "drafts": [{"uuid": d["uuid"]} for d in data["drafts"]],
        "queries": {"small": small, "large": large},
        "counts": {
            "patients": Patient.objects.count(),
            "clinician_patients": Patient.objects.filter(
                primary_clinician=data["users"]["clinician"]
            ).count(),
            "main_patient_sessions": ClinicalSession.objects.filter(patient=data["main_patient"]).count(),
            "formulations": Formulation.objects.count(),
            "pending_reviews": Review.objects.filter(status="pending").count(),
        },
        "seconds": {"small": round(seeded_small, 1), "total": round(time.perf_counter() - started, 1)},
    }
    with open(out, "w") as handle:
        json.dump(report, handle, indent=1)


if __name__ == "__main__":
    main()
