"""Unseen cases built from the evidence directions of the spec, not from the vignettes."""

import pytest

from tests.engine.engine_support import cadi

CRAVING_PICTURE = {
    "med_status": "discontinued",
    "prior_anxiety_history": "none",
    "original_indication": "insomnia",
    "onset_pattern": "cue_linked",
    "cue_contexts": ["usual_dose_time", "before_travel"],
    "cues_were_dosing_occasions": "often",
    "pattern_predates_medication": "no",
    "first_in_sequence": "medication_thought",
    "latency_to_medication_thought": "seconds",
    "automaticity": 3,
    "reflects_on_source": "rarely",
    "specific_tablet_focus": 3,
    "idealization": 3,
    "harm_minimization": 2,
    "one_dose_narrative": 3,
    "only_solution_belief": 2,
    "main_concern": "getting_medication",
    "resemblance_to_prior_pattern": 1,
    "anxiety_symptoms": ["insomnia"],
    "persistence": "1_to_4_weeks",
    "independent_of_cues": 1,
    "worry_content": "coping_without_medication",
    "withdrawal_signs": ["none"],
    "symptoms_new_since_reduction": "no",
    "suicidal_thoughts": "none",
    "other_sedative_use": "none",
}
ANXIETY_PICTURE = {
    "med_status": "discontinued",
    "prior_anxiety_history": "symptoms_undiagnosed",
    "onset_pattern": "diffuse",
    "cue_contexts": ["after_conflict_stress", "social_situations"],
    "cues_were_dosing_occasions": "rarely_never",
    "pattern_predates_medication": "yes",
    "first_in_sequence": "distress",
    "latency_to_medication_thought": "never",
    "automaticity": 0,
    "reflects_on_source": "usually",
    "specific_tablet_focus": 0,
    "idealization": 1,
    "harm_minimization": 0,
    "one_dose_narrative": 0,
    "only_solution_belief": 0,
    "main_concern": "the_suffering",
    "resemblance_to_prior_pattern": 3,
    "anxiety_symptoms": [
        "persistent_worry",
        "rumination",
        "hyperarousal",
        "poor_concentration",
        "somatic_tension",
    ],
    "persistence": "over_4_weeks",
    "independent_of_cues": 3,
    "worry_content": "life_domains",
    "suicidal_thoughts": "none",
    "other_sedative_use": "none",
}
LEVELS = ("low", "moderate", "high")


def test_it_reads_a_clear_craving_picture():
    result = cadi().formulate({**CRAVING_PICTURE, "days_since_dose_change": 60})
    assert result["dominant"] == "craving" and result["confidence"] == "high"
    assert "possible_withdrawal_or_rebound" not in result["flags"]


def test_it_flags_withdrawal_signs_ten_days_after_a_stop_and_trusts_the_mix_less():
    calm = cadi().formulate({**CRAVING_PICTURE, "days_since_dose_change": 10})
    shaky = cadi().formulate(
        {**CRAVING_PICTURE, "days_since_dose_change": 10, "withdrawal_signs": ["tremor", "tinnitus"]}
    )
    assert "possible_withdrawal_or_rebound" in shaky["flags"]
    assert shaky["dominant"] == "craving"
    assert LEVELS.index(shaky["confidence"]) < LEVELS.index(calm["confidence"])
    # The flag does not fold into the mix.
    assert (shaky["craving_score"], shaky["anxiety_score"]) == (calm["craving_score"], calm["anxiety_score"])
    assert "assess_withdrawal" in [rec["code"] for rec in shaky["recommendations"]]


def test_it_does_not_flag_withdrawal_on_a_stable_dose():
    answers = {
        **ANXIETY_PICTURE,
        "med_status": "stable_dose",
        "withdrawal_signs": ["sweating", "paresthesia"],
        "symptoms_new_since_reduction": "yes",
    }
    assert "possible_withdrawal_or_rebound" not in cadi().formulate(answers)["flags"]
    # A stale day count left in the form is hidden by the stable dose and ignored.
    result = cadi().formulate({**answers, "days_since_dose_change": 7})
    assert "possible_withdrawal_or_rebound" not in result["flags"]
    assert result["dominant"] == "anxiety"


