"""How flags read on the supervisor's screens: a label, a severity in words and a
colour that only repeats what the words say.

The vocabulary comes from the engine (KNOWN_FLAGS), so flags a newer question-set
version adds appear in the filters without a change here; a flag without a
translated label of its own is shown by its code made readable rather than hidden.
"""

import functools

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, pgettext_lazy

from assessments.formulation.engine.records import KNOWN_FLAGS
from assessments.formulation.presentation import flag_label

URGENT, REVIEW, INFO = "urgent", "review", "info"

# Urgent: act today (named acknowledgement). Review: a clinician must look at it
# soon. Everything else describes the picture and is shown neutrally.
SEVERITY = {
    "safety_urgent": URGENT,
    "medical_urgent": URGENT,
    "safety_review": REVIEW,
    "mood_review": REVIEW,
    "overdose_risk": REVIEW,
}
SEVERITY_ORDER = {URGENT: 0, REVIEW: 1, INFO: 2}
SEVERITY_WORD = {
    URGENT: pgettext_lazy("flag severity", "Urgent"),
    REVIEW: pgettext_lazy("flag severity", "Review"),
    INFO: "",
}
# Bootstrap badge classes; red is reserved for safety (see app.css).
SEVERITY_CSS = {URGENT: "text-bg-danger", REVIEW: "text-bg-warning", INFO: "text-bg-light border"}


def severity(code: str) -> str:
    return SEVERITY.get(code, INFO)


@functools.lru_cache(maxsize=512)
def _badges(language: str | None, codes: tuple[str, ...]) -> tuple[dict, ...]:
    """Flags as shown: most severe first, each with its words and colour, the texts
    translated once per flag set and language (resolving a lazy text per badge per row
    was a good part of the queue). Bounded, and lru_cache is thread-safe; callers only
    read the badges."""
    known = {code: index for index, code in enumerate(KNOWN_FLAGS)}
    ordered = sorted(
        dict.fromkeys(codes), key=lambda c: (SEVERITY_ORDER[severity(c)], known.get(c, len(known)), c)
    )
    return tuple(
        {
            "code": code,
            "label": str(flag_label(code)),
            "severity": severity(code),
            "severity_word": str(SEVERITY_WORD[severity(code)]),
            "css": SEVERITY_CSS[severity(code)],
        }
        for code in ordered
    )


def flag_filter_choices() -> list[tuple[str, str]]:
    """Every flag any question-set version can raise, most severe first."""
    return [(badge["code"], badge["label"]) for badge in _badges(get_language(), tuple(KNOWN_FLAGS))]


def badges_html(codes) -> SafeString:
    """A row's flag badges as markup, made once per flag set and language."""
    return _badges_html(get_language(), tuple(codes))


@functools.lru_cache(maxsize=512)
def _badges_html(language: str | None, codes: tuple[str, ...]) -> SafeString:
    return format_html_join(
        "",
        '<span class="badge {} me-1 flag-badge" data-severity="{}" data-flag="{}">{}{}</span>',
        (
            (
                badge["css"],
                badge["severity"],
                badge["code"],
                format_html('<span class="flag-severity fw-bold">{}</span> · ', badge["severity_word"])
                if badge["severity_word"]
                else "",
                badge["label"],
            )
            for badge in _badges(language, codes)
        ),
    )


def queue_rows(reviews, overdue_cutoff) -> SafeString:
    """The queue's table rows, every value escaped by format_html. Built here, not by a
    template loop: fifty rows of seven cells through the template engine were most of
    the queue's time (tests/reviews/test_queue_rows.py holds them to what it showed)."""
    overdue = format_html(' <span class="badge text-bg-warning">{}</span>', gettext("overdue"))
    action = gettext("Review")
    return format_html_join(
        "",
        '<tr data-review="{}">\n'
        '<td class="text-nowrap" data-session-date="{}">{}</td>\n'
        '<td><span class="text-nowrap">{}</span>{}</td>\n'
        "<td>{}</td>\n"
        '<td class="text-nowrap">{}{}</td>\n'
        '<td data-dominant="{}">{}</td>\n'
        "<td>{}</td>\n"
        '<td><a class="btn btn-sm btn-primary" href="{}">{}</a></td>\n'
        "</tr>\n",
        (
            _queue_cells(review, overdue if review.submitted_at < overdue_cutoff else "", action)
            for review in reviews
        ),
    )


def _queue_cells(review, overdue: str, action: str) -> tuple:
    patient = review.interview.session.patient
    session_date = review.interview.session.date.isoformat()
    return (
        review.uuid,
        session_date,
        session_date,
        patient.record_number,
        format_html('<div class="small" data-display-name>{}</div>', patient.display_name)
        if patient.display_name
        else "",
        review.clinician.get_username(),
        dateformat.format(timezone.localtime(review.submitted_at), "Y-m-d H:i"),
        overdue,
        review.dominant,
        review.dominant_label,
        badges_html(review.flags),
        reverse("review-detail", args=[review.uuid]),
        action,
    )
