"""Agreement statistics with their uncertainty, from counts the database aggregated.

Everything here takes a confusion matrix of counts ({(rater_a, rater_b): n}) so the
figures can be fed by a grouped query or a pre-aggregated summary table alike; no
function ever sees a row.

Written by hand on purpose: the two intervals are a dozen lines of arithmetic, and a
statistics library (statsmodels: numpy, scipy and pandas) would bring ~100 MB of
dependencies into a web application for them. The tests check both intervals against
published values and against simulation.

- Percent agreement: the Wilson score interval (Wilson 1927), which stays inside
  0-100 % and keeps its coverage for small n and proportions near 0 or 1, where the
  textbook Wald interval fails.
- Cohen's kappa: the large-sample (asymptotic) standard error of Fleiss, Cohen and
  Everitt (1969), the one statistics packages report, with a normal 95 % interval
  clipped to kappa's range (-1 to 1).
"""

import math

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution
# Below this many cases an agreement figure is shown as "too few cases": its interval
# is so wide that the figure invites a reading it cannot bear.
MIN_CASES = 20


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion, as (low, high) in 0..1."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def _marginals(matrix: dict, categories, n: int) -> tuple[dict, dict]:
    rows = {c: sum(matrix.get((c, o), 0) for o in categories) / n for c in categories}
    columns = {c: sum(matrix.get((o, c), 0) for o in categories) / n for c in categories}
    return rows, columns


def kappa_standard_error(matrix: dict, categories, n: int, kappa: float, expected: float) -> float | None:
    """Fleiss, Cohen & Everitt (1969) large-sample standard error of kappa."""
    if n <= 0 or expected >= 1:
        return None
    rows, columns = _marginals(matrix, categories, n)
    diagonal = sum(
        (matrix.get((c, c), 0) / n) * (1 - (rows[c] + columns[c]) * (1 - kappa)) ** 2 for c in categories
    )
    off_diagonal = (1 - kappa) ** 2 * sum(
        (matrix.get((a, b), 0) / n) * (columns[a] + rows[b]) ** 2
        for a in categories
        for b in categories
        if a != b
    )
    variance = (diagonal + off_diagonal - (kappa - expected * (1 - kappa)) ** 2) / (n * (1 - expected) ** 2)
    return math.sqrt(max(variance, 0.0))


def agreement(matrix: dict, categories) -> dict:
    """Percent agreement and Cohen's kappa, each with n and a 95 % interval.

    Percentages on 0-100 rounded to one decimal, kappa to three. `too_few` is true
    under MIN_CASES: the page then says so instead of printing figures."""
    n = sum(matrix.values())
    result = {
        "n": n,
        "too_few": n < MIN_CASES,
        "agreement": None,
        "agreement_ci": None,
        "kappa": None,
        "kappa_ci": None,
    }
    if n == 0:
        return result
    agreed = sum(matrix.get((c, c), 0) for c in categories)
    observed = agreed / n
    interval = wilson_interval(agreed, n)
    assert interval is not None  # n > 0 here
    low, high = interval
    result["agreement"] = round(observed * 100, 1)
    result["agreement_ci"] = (round(low * 100, 1), round(high * 100, 1))
    rows, columns = _marginals(matrix, categories, n)
    expected = sum(rows[c] * columns[c] for c in categories)
    if expected < 1:
        kappa = (observed - expected) / (1 - expected)
        result["kappa"] = round(kappa, 3)
        se = kappa_standard_error(matrix, categories, n, kappa, expected)
        if se is not None:
            result["kappa_ci"] = (round(max(-1.0, kappa - Z95 * se), 3), round(min(1.0, kappa + Z95 * se), 3))
    return result
