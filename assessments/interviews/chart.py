"""What the patient's chart page shows (medication, sessions, timeline, the forms to add
to them), for the chart's views and for the session form's refusal, which re-renders it."""

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from assessments.core.errors import summary_from_form
from assessments.patients import selectors as patient_selectors
from assessments.patients.forms import MedicationForm

from . import selectors
from .forms import SessionForm

# The session list is paged (newest first); the timeline covers the whole history.
SESSIONS_PER_PAGE = 20


def chart_context(request, patient, **forms):
    entries = list(patient.medication_entries.all())
    sessions = Paginator(selectors.patient_sessions_overview(patient), SESSIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    superseded = {e.supersedes_id for e in entries if e.supersedes_id}
    today = timezone.localdate()
    timeline = selectors.patient_timeline(patient=patient, entries=entries)
    errors = [e for form in forms.values() for e in summary_from_form(form)]
    return {
        "patient": patient,
        "entries": [(e, e.pk in superseded) for e in entries],
        "sessions": sessions,
        "session_rows": selectors.session_rows(sessions.object_list),
        "timeline": timeline,
        "timeline_rows": timeline_rows(timeline),
        "chart": {"points": timeline, "dose": patient_selectors.dose_steps(entries=entries, until=today)},
        "medication_form": forms.get("medication_form") or MedicationForm(initial={"date": today}),
        "session_form": forms.get("session_form") or SessionForm(initial={"date": today}),
        "error_summary": errors,
        # The language switch returns here, also from a refused form that a POST-only
        # address (medication, session) answered with this page.
        "language_next": reverse("patient-detail", args=[patient.uuid]),
    }


def _or_dash(value, suffix: str = "") -> str:
    return "—" if value is None else f"{localize(value)}{suffix}"


def timeline_rows(points: list[dict]) -> SafeString:
    """The timeline table's rows (the chart's accessible twin), every cell escaped by
    format_html_join. Built here, not by a template loop: a patient followed for years
    has hundreds of finalized interviews, and the template engine resolving five cells
    a row was a third of the patient page's time."""
    return format_html_join(
        "",
        '<tr><td>{}</td><td class="text-end">{}</td><td class="text-end">{}</td>'
        '<td class="text-end">{}</td><td>{}</td></tr>',
        (
            (
                point["date"],
                _or_dash(point["diazepam_mg"]),
                _or_dash(point["craving_share"], "%"),
                _or_dash(point["anxiety_share"], "%"),
                point["dominant_text"],
            )
            for point in points
        ),
    )
