import datetime

from django.apps import apps
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from .models import MedicationEntry, Patient
from .services import current_entries

LIST_ORDERINGS = {"recent": "-created_at", "record": "record_number", "last_session": "-last_session"}


RESTRICTED = "restricted"
# The interview's `drug_half_life` (cadi@2, prefilled from the medication record).
HALF_LIFE_TEXT = {
    "short": _("short-acting (half-life under 24 hours)"),
    "long": _("long-acting (half-life 24 hours or more)"),
    "unknown": _("unknown"),
}


def patient_list(*, user, status: str = Patient.Status.ACTIVE, ordering: str = "recent", query: str = ""):
    """The user's patients for one list: active, archived, or those whose processing is
    restricted (only there, so that an authorised user can find them to lift it);
    `query` matches the record number or the display name."""
    # Ordering and status come from the query string: only allow-listed values reach SQL.
    order = LIST_ORDERINGS.get(ordering, LIST_ORDERINGS["recent"])
    patients = Patient.objects.visible_to(user)
    if status == RESTRICTED:
        patients = patients.filter(processing_restricted=True)
    else:
        if status not in Patient.Status.values:
            status = Patient.Status.ACTIVE
        patients = patients.everyday().filter(status=status)
    query = query.strip()
    if query:
        patients = patients.filter(Q(record_number__icontains=query) | Q(display_name__icontains=query))
    # The latest session per listed patient as a subquery, not Max() over a join with
    # every session: the page counts patients alone and dates only its 25 rows (over
    # 100,000 sessions the join cost 100 ms a page). Sessions belong to a higher layer,
    # so their model is looked up by name rather than imported.
    sessions = apps.get_model("interviews", "ClinicalSession")._default_manager
    latest = sessions.filter(patient=OuterRef("pk")).order_by("-date").values("date")[:1]
    return patients.annotate(last_session=Subquery(latest)).order_by(order, "pk")


def dose_steps(*, entries, until: datetime.date) -> list[dict]:
    """The diazepam-equivalent dose as steps over the whole history: one point per
    change (the last change wins on a day with several) and one at `until`, so the
    line runs on to today at the dose in force."""
    steps: dict[str, float] = {}
    for entry in sorted(current_entries(entries), key=lambda e: (e.date, e.created_at)):
        steps[entry.date.isoformat()] = float(entry.diazepam_equivalent_mg)
    if steps:
        last = max(steps)
        if until.isoformat() > last:
            steps[until.isoformat()] = steps[last]
    return [{"date": date, "mg": mg} for date, mg in sorted(steps.items())]


def taper_context(*, entries, date: datetime.date, answers: dict) -> dict | None:
    """The medication in force on a session date, for the formulation and the report:
    drug, dose, diazepam equivalent, days since the last change, half-life class."""
    history = [e for e in current_entries(entries) if e.date <= date]
    if not history:
        return None
    history.sort(key=lambda e: (e.date, e.created_at))
    last = history[-1]
    changes = [e for e in history if e.kind != MedicationEntry.Kind.DOSE]
    days = answers.get("days_since_dose_change")
    if days is None and changes:
        days = (date - changes[-1].date).days
    return {
        "drug": last.get_drug_display(),
        "dose": last.daily_dose_mg.normalize(),
        "diazepam": last.diazepam_equivalent_mg,
        "days_since_change": days,
        "half_life": HALF_LIFE_TEXT.get(str(answers.get("drug_half_life")), ""),
    }