@pytest.mark.parametrize(("days", "flagged"), [(0, True), (28, True), (29, False), (None, False)])
def test_it_uses_a_28_day_window_inclusive(days, flagged):
    answers = {
        **ANXIETY_PICTURE,
        "med_status": "tapering",
        "days_since_dose_change": days,
        "withdrawal_signs": ["none"],
        "symptoms_new_since_reduction": "yes",
    }
    assert ("possible_withdrawal_or_rebound" in cadi().formulate(answers)["flags"]) is flagged


def test_it_raises_relapse_risk_high_when_use_above_plan_meets_a_mixed_picture_with_marked_risk_items():
    mixed = {
        **ANXIETY_PICTURE,
        **{
            key: CRAVING_PICTURE[key]
            for key in (
                "first_in_sequence",
                "latency_to_medication_thought",
                "automaticity",
                "idealization",
                "one_dose_narrative",
                "specific_tablet_focus",
            )
        },
    }
    quiet = cadi().formulate({**mixed, "use_above_plan": "no", "medication_access": "no"})
    assert quiet["dominant"] == "mixed" and not {"relapse_risk_high", "relapse_risk_moderate"} & set(
        quiet["flags"]
    )
    risky = cadi().formulate(
        {
            **mixed,
            "use_above_plan": "yes",
            "medication_access": "no",
            "fear_of_functioning_without": 3,
            "insomnia_severity": 2,
        }
    )
    assert risky["dominant"] == "mixed"
    assert "relapse_risk_high" in risky["flags"] and "relapse_risk_moderate" not in risky["flags"]


def test_it_keeps_relapse_risk_moderate_when_use_above_plan_meets_a_clear_anxiety_picture():
    result = cadi().formulate({**ANXIETY_PICTURE, "use_above_plan": "yes", "fear_of_functioning_without": 4})
    assert result["dominant"] == "anxiety"
    assert "relapse_risk_moderate" in result["flags"] and "relapse_risk_high" not in result["flags"]


def test_it_asks_for_a_safety_review_not_urgent_care_for_passive_suicidal_thoughts():
    result = cadi().formulate({**ANXIETY_PICTURE, "suicidal_thoughts": "passive"})
    assert "safety_review" in result["flags"] and "safety_urgent" not in result["flags"]
    urgent = cadi().formulate({**ANXIETY_PICTURE, "suicidal_thoughts": "active"})
    assert "safety_urgent" in urgent["flags"] and "safety_review" not in urgent["flags"]
    assert urgent["recommendations"][1]["code"] == "urgent_safety_assessment"


@pytest.mark.parametrize("use", ["alcohol", "other_sedatives", "both"])
def test_it_flags_sedative_substitution(use):
    assert (
        "sedative_substitution" in cadi().formulate({**CRAVING_PICTURE, "other_sedative_use": use})["flags"]
    )


def test_it_calls_a_thin_interview_insufficient_however_strong_the_answers():
    answers = {
        key: CRAVING_PICTURE[key]
        for key in (
            "first_in_sequence",
            "latency_to_medication_thought",
            "automaticity",
            "idealization",
            "one_dose_narrative",
        )
    }
    result = cadi().formulate(answers)  # two core sections only
    assert result["dominant"] == "insufficient" and result["craving_share"] == 100


def test_it_reads_both_mechanisms_when_both_are_strong():
    both = {
        **CRAVING_PICTURE,
        **{
            key: ANXIETY_PICTURE[key]
            for key in (
                "resemblance_to_prior_pattern",
                "anxiety_symptoms",
                "persistence",
                "independent_of_cues",
            )
        },
        "prior_anxiety_history": "diagnosed",
        "onset_pattern": "both",
        "worry_content": "both",
    }
    result = cadi().formulate(both)
    assert result["dominant"] == "mixed"
    assert result["craving_score"] >= 50 and result["anxiety_score"] >= 50
    assert result["recommendations"][0]["code"] == "focus_both"
