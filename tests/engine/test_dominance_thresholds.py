"""The dominance thresholds of spec section 3, at their edges.

`dominant` is `craving` when craving_share >= 65, `anxiety` when craving_share <= 35 and
`mixed` between. The worked cases sit far from the edges, so a threshold moved by a few
points would pass them all; these tests find real cadi answer sets whose share lands on
and around each edge and check the label there.
"""

import functools

import pytest

from tests.engine.engine_support import cadi, load_vignette

# Shares on both sides of each edge, and the band a threshold moved by up to five points
# would cross (e.g. 65 -> 60 labels 60-64 craving).
EDGE_SHARES = (30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70)


BEAM = 6


def _spec_label(share: int) -> str:
    # Written out from the spec's sentence, not imported from the engine.
    if share >= 65:
        return "craving"
    if share <= 35:
        return "anxiety"
    return "mixed"


def _single_changes() -> list:
    """Every (item, value) a single-choice or scale item of cadi can take."""
    changes = []
    for code, item in cadi().definition.items.items():
        if item.type == "single":
            changes += [(code, option) for option in item.option_codes]
        elif item.type == "scale":
            changes += [(code, value) for value in range(5)]
    return changes


def _distance(answers: dict, target: int) -> int:
    result = cadi().formulate(answers)
    if result["dominant"] == "insufficient" or result["craving_share"] is None:
        return 1000
    return abs(result["craving_share"] - target)


@functools.cache
def _answers_with_share(target: int) -> dict | None:
    """Real cadi answers whose craving share is `target`: a deterministic beam search from the
    mixed worked case, one changed answer per step, keeping the few sets nearest the target
    (a single greedy path can stall a point or two away)."""
    beam = [load_vignette("P3-mixed")["answers"]]
    for _ in range(12):
        for answers in beam:
            if _distance(answers, target) == 0:
                return answers
        # Keep one answer set per pair of scores, so the beam does not fill with look-alikes.
        distinct = {}
        for answers in beam:
            for code, value in _single_changes():
                candidate = {**answers, code: value}
                result = cadi().formulate(candidate)
                distinct.setdefault((result["craving_score"], result["anxiety_score"]), candidate)
        beam = sorted(distinct.values(), key=lambda candidate: _distance(candidate, target))[:BEAM]
    return None


@pytest.mark.parametrize("share", EDGE_SHARES)
def test_the_dominant_mechanism_follows_the_share_at_the_thresholds(share):
    answers = _answers_with_share(share)
    # The search must reach every edge share, or this test would pass by checking nothing.
    assert answers is not None, f"no cadi answer set with craving_share {share} was found"
    result = cadi().formulate(answers)
    assert result["craving_share"] == share
    assert result["dominant"] == _spec_label(share), (share, result["dominant"])


def test_the_confidence_margin_is_measured_from_the_thresholds():
    # On the edge itself the margin is 0: never more than low confidence there.
    for share in (35, 65):
        answers = _answers_with_share(share)
        assert cadi().formulate(answers)["confidence"] == "low", share
