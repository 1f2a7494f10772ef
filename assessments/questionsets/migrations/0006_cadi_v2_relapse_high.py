"""cadi@2 amended before clinical use: relapse_risk_high in every case cadi@1 raised it.

Spec 6.4 asks cadi@2 to raise `relapse_risk_high` "in every case where cadi@1 raised
it". cadi@2 as first shipped (migration 0005) copied cadi@1's three high rules with
their craving-share conditions, but cadi@2's shares are its own (other weights, no cap),
so it missed some of cadi@1's cases (a mixed cadi@1 picture at 38 reads as anxiety at 35
in cadi@2). The shipped file drops those share conditions; this migration brings a
database where 0005 already ran to the same definition.

A published version is frozen because interviews and formulations point at it. So the
stored cadi@2 is replaced only while nothing points at it, and only when it differs from
the file in its rules and test cases alone (the first shipping). A cadi@2 already in use
is left exactly as it is, and a warning says so: its amendment then goes out as a new
version through the question-set editor, as any change to a used version must.
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


def _rest(definition: dict) -> dict:
    return {key: value for key, value in definition.items() if key not in AMENDED}


def amend_cadi_v2(apps, schema_editor):
    QuestionSetVersion = apps.get_model("questionsets", "QuestionSetVersion")
    Interview = apps.get_model("interviews", "Interview")
    Formulation = apps.get_model("formulation", "Formulation")
    shipped = json.loads(CADI_V2.read_text(encoding="utf-8"))
    stored = QuestionSetVersion.objects.filter(
        question_set__slug=shipped["slug"], number=shipped["version"]
    ).first()
    if stored is None or stored.definition == shipped:
        return
    if _rest(stored.definition) != _rest(shipped) or stored.status == "draft":
        return  # not the shipped version 2 (an admin's own): not ours to amend
    in_use = (
        Interview.objects.filter(question_set_version=stored).exists()
        or Formulation.objects.filter(question_set_version=stored).exists()
    )
    if in_use:
        warnings.warn(
            "cadi@2 in this database is already used by interviews and is left unchanged; "
            "publish the amended relapse rules (clinical spec 6.4) as a new version",
            stacklevel=1,
        )
        return
    guard_remove(schema_editor.connection)
    QuestionSetVersion.objects.filter(pk=stored.pk).update(definition=shipped, updated_at=timezone.now())
    guard_install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("questionsets", "0005_cadi_v2"),
        ("interviews", "0002_interview_prefilled"),
        ("formulation", "0001_initial"),
    ]
    operations = [migrations.RunPython(amend_cadi_v2, migrations.RunPython.noop)]
