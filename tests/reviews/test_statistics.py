"""Agreement figures with intervals (issue 15, item 3), checked against published
values and against simulation rather than against their own formulas."""

import random

import pytest

from assessments.reviews.statistics import MIN_CASES, agreement, wilson_interval


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    # Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3 (Wilson score).
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilson_interval_matches_published_values(successes, n, low, high):
    got_low, got_high = wilson_interval(successes, n)
    assert got_low == pytest.approx(low, abs=1e-4)
    assert got_high == pytest.approx(high, abs=1e-4)


def test_kappa_and_agreement_like_a_hand_worked_example():
    # p_o = 35/50 = 0.70; p_e = 0.5*0.6 + 0.5*0.4 = 0.50; kappa = 0.40.
    matrix = {("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15}
    result = agreement(matrix, ["yes", "no"])
    assert (result["n"], result["agreement"], result["kappa"], result["too_few"]) == (50, 70.0, 0.4, False)
    low, high = result["agreement_ci"]
    assert low < 70.0 < high
    k_low, k_high = result["kappa_ci"]
    assert k_low < 0.4 < k_high


def test_kappa_interval_covers_like_a_95_percent_interval():
    """Simulate many studies from one known joint distribution: the analytic standard
    error must match the spread of the estimates, and the interval must contain the
    true kappa about 95 % of the time."""
    categories = ["c", "a", "m"]
    cells = [(x, y) for x in categories for y in categories]
    weights = [0.25, 0.04, 0.03, 0.05, 0.22, 0.04, 0.03, 0.05, 0.29]
    p_o = 0.25 + 0.22 + 0.29
    rows = {c: sum(w for (x, _), w in zip(cells, weights, strict=True) if x == c) for c in categories}
    cols = {c: sum(w for (_, y), w in zip(cells, weights, strict=True) if y == c) for c in categories}
    p_e = sum(rows[c] * cols[c] for c in categories)
    true_kappa = (p_o - p_e) / (1 - p_e)
    rng = random.Random(15)
    n, runs, covered, estimates, widths = 200, 1500, 0, [], []
    for _ in range(runs):
        matrix: dict = {}
        for cell in rng.choices(cells, weights, k=n):
            matrix[cell] = matrix.get(cell, 0) + 1
        result = agreement(matrix, categories)
        low, high = result["kappa_ci"]
        covered += low <= true_kappa <= high
        estimates.append(result["kappa"])
        widths.append((high - low) / (2 * 1.96))
    mean = sum(estimates) / runs
    spread = (sum((k - mean) ** 2 for k in estimates) / (runs - 1)) ** 0.5
    assert 0.93 <= covered / runs <= 0.97
    assert sum(widths) / runs == pytest.approx(spread, rel=0.1)


def test_it_says_too_few_under_twenty_cases():
    few = agreement({("x", "x"): MIN_CASES - 1}, ["x", "y"])
    enough = agreement({("x", "x"): MIN_CASES - 5, ("y", "y"): 5}, ["x", "y"])
    assert few["too_few"] and not enough["too_few"]
    assert agreement({}, ["x"])["agreement"] is None
