"""Rules of clinical spec section 6 that cadi@2's own test cases and worked cases let
pass unchecked: each is made to decide an outcome here, so that turning it off, or
changing its threshold, fails a test. (A published version's gate is frozen with it; the
one amendment cadi@2 had, migration 0006, was made before any clinical use.)"""

import pytest

from tests.engine.engine_support import cadi2, load_vignette

RELAPSE_ITEMS = (
    "use_above_plan",
    "medication_access",
    "drug_seeking_behaviour",
    "insomnia_severity",
    "fear_of_functioning_without",
    "anticipatory_anxiety",
    "normality_only_with_pill",
    "only_solution_belief",
)
QUIET = {
    "use_above_plan": "no",
    "medication_access": "no",
    "drug_seeking_behaviour": ["none"],
    "insomnia_severity": 0,
    "fear_of_functioning_without": 0,
    "anticipatory_anxiety": 0,
    "normality_only_with_pill": 0,
    "only_solution_belief": 0,
}


def _picture(name: str) -> dict:
    """A worked case's answers with every relapse item answered at its quietest."""
    answers = load_vignette(name, folder="vignettes-v2")["answers"]
    return {**{k: v for k, v in answers.items() if k not in RELAPSE_ITEMS}, **QUIET}


CRAVING = _picture("V2-P1-strong-craving-moderate-anxiety")  # craving, share 73
ANXIETY = _picture("V2-P7-anxiety-dominant-relapse-high-access")  # anxiety, share 7


def _fired(result, prefix: str = "relapse_") -> set[str]:
    return {rule["id"] for rule in result["rules"] if rule["id"].startswith(prefix)}


def test_the_pictures_start_without_any_relapse_flag():
    for answers, dominant in ((CRAVING, "craving"), (ANXIETY, "anxiety")):
        result = cadi2().formulate(answers)
        assert result["dominant"] == dominant
        assert _fired(result) == set() and not [f for f in result["flags"] if f.startswith("relapse")]


def _one_step_weaker(value):
    if isinstance(value, int):
        return value - 1
    return ["none"] if isinstance(value, list) else "no"


