"""Benzodiazepine equivalence tables: mg of each drug taken as equal to 10 mg diazepam.

A table is named and stored with every medication entry, so that a later table can be
added without changing what an earlier entry meant. Adding drugs to a table changes
no earlier entry: each entry's drug keeps its figure.
"""

from decimal import ROUND_HALF_UP, Decimal

ASHTON = "ashton"
SHORT, LONG = "short", "long"


def _drug(low: str, high: str | None, half_life: str, hours: str) -> dict:
    low_mg = Decimal(low)
    high_mg = Decimal(high) if high else low_mg
    return {
        "low": low_mg,
        "high": high_mg,
        "mg": (low_mg + high_mg) / 2,
        "half_life": half_life,
        "hours": hours,
    }


# Ashton, "Benzodiazepines: how they work and how to withdraw" (2002), table 1: the
# dose equal to 10 mg diazepam and the half-life in hours ([active metabolite]).
# Where Ashton gives a range the range is kept and its midpoint used (spec 6.5).
# Long: the drug or its active metabolite lasts 24 hours or more (spec 6.3).
ASHTON_DRUGS: dict[str, dict] = {
    "alprazolam": _drug("0.5", None, SHORT, "6-12"),
    "bromazepam": _drug("5", "6", SHORT, "10-20"),
    "chlordiazepoxide": _drug("25", None, LONG, "5-30 [36-200]"),
    "clobazam": _drug("20", None, LONG, "12-60"),
    "clonazepam": _drug("0.5", None, LONG, "18-50"),
    "clorazepate": _drug("15", None, LONG, "[36-200]"),
    "diazepam": _drug("10", None, LONG, "20-100 [36-200]"),
    "estazolam": _drug("1", "2", SHORT, "10-24"),
    "flunitrazepam": _drug("1", None, LONG, "18-26 [36-200]"),
    "flurazepam": _drug("15", "30", LONG, "[40-250]"),
    "halazepam": _drug("20", None, LONG, "[30-100]"),
    "ketazolam": _drug("15", "30", LONG, "2 [36-200]"),
    "loprazolam": _drug("1", "2", SHORT, "6-12"),
    "lorazepam": _drug("1", None, SHORT, "10-20"),
    "lormetazepam": _drug("1", "2", SHORT, "10-12"),
    "medazepam": _drug("10", None, LONG, "36-200"),
    "nitrazepam": _drug("10", None, LONG, "15-38"),
    "oxazepam": _drug("20", None, SHORT, "4-15"),
    "prazepam": _drug("10", "20", LONG, "[36-200]"),
    "quazepam": _drug("20", None, LONG, "25-100"),
    "temazepam": _drug("20", None, SHORT, "8-22"),
    "triazolam": _drug("0.5", None, SHORT, "2"),
    "zaleplon": _drug("20", None, SHORT, "2"),
    "zolpidem": _drug("20", None, SHORT, "2"),
    "zopiclone": _drug("15", None, SHORT, "5-6"),
    "eszopiclone": _drug("3", None, SHORT, "6"),
}

TABLES: dict[str, dict[str, Decimal]] = {
    ASHTON: {drug: facts["mg"] for drug, facts in ASHTON_DRUGS.items()},
}
DEFAULT_TABLE = ASHTON
# Spec 6.5: above this daily diazepam equivalent a dose must be confirmed; above the
# second it is refused as implausible (a typo in the unit or a decimal point).
CONFIRM_ABOVE_MG = Decimal(100)
REFUSE_ABOVE_MG = Decimal(1000)


def diazepam_equivalent(*, drug: str, daily_dose_mg: Decimal, table: str = DEFAULT_TABLE) -> Decimal:
    """Daily dose expressed as mg diazepam, to two decimals."""
    equal_to_10mg = TABLES[table][drug]
    value = Decimal(daily_dose_mg) * Decimal(10) / equal_to_10mg
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def half_life_class(drug: str) -> str:
    """ "short" or "long" (spec 6.3), the answer `drug_half_life` is prefilled with."""
    return ASHTON_DRUGS[drug]["half_life"]


def equivalence_text(drug: str) -> str:
    """How the table reads for one drug, range and midpoint shown: "15-30 mg (22.5 mg
    used) = 10 mg diazepam; half-life 2 [36-200] h"."""
    facts = ASHTON_DRUGS[drug]
    low, high, used = (f"{facts[key].normalize():f}" for key in ("low", "high", "mg"))
    amount = f"{low} mg" if low == high else f"{low}-{high} mg ({used} mg used)"
    return f"{amount} = 10 mg diazepam; half-life {facts['hours']} h"
