"""Publish the shipped cadi definition as version 1, so every database has it."""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

# Version 1 as it shipped. Later versions are made by question-set admins (or by a
# new data file and migration); this file must keep describing version 1.
CADI_V1 = Path(__file__).resolve().parent.parent / "data" / "cadi.json"


def load_cadi(apps, schema_editor):
    QuestionSet = apps.get_model("questionsets", "QuestionSet")
    QuestionSetVersion = apps.get_model("questionsets", "QuestionSetVersion")
    definition = json.loads(CADI_V1.read_text(encoding="utf-8"))
    question_set, _ = QuestionSet.objects.get_or_create(
        slug=definition["slug"],
        defaults={
            "title": definition["title"]["en"],
            "description": definition.get("description", {}).get("en", ""),
        },
    )
    QuestionSetVersion.objects.get_or_create(
        question_set=question_set,
        number=definition["version"],
        defaults={"definition": definition, "status": "published", "published_at": timezone.now()},
    )


class Migration(migrations.Migration):
    dependencies = [("questionsets", "0001_initial")]
    operations = [migrations.RunPython(load_cadi, migrations.RunPython.noop)]