# --- 6.4: relapse rules kept from cadi@1, each made the only one that decides -------
@pytest.mark.parametrize(
    ("picture", "changes", "rule", "flag"),
    [
        # A burden of 8 over the five items, none of them marked (3 or more).
        (
            ANXIETY,
            {
                "insomnia_severity": 2,
                "fear_of_functioning_without": 2,
                "anticipatory_anxiety": 2,
                "normality_only_with_pill": 1,
                "only_solution_belief": 1,
            },
            "relapse_moderate_burden",
            "relapse_risk_moderate",
        ),
        # A craving share of 65 or more and one marked item that is not a belief.
        (CRAVING, {"insomnia_severity": 3}, "relapse_moderate_marked_craving", "relapse_risk_moderate"),
        # Use above plan and marked insomnia (no belief marked), in either picture: cadi@1
        # also asked for a craving share above 35, which cadi@2 drops (6.4).
        (
            CRAVING,
            {"use_above_plan": "yes", "insomnia_severity": 3},
            "relapse_high_use_or_access",
            "relapse_risk_high",
        ),
        (
            ANXIETY,
            {"use_above_plan": "yes", "insomnia_severity": 3},
            "relapse_high_use_or_access",
            "relapse_risk_high",
        ),
        # Use above plan and access, nothing marked, in an anxiety picture (cadi@1: a
        # craving share of 50 or more as well).
        (
            ANXIETY,
            {"use_above_plan": "yes", "medication_access": "yes"},
            "relapse_high_use_and_access",
            "relapse_risk_high",
        ),
        # A burden of 12, no opportunity, no belief marked, in an anxiety picture (cadi@1:
        # a craving share of 65 or more as well).
        (
            ANXIETY,
            {
                "insomnia_severity": 4,
                "fear_of_functioning_without": 2,
                "anticipatory_anxiety": 2,
                "normality_only_with_pill": 2,
                "only_solution_belief": 2,
            },
            "relapse_high_burden",
            "relapse_risk_high",
        ),
        # Drug seeking (not use, not access) with two marked beliefs, anxiety-dominant: with
        # use or access, one marked item is already high.
        (
            ANXIETY,
            {
                "drug_seeking_behaviour": ["searching_for_supply"],
                "fear_of_functioning_without": 3,
                "normality_only_with_pill": 3,
            },
            "relapse_high_opportunity_with_beliefs",
            "relapse_risk_high",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and value.startswith("relapse_") else None,
)
def test_each_relapse_rule_raises_its_flag_on_its_own(picture, changes, rule, flag):
    result = cadi2().formulate({**picture, **changes})
    level = flag.removeprefix("relapse_risk_")
    deciding = {r for r in _fired(result) if r.startswith(f"relapse_{level}")}
    assert deciding == {rule}, _fired(result)
    assert flag in result["flags"]
    if level == "high":  # high supersedes moderate: one relapse flag at most
        assert "relapse_risk_moderate" not in result["flags"]
    # One step short of the rule's threshold and it stays silent.
    weaker = {key: _one_step_weaker(value) for key, value in changes.items()}
    assert rule not in _fired(cadi2().formulate({**picture, **weaker}))


# --- 6.2: the core-evidence floor --------------------------------------------------
def test_three_core_sections_carrying_too_little_evidence_are_still_insufficient():
    answers = {
        "onset_pattern": "both",
        "automaticity": 1,
        "specific_tablet_focus": 1,
        "resemblance_to_prior_pattern": 1,
    }
    result = cadi2().formulate(answers)
    sections = {
        index
        for index, section in enumerate(s for s in cadi2().definition.sections if s.core)
        for rule in result["rules"]
        if rule["evidence"] and rule["evidence"][0]["item"] in section.items
    }
    assert len(sections) >= 3, "three core sections carry evidence"
    assert result["craving_score"] + result["anxiety_score"] > 0
    assert result["craving_score"] < 10 and result["anxiety_score"] < 10
    assert result["dominant"] == "insufficient" and result["confidence"] == "low"
    # History and context can add to a picture but never make one (6.2): with the
    # strongest of them added, the scores pass 10, and it is still too thin.
    context = {
        code: value
        for direction in ("anxiety", "craving")
        for code, value in _strongest(direction).items()
        if not cadi2().definition.items[code].core
    }
    padded = cadi2().formulate({**context, **answers})
    assert max(padded["craving_score"], padded["anxiety_score"]) >= 10
    assert padded["dominant"] == "insufficient"
    # Stronger evidence in the same sections makes a picture.
    assert cadi2().formulate({**answers, "automaticity": 4, "specific_tablet_focus": 4})["dominant"] != (
        "insufficient"
    )


# --- 6.2: confidence and the share of core items answered -------------------------
def test_confidence_is_at_most_moderate_with_under_four_fifths_of_core_items_answered():
    core = cadi2()._scorer.core_items
    answered = [code for code in core if code in ANXIETY]
    assert cadi2().formulate(ANXIETY)["confidence"] == "high"

    # Drop core answers from the end until just under 80%, then just at or over it.
    def keeping(n):
        dropped = set(answered[n:])
        return {k: v for k, v in ANXIETY.items() if k not in dropped}

    under = max(n for n in range(len(core)) if n / len(core) < 0.8)
    for n, expected in ((under, "moderate"), (under + 1, "high")):
        result = cadi2().formulate(keeping(n))
        assert result["dominant"] == "anxiety" and result["craving_share"] <= 35 - 10  # margin kept
        assert max(result["craving_score"], result["anxiety_score"]) >= 30  # strength kept
        assert result["confidence"] == expected, (n, len(core))


# --- 6.2: shares from the evidence before the cap ----------------------------------
def _strongest(direction: str) -> dict:
    """Every scored item answered at its strongest for `direction`."""
    other = "anxiety" if direction == "craving" else "craving"
    answers: dict = {}
    for code, item in cadi2().definition.items.items():
        if item.type == "single" and item.options:
            best = max(item.options, key=lambda o: (getattr(o, direction), -getattr(o, other)))
            if getattr(best, direction):
                answers[code] = best.code
        elif item.type == "multi":
            chosen = [o.code for o in item.options if getattr(o, direction) and o.code != "none"]
            if chosen:
                answers[code] = chosen
        elif item.type == "scale" and direction in item.weights:
            answers[code] = 4
    return answers


def test_a_picture_beyond_the_cap_keeps_its_margin_in_the_share():
    answers = {**_strongest("anxiety"), **_strongest("craving")}
    result = cadi2().formulate(answers)
    points = {"craving": 0.0, "anxiety": 0.0}
    for rule in result["rules"]:
        if rule["direction"] in points:
            points[rule["direction"]] += rule["contribution"]
    assert points["craving"] > 100, "the craving evidence passes the cap"
    assert result["craving_score"] == 100
    uncapped = 100 * points["craving"] / (points["craving"] + points["anxiety"])
    capped = 100 * 100 / (100 + min(100.0, points["anxiety"]))
    assert abs(result["craving_share"] - uncapped) <= 1.5
    assert abs(result["craving_share"] - capped) > 1.5, "a capped share would read differently"


# --- section 2, kept in cadi@2: the compound evidence rule --------------------------
def test_cue_linked_onset_at_former_dosing_occasions_adds_craving_evidence():
    answers = {
        **CRAVING,
        "onset_pattern": "cue_linked",
        "cues_were_dosing_occasions": "almost_always",
        "cue_contexts": ["usual_dose_time"],
    }
    result = cadi2().formulate(answers)
    rule = next(r for r in result["rules"] if r["id"] == "cue_dosing_link")
    assert rule["direction"] == "craving" and rule["contribution"] > 0
    assert [e["item"] for e in rule["evidence"]] == [
        "onset_pattern",
        "cues_were_dosing_occasions",
        "cue_contexts",
    ]
    without = cadi2().formulate({**answers, "cues_were_dosing_occasions": "sometimes"})
    assert "cue_dosing_link" not in {r["id"] for r in without["rules"]}
