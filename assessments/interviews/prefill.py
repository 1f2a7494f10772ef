"""The note beside an answer prefilled from the medication record (clinical spec 6.5:
prefilled answers are shown as prefilled and stay editable)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.patients.models import MedicationEntry
from assessments.questionsets.answer_forms import initial_from_answers

from .models import Interview


def prefill_notes(interview: Interview, values: dict) -> dict[str, str]:
    """Item code -> note, for each item whose input still shows the value the medication
    record gave it. `values` are what the inputs show (answer_layout.field_values), so a
    page re-shown after a refused save describes what is on it, not what was stored."""
    if not interview.prefilled:
        return {}
    prefilled = initial_from_answers(interview.prefilled)  # in the inputs' own form
    matching = [code for code, value in prefilled.items() if values.get(code) == value]
    if not matching:
        return {}
    note = prefill_note(interview.prefilled_from)
    return dict.fromkeys(matching, note)


# One whole sentence per kind of entry, so that each translates as a sentence.
_FROM_ENTRY = {
    MedicationEntry.Kind.REDUCTION: gettext_lazy(
        "Prefilled from the medication record (%(drug)s, reduced on %(date)s) — check and change if needed."
    ),
    MedicationEntry.Kind.STOP: gettext_lazy(
        "Prefilled from the medication record (%(drug)s, stopped on %(date)s) — check and change if needed."
    ),
    MedicationEntry.Kind.DOSE: gettext_lazy(
        "Prefilled from the medication record (%(drug)s, dose recorded on %(date)s) "
        "— check and change if needed."
    ),
}


def prefill_note(source: dict) -> str:
    """The sentence for the entry the values came from; plain text, escaped where shown."""
    drug, kind, date = source.get("drug"), source.get("kind"), source.get("date")
    if not (drug and date and kind in _FROM_ENTRY):
        return _("Prefilled from the medication record — check and change if needed.")
    try:
        drug_name = str(MedicationEntry.Drug(drug).label)
    except ValueError:  # a drug the table no longer lists: its stored code, as recorded
        drug_name = str(drug)
    return str(_FROM_ENTRY[kind]) % {"drug": drug_name, "date": date}
