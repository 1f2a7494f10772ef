"""cadi@2 amended before clinical use: relapse_risk_high in every case cadi@1 raised it.

Spec 6.4 asks cadi@2 to raise `relapse_risk_high` "in every case where cadi@1 raised
it". cadi@2 as first shipped (migration 0005) copied cadi@1's three high rules with
their craving-share conditions, but cadi@2's shares are its own (other weights, no cap),
so it missed some of cadi@1's cases (a mixed cadi@1 picture at 38 reads as anxiety at 35
in cadi@2). The shipped file drops those share conditions; this migration brings a
database where 0005 already ran to the same definition.

A published version is frozen because interviews and formulations point at it, and its
number must keep naming one rule set. So the stored cadi@2 is replaced only when it is
the first shipping (its three high rules as pinned below, nothing outside the rules and
test cases changed) and nothing points at it yet. Otherwise it is left exactly as it is,
with a warning: a cadi@2 already in use takes the amendment as a new version through
the question-set editor (README, "What is in it").
"""

import json
import warnings
from pathlib import Path

from django.db import migrations
from django.utils import timezone

# The one place that lifts and reinstalls the frozen-version trigger (SQL in 0004).
from assessments.questionsets.dbguard import guard_install, guard_remove

CADI_V2 = Path(__file__).resolve().parent.parent / "data" / "cadi2.json"
# The parts this amendment may change; everything else must already match the file.
AMENDED = ("rules", "test_cases")
# The three high rules as cadi@2 first shipped them: the fingerprint of the version
# this migration may amend.
FIRST_SHIPPED_WHEN = {
    "relapse_high_use_or_access": (
        "(use_above_plan == 'yes' or medication_access == 'yes') and (craving_share ?? 0) > 35"
        " and ((insomnia_severity ?? 0) >= 3 or (fear_of_functioning_without ?? 0) >= 3"
        " or (anticipatory_anxiety ?? 0) >= 3 or (normality_only_with_pill ?? 0) >= 3"
        " or (only_solution_belief ?? 0) >= 3)"
    ),
    "relapse_high_use_and_access": (
        "use_above_plan == 'yes' and medication_access == 'yes' and (craving_share ?? 0) >= 50"
    ),
    "relapse_high_burden": (
        "((insomnia_severity ?? 0) + (fear_of_functioning_without ?? 0) + (anticipatory_anxiety ?? 0)"
        " + (normality_only_with_pill ?? 0) + (only_solution_belief ?? 0)) >= 12"
        " and (craving_share ?? 0) >= 65"
    ),
}
LEFT_AS_IT_IS = (
    "cadi@2 in this database is left unchanged ({why}); it does not yet raise "
    "relapse_risk_high in every case cadi@1 did (clinical spec 6.4): publish the "
    "shipped relapse rules as a new version through the question-set editor"
)


def _rest(definition: dict) -> dict:
    return {key: value for key, value in definition.items() if key not in AMENDED}


def _high_rules(definition: dict) -> dict:
    return {
        r.get("id"): r.get("when") for r in definition.get("rules", []) if r.get("id") in FIRST_SHIPPED_WHEN
    }


def amend_cadi_v2(apps, schema_editor):
    QuestionSetVersion = apps.get_model("questionsets", "QuestionSetVersion")
    Interview = apps.get_model("interviews", "Interview")
    Formulation = apps.get_model("formulation", "Formulation")
    shipped = json.loads(CADI_V2.read_text(encoding="utf-8"))
    # Locked, so that no interview starts on it between the check and the change.
    stored = (
        QuestionSetVersion.objects.select_for_update()
        .filter(question_set__slug=shipped["slug"], number=shipped["version"])
        .first()
    )
    if stored is None or stored.definition == shipped:
        return
    if stored.status == "draft" or _high_rules(stored.definition) != FIRST_SHIPPED_WHEN:
        return  # not the shipped version 2 (an admin's own, kept under 0005's rules)
    if _rest(stored.definition) != _rest(shipped):
        warnings.warn(
            LEFT_AS_IT_IS.format(why="it differs from the shipped file beyond its rules"), stacklevel=1
        )
        return
    if (
        Interview.objects.filter(question_set_version=stored).exists()
        or Formulation.objects.filter(question_set_version=stored).exists()
    ):
        warnings.warn(LEFT_AS_IT_IS.format(why="interviews or formulations already use it"), stacklevel=1)
        return
    guard_remove(schema_editor.connection)
    try:
        QuestionSetVersion.objects.filter(pk=stored.pk).update(definition=shipped, updated_at=timezone.now())
    finally:
        guard_install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("questionsets", "0005_cadi_v2"),
        ("interviews", "0002_interview_prefilled"),
        ("formulation", "0001_initial"),
    ]
    operations = [migrations.RunPython(amend_cadi_v2, migrations.RunPython.noop)]
