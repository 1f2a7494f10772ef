from decimal import Decimal

import pytest

from assessments.patients.equivalence import ASHTON, TABLES, diazepam_equivalent


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


def test_it_covers_the_seven_drugs_of_the_ashton_table():
    assert set(TABLES[ASHTON]) == {
        "alprazolam",
        "chlordiazepoxide",
        "clonazepam",
        "diazepam",
        "lorazepam",
        "oxazepam",
        "temazepam",
    }
