"""Words for people for the engine's codes. The codes themselves (dominant states, flags)
are declared once, in the engine (engine/records.py); everything here derives from them,
so a flag a new engine version adds flows through to the database choices, filters and
pages at once. tests/formulation/test_vocabulary.py insists on words, in English and
Polish, for every code. It lives in this layer so question-set pages (test cases, the
publishing gate) and every layer above share it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.formulation.engine.records import DOMINANT_STATES, KNOWN_FLAGS

DOMINANT_LABELS = {
    "craving": _("Mainly craving"),
    "anxiety": _("Mainly anxiety"),
    "mixed": _("Mixed"),
    "insufficient": _("Insufficient evidence"),
}
FLAG_LABELS = {
    "relapse_risk_high": _("High relapse risk"),
    "relapse_risk_moderate": _("Moderate relapse risk"),
    "possible_withdrawal_or_rebound": _("Possible withdrawal or rebound"),
    "safety_urgent": _("Safety: urgent"),
    "safety_review": _("Safety: review"),
    "sedative_substitution": _("Sedative substitution"),
    "medical_urgent": _("Medical: urgent"),
    "overdose_risk": _("Overdose risk"),
    "mood_review": _("Mood review"),
    "possible_protracted_withdrawal": _("Possible protracted withdrawal"),
}


def _readable(code: str) -> str:
    return code.replace("_", " ").capitalize()


def _choices(name: str, codes, labels: dict) -> type[models.TextChoices]:
    # A code without words yet reads as itself made readable, never hidden.
    members = [(code.upper(), (code, labels.get(code) or _readable(code))) for code in codes]
    # (value, label) members are Django's documented form; the stubs only describe plain names.
    return models.TextChoices(name, members)  # type: ignore[call-overload]


# The dominant mechanism and the flags of the formulation contract (clinical spec, 3 and 6.4).
Dominant = _choices("Dominant", DOMINANT_STATES, DOMINANT_LABELS)
Flag = _choices("Flag", KNOWN_FLAGS, FLAG_LABELS)


def dominant_label(code: str) -> str:
    return str(dict(Dominant.choices).get(code, code))


def flag_label(code: str) -> str:
    """The translated label of a contract flag; a flag without one of its own (added by
    a newer question-set version) reads as its code made readable, never hidden."""
    return str(dict(Flag.choices).get(code) or _readable(code))
