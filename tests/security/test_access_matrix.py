"""Access-control matrix: every URL the resolver knows × every role × own and other's
records × GET and POST. A new URL is covered without anyone adding it here; a URL the
matrix cannot place (an unknown URL argument, an unnamed route) fails the test."""

import dataclasses
import datetime

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessments.patients.services import medication_add
from assessments.questionsets.services import version_clone
from assessments.questionsets.whatif import whatif_request
from assessments.reports.services import report_request
from assessments.reviews.models import Notification
from tests.conftest import PASSWORD, make_user
from tests.factories import draft_interview, finalized_interview, patient_for, vignette

# Reachable without logging in, by design.
PUBLIC = {"login", "health", "set_language"}
# The Django admin checks `is_staff` itself; none of the product roles is staff.
STAFF_ONLY_NAMESPACES = {"admin"}


@dataclasses.dataclass
class Side:
    """One clinician's records."""

    clinician: object
    patient: object
    interview: object
    draft: object
    formulation: object
    review: object
    notification: object
    job: object
    entry: object


def _side(username, supervisor, committed) -> Side:
    clinician = make_user(username, "clinician")
    from assessments.accounts.services import supervision_add

    if supervisor is not None:
        supervision_add(supervisor=supervisor, clinician=clinician)
    patient = patient_for(clinician)
    answers = {
        **vignette("P6-anxiety-with-active-suicidal-thoughts")["answers"],
        "clinician_impression": "mixed",
    }
    with committed():
        interview, formulation = finalized_interview(patient, clinician, answers, PASSWORD)
    draft = draft_interview(patient, clinician)
    notification = Notification.objects.create(
        recipient=clinician, review=formulation.review, kind="returned"
    )
    with committed():
        job = report_request(user=clinician, kind="csv", language="en")
    entry = medication_add(
        patient=patient,
        user=clinician,
        drug="diazepam",
        kind="dose",
        daily_dose_mg=10,
        date=datetime.date(2026, 1, 5),
    )
    return Side(
        clinician, patient, interview, draft, formulation, formulation.review, notification, job, entry
    )


class QuestionSetWorld:
    """A fresh draft of cadi per request (admins' POSTs publish, retire or delete it),
    with an item, a rule, a test case and a what-if run to point at."""

    def __init__(self, admin, cadi, committed):
        self.admin, self.cadi, self.committed = admin, cadi, committed

    def values(self, arguments) -> dict:
        draft = version_clone(version=self.cadi, user=self.admin)
        definition = draft.definition
        placed = {
            "version_uuid": draft.uuid,
            "code": definition["sections"][1]["items"][0]["code"],
            "rule_id": definition["rules"][0]["id"],
            "case_id": definition["test_cases"][0]["id"],
        }
        if "run_uuid" in arguments:
            with self.committed():
                placed["run_uuid"] = whatif_request(version=draft, user=self.admin).uuid
        return {arg: placed[arg] for arg in arguments}


# URL argument → the record of a side that fills it.
PLACERS = {
    "patient_uuid": lambda side: side.patient.uuid,
    "interview_uuid": lambda side: side.interview.uuid,
    "formulation_uuid": lambda side: side.formulation.uuid,
    "review_uuid": lambda side: side.review.uuid,
    "notification_uuid": lambda side: side.notification.uuid,
    "job_uuid": lambda side: side.job.uuid,
    "entry_uuid": lambda side: side.entry.uuid,
}
# Question-set administration: not patient data, one role (plus superusers).
QUESTION_SET_ARGUMENTS = {"version_uuid", "code", "rule_id", "case_id", "run_uuid"}
# The what-if report lists the pseudonymous record numbers whose formulation would
# change (issue 5 asks for exactly that), so admins may see record numbers there.
RECORD_NUMBERS_ALLOWED = {("qs_admin", "questionset-whatif"), ("qs_admin", "questionset-whatif-progress")}
# Who is the care team of a record-bound URL on their own records (issue #11, item 12: the
# matrix must also prove that they are let in, or a check refusing everybody would pass).
# Reviews belong to the clinician's supervisor; every other record to its clinician.
CARE_TEAM = {
    "review-detail": {"supervisor"},
    "review-decide": {"supervisor"},
    "review-acknowledge": {"supervisor"},
}
# Routes whose argument is better served by a draft than by the finalized interview.
DRAFT_ROUTES = {"interview-autosave", "interview-finalize"}


