"""Benzodiazepine equivalence tables: mg of each drug taken as equal to 10 mg diazepam.

A table is named and stored with every medication entry, so that a later table can be
added without changing what an earlier entry meant.
"""

from decimal import ROUND_HALF_UP, Decimal

ASHTON = "ashton"

TABLES: dict[str, dict[str, Decimal]] = {
    # Ashton, "Benzodiazepines: how they work and how to withdraw" (2002).
    ASHTON: {
        "alprazolam": Decimal("0.5"),
        "chlordiazepoxide": Decimal("25"),
        "clonazepam": Decimal("0.5"),
        "diazepam": Decimal("10"),
        "lorazepam": Decimal("1"),
        "oxazepam": Decimal("20"),
        "temazepam": Decimal("20"),
    },
}
DEFAULT_TABLE = ASHTON


def diazepam_equivalent(*, drug: str, daily_dose_mg: Decimal, table: str = DEFAULT_TABLE) -> Decimal:
    """Daily dose expressed as mg diazepam, to two decimals."""
    equal_to_10mg = TABLES[table][drug]
    value = Decimal(daily_dose_mg) * Decimal(10) / equal_to_10mg
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
