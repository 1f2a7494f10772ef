from decimal import Decimal

import pytest

from assessments.patients.equivalence import (
    ASHTON,
    TABLES,
    diazepam_equivalent,
    equivalence_text,
    half_life_class,
)
from assessments.patients.models import MedicationEntry


@pytest.mark.parametrize(
    ("drug", "dose", "expected"),
    [
        ("alprazolam", "0.5", "10.00"),
        ("alprazolam", "2", "40.00"),
        ("chlordiazepoxide", "25", "10.00"),
        ("clonazepam", "1", "20.00"),
        ("diazepam", "15", "15.00"),
        ("lorazepam", "2.5", "25.00"),
        ("oxazepam", "30", "15.00"),
        ("temazepam", "10", "5.00"),
    ],
)
def test_it_converts_each_drug_with_the_ashton_table(drug, dose, expected):
    assert diazepam_equivalent(drug=drug, daily_dose_mg=Decimal(dose), table=ASHTON) == Decimal(expected)


# Spec 6.3: every drug it names, by half-life class (Ashton's table).
LONG = "chlordiazepoxide clobazam clonazepam clorazepate diazepam flunitrazepam flurazepam halazepam ketazolam medazepam nitrazepam prazepam quazepam"  # noqa: E501
SHORT = "alprazolam bromazepam estazolam loprazolam lorazepam lormetazepam oxazepam temazepam triazolam zaleplon zolpidem zopiclone eszopiclone"  # noqa: E501


def test_it_covers_every_drug_of_spec_6_3_with_its_half_life_class():
    assert set(TABLES[ASHTON]) == set(LONG.split()) | set(SHORT.split())
    assert {drug for drug in TABLES[ASHTON] if half_life_class(drug) == "long"} == set(LONG.split())
    assert set(MedicationEntry.Drug.values) == set(TABLES[ASHTON])


@pytest.mark.parametrize(
    ("drug", "used", "shown"),
    [
        ("flurazepam", "22.5", "15-30 mg (22.5 mg used) = 10 mg diazepam"),
        ("bromazepam", "5.5", "5-6 mg (5.5 mg used)"),
        ("prazepam", "15", "10-20 mg (15 mg used)"),
        ("lormetazepam", "1.5", "1-2 mg (1.5 mg used)"),
        ("diazepam", "10", "10 mg = 10 mg diazepam; half-life 20-100 [36-200] h"),
    ],
)
def test_it_keeps_a_range_and_uses_and_shows_its_midpoint(drug, used, shown):
    assert TABLES[ASHTON][drug] == Decimal(used)
    assert shown in equivalence_text(drug)
    assert diazepam_equivalent(drug=drug, daily_dose_mg=Decimal(used)) == Decimal("10.00")