def _routes(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def test_it_allows_only_the_care_team_on_every_url(db, cadi, committed):
    supervisor = make_user("matrix_supervisor", "supervisor")
    own = _side("matrix_clinician", supervisor, committed)
    other = _side("matrix_other", None, committed)
    admin = make_user("matrix_admin", "questionset_admin")
    roles = {"anonymous": None, "clinician": own.clinician, "supervisor": supervisor, "qs_admin": admin}
    # Record numbers each role may never see in any response.
    forbidden = {
        "anonymous": {own.patient.record_number, other.patient.record_number},
        "clinician": {other.patient.record_number},
        "supervisor": {other.patient.record_number},
        "qs_admin": {own.patient.record_number, other.patient.record_number},
    }
    question_sets = QuestionSetWorld(admin, cadi, committed)
    failures, checked, unplaced, placed_routes = [], 0, [], 0
    for namespace, route in _routes():
        if namespace.rstrip(":") in STAFF_ONLY_NAMESPACES:
            continue
        if not route.name:
            unplaced.append(str(route.pattern))
            continue
        arguments = list(route.pattern.converters)
        if any(arg not in PLACERS and arg not in QUESTION_SET_ARGUMENTS for arg in arguments):
            unplaced.append(f"{route.name}({', '.join(arguments)})")
            continue
        placed_routes += 1
        admin_route = route.name.startswith("questionset-")
        for side_name, side in (("own", own), ("other", other)):
            if side_name == "other" and (not arguments or admin_route):
                continue
            placed = dict(side.__dict__)
            if route.name in DRAFT_ROUTES:
                placed["interview"] = side.draft
            for role, user in roles.items():
                for method in ("get", "post"):
                    if admin_route:
                        values = question_sets.values(arguments)
                    else:
                        values = {arg: PLACERS[arg](Side(**placed)) for arg in arguments}
                    url = reverse(namespace + route.name, kwargs=values)
                    client = Client()
                    if user is not None:
                        client.force_login(user)
                    response = getattr(client, method)(url)
                    checked += 1
                    body = response.content.decode(errors="replace")
                    hidden = set() if (role, route.name) in RECORD_NUMBERS_ALLOWED else forbidden[role]
                    problem = _judge(route.name, role, side_name, arguments, response, body, hidden)
                    if problem:
                        failures.append(f"{method.upper()} {url} as {role} ({side_name}): {problem}")
    assert not unplaced, f"URLs the matrix cannot place: {unplaced}"
    assert not failures, "\n".join(failures[:40])
    assert checked > 200
    print(f"\naccess matrix: {placed_routes} URL patterns, {checked} requests, {len(failures)} failures")


def _judge(name, role, side, arguments, response, body, forbidden) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    leaked = [number for number in forbidden if number in body]
    if leaked:
        return f"leaks {leaked}"
    if role == "anonymous":
        if name in PUBLIC:
            return None
        if status == 302 and "/accounts/login/" in response["Location"]:
            return None
        if status in (401, 403) and name.startswith("api"):
            return None
        return f"anonymous got {status}"
    if name.startswith("questionset-"):
        allowed = role == "qs_admin"
        if not allowed and status not in (403, 405):
            return f"{role} got {status} on question-set administration"
        if allowed and status in (403, 404):
            return f"question-set admin got {status}"
        return None
    record_bound = bool(arguments)
    care_team = CARE_TEAM.get(name, {"clinician"})
    if record_bound and side == "own" and role in care_team and status in (401, 403, 404):
        return f"care team ({role}) refused with {status}"
    outsider = side == "other" and role in ("clinician", "supervisor", "qs_admin")
    if record_bound and outsider and status not in (403, 404, 405):
        return f"outsider got {status}"
    if record_bound and role == "qs_admin" and status not in (403, 404, 405):
        return f"admin without patient access got {status}"
    return None
