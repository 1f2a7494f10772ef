"""Publish the shipped cadi@2 (clinical spec, section 6) as the default and retire
cadi@1. Retired, not deleted: interviews started on cadi@1 finish on it and every
stored formulation keeps pointing at the version that produced it."""

import json
from pathlib import Path

from django.db import migrations
from django.db.models import Max
from django.utils import timezone

# Version 2 as it shipped; this file must keep describing version 2.
CADI_V2 = Path(__file__).resolve().parent.parent / "data" / "cadi2.json"


def publish_cadi_v2(apps, schema_editor):
    QuestionSet = apps.get_model("questionsets", "QuestionSet")
    QuestionSetVersion = apps.get_model("questionsets", "QuestionSetVersion")
    definition = json.loads(CADI_V2.read_text(encoding="utf-8"))
    question_set, _ = QuestionSet.objects.get_or_create(
        slug=definition["slug"],
        defaults={
            "title": definition["title"]["en"],
            "description": definition.get("description", {}).get("en", ""),
        },
    )
    versions = QuestionSetVersion.objects.filter(question_set=question_set)
    taken = versions.filter(number=definition["version"]).first()
    if taken is not None and taken.definition == definition:
        return  # already there (the migration ran on a copy of this database)
    if taken is not None:
        # An admin's own version 2 (a draft, or one they published) keeps its content
        # under the next free number; the shipped document names itself version 2.
        if taken.status != "draft":
            raise RuntimeError(
                "cadi@2 already exists with other content and is not a draft: "
                "retire or renumber it by hand before this migration"
            )
        next_number = versions.aggregate(n=Max("number"))["n"] + 1
        taken.number = next_number
        taken.definition = {**taken.definition, "version": next_number}
        taken.save(update_fields=["number", "definition"])
    now = timezone.now()
    versions.filter(status="published").update(status="retired", retired_at=now)
    QuestionSetVersion.objects.create(
        question_set=question_set,
        number=definition["version"],
        definition=definition,
        status="published",
        published_at=now,
    )


class Migration(migrations.Migration):
    dependencies = [("questionsets", "0004_version_frozen_trigger")]
    operations = [migrations.RunPython(publish_cadi_v2, migrations.RunPython.noop)]
