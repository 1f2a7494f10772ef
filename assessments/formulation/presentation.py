"""What the formulation page (and later the PDF) shows, in the reader's language.

The stored result is authoritative for what fired; labels come from the stored
per-language copies made when the formulation was computed.
"""

from django.utils.translation import gettext_lazy as _

from assessments.core.texts import localized

from .models import Dominant, Flag

DOMINANT_TEXT = {
    Dominant.CRAVING: _("Mainly medication craving: relapse prevention around craving comes first."),
    Dominant.ANXIETY: _("Mainly a return of anxiety: the anxiety itself needs direct treatment."),
    Dominant.MIXED: _("Mixed: craving and returning anxiety both contribute; work on both."),
    Dominant.INSUFFICIENT: _("Insufficient evidence: too little was answered to name a mechanism."),
}
CONFIDENCE_TEXT = {"low": _("Low"), "moderate": _("Moderate"), "high": _("High")}
DIRECTION_TITLES = (
    ("craving", _("Evidence for craving")),
    ("anxiety", _("Evidence for anxiety")),
    ("flag", _("Flags")),
)


def formulation_display(*, formulation, definition, language: str) -> dict:
    result = formulation.localized_result(language)
    rules = [_with_answer_texts(rule, definition, language) for rule in result["rules"]]
    groups = [
        {"direction": d, "title": title, "rules": [r for r in rules if r["direction"] == d]}
        for d, title in DIRECTION_TITLES
    ]
    flags = []
    for code in result["flags"]:
        flag = definition.flags.get(code)
        flags.append(
            {
                "code": code,
                "label": localized(flag.label, language) if flag else code,
                "advice": localized(flag.recommendation.text, language) if flag else "",
            }
        )
    impression = formulation.interview.answers.get("clinician_impression")
    item = definition.items.get("clinician_impression")
    options = {o.code: localized(o.label, language) for o in item.options} if item else {}
    return {
        "result": result,
        "rule_groups": groups,
        "flags_shown": flags,
        "dominant_text": DOMINANT_TEXT.get(result["dominant"], result["dominant"]),
        "confidence_text": CONFIDENCE_TEXT.get(result["confidence"], result["confidence"]),
        "impression_text": options.get(impression, impression),
    }


def _with_answer_texts(rule: dict, definition, language: str) -> dict:
    """The rule with each triggering answer in words: question text and option labels."""
    evidence = []
    for ev in rule.get("evidence", []):
        item = definition.items.get(ev["item"])
        labels = {o.code: localized(o.label, language) for o in item.options} if item else {}
        answer = ev["answer"]
        shown = (
            ", ".join(labels.get(a, str(a)) for a in answer)
            if isinstance(answer, list)
            else labels.get(answer, str(answer))
        )
        question = localized(item.text, language) if item else ev["item"]
        evidence.append({**ev, "question": question, "answer_text": shown})
    return {**rule, "evidence": evidence}


def dominant_label(code: str) -> str:
    return str(dict(Dominant.choices).get(code, code))


def flag_label(code: str) -> str:
    """The translated label of a contract flag; a flag without one of its own (added by
    a newer question-set version) reads as its code made readable, never hidden."""
    return str(dict(Flag.choices).get(code) or code.replace("_", " ").capitalize())
