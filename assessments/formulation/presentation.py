"""What the formulation page (and the PDF) shows, in the reader's language.

The stored result is authoritative for what fired; labels come from the stored
per-language copies made when the formulation was computed. Everything here is
arranged so that each fact is said once: a flag once with the answers behind it, a
rule that added nothing not at all, a scale answer with its anchor label.
"""

from django.utils.translation import gettext_lazy as _

from assessments.core.texts import localized
from assessments.questionsets.vocabulary import dominant_label, flag_label

from .engine.records import IMPRESSION_ITEM

__all__ = ["dominant_label", "flag_label", "formulation_display"]

# Keyed by the engine's dominant states (engine/records.py: DOMINANT_STATES).
DOMINANT_TEXT = {
    "craving": _("Mainly medication craving: relapse prevention around craving comes first."),
    "anxiety": _("Mainly a return of anxiety: the anxiety itself needs direct treatment."),
    "mixed": _("Mixed: craving and returning anxiety both contribute; work on both."),
    "insufficient": _("Insufficient evidence: too little was answered to name a mechanism."),
}
CONFIDENCE_TEXT = {"low": _("Low"), "moderate": _("Moderate"), "high": _("High")}
DIRECTION_TITLES = (
    ("craving", _("Evidence for craving")),
    ("anxiety", _("Evidence for anxiety")),
)
PATIENT_WORDS = "patient_words"
IMPRESSION = IMPRESSION_ITEM


def formulation_display(*, formulation, definition, language: str) -> dict:
    result = formulation.localized_result(language)
    answers = formulation.interview.answers if formulation.interview_id else formulation.answers
    rules = [_with_answer_texts(rule, definition, language) for rule in result["rules"]]
    groups = [
        {
            "direction": d,
            "title": title,
            # A rule that added nothing to the scores explains nothing: left out.
            "rules": [r for r in rules if r["direction"] == d and r.get("contribution")],
        }
        for d, title in DIRECTION_TITLES
    ]
    show_mix = result["dominant"] != "insufficient" and result.get("craving_share") is not None
    return {
        "result": result,
        "show_mix": show_mix,
        "rule_groups": groups,
        "flags_shown": _flags(result, rules, definition, language),
        "missing_items": _missing(result, definition, language),
        "dominant_text": DOMINANT_TEXT.get(result["dominant"], result["dominant"]),
        "confidence_text": CONFIDENCE_TEXT.get(result["confidence"], result["confidence"]),
        "impression_text": answer_text(definition.items.get(IMPRESSION), answers.get(IMPRESSION), language),
        "patient_words": answers.get(PATIENT_WORDS) if PATIENT_WORDS in definition.items else None,
        "incomplete": _incomplete(result, definition),
    }


def _flags(result: dict, rules: list[dict], definition, language: str) -> list[dict]:
    """Each raised flag once: its label, its advice (without the label repeated in
    front of it) and the distinct answers of every rule that raised it."""
    flags = []
    for code in result["flags"]:
        flag = definition.flags.get(code)
        # A raised flag also owns the reasons of the weaker flags it replaced (a high
        # relapse risk shows why the moderate one would have been raised too).
        owned = {code, *(flag.supersedes if flag else ())}
        label = localized(flag.label, language) if flag else code
        advice = localized(flag.recommendation.text, language) if flag else ""
        if advice.lower().startswith(label.lower()):
            advice = advice[len(label) :].lstrip(" :—-–")
        evidence, seen = [], set()
        for rule in rules:
            if rule["direction"] != "flag" or rule.get("flag") not in owned:
                continue
            for ev in rule["evidence"]:
                if ev["item"] not in seen:
                    seen.add(ev["item"])
                    evidence.append(ev)
        reasons = [r for r in rules if r["direction"] == "flag" and r.get("flag") in owned]
        flags.append(
            {"code": code, "label": label, "advice": advice, "evidence": evidence, "reasons": reasons}
        )
    return flags


def _missing(result: dict, definition, language: str) -> list[dict]:
    """Unanswered core items by their question, in the reader's language."""
    return [
        {"code": code, "question": localized(definition.items[code].text, language)}
        if code in definition.items
        else {"code": code, "question": code}
        for code in result.get("missing", [])
    ]


def _incomplete(result: dict, definition) -> bool:
    """Under half of the core items answered (clinical spec 6.2: confidence is low)."""
    core = [code for code, item in definition.items.items() if getattr(item, "core", False)]
    return bool(core) and 2 * (len(core) - len(result.get("missing", []))) < len(core)


def answer_text(item, answer, language: str, definition=None) -> str:
    """An answer in words: option labels, and scale values with their anchor
    ("3 · markedly"), so no reader has to remember what a bare number meant."""
    if item is None or answer is None:
        return "" if answer is None else str(answer)
    if item.type == "scale" and isinstance(answer, int):
        anchors = item.anchors or getattr(definition, "scale_anchors", None) or {}
        label = localized(anchors.get(str(answer)), language)
        return f"{answer} · {label}" if label else str(answer)
    labels = {o.code: localized(o.label, language) for o in item.options}
    if isinstance(answer, list):
        return ", ".join(labels.get(a, str(a)) for a in answer)
    return labels.get(answer, str(answer))


def _with_answer_texts(rule: dict, definition, language: str) -> dict:
    """The rule with each triggering answer in words: question text and answer label."""
    evidence = []
    for ev in rule.get("evidence", []):
        item = definition.items.get(ev["item"])
        question = localized(item.text, language) if item else ev["item"]
        answer = answer_text(item, ev["answer"], language, definition)
        evidence.append({**ev, "question": question, "answer_text": answer})
    return {**rule, "evidence": evidence}
