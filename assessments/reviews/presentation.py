"""How flags read on the supervisor's screens: a label, a severity in words and a
colour that only repeats what the words say.

The vocabulary comes from the engine (KNOWN_FLAGS), so flags a newer question-set
version adds appear in the filters without a change here; a flag without a
translated label of its own is shown by its code made readable rather than hidden.
"""

from django.utils.translation import pgettext_lazy

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


def flag_badges(codes) -> list[dict]:
    """Flags as shown in the queue: most severe first, each with its words and colour."""
    known = {code: index for index, code in enumerate(KNOWN_FLAGS)}
    ordered = sorted(
        dict.fromkeys(codes), key=lambda c: (SEVERITY_ORDER[severity(c)], known.get(c, len(known)), c)
    )
    return [
        {
            "code": code,
            "label": flag_label(code),
            "severity": severity(code),
            "severity_word": SEVERITY_WORD[severity(code)],
            "css": SEVERITY_CSS[severity(code)],
        }
        for code in ordered
    ]


def flag_filter_choices() -> list[tuple[str, str]]:
    """Every flag any question-set version can raise, most severe first."""
    return [(badge["code"], badge["label"]) for badge in flag_badges(KNOWN_FLAGS)]
