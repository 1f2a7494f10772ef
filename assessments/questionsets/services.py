import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from assessments.formulation.engine import load_definition

from .models import QuestionSet, QuestionSetVersion

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_DEFINITION_FILE = DATA_DIR / "cadi.json"


def definition_read(path: Path = DEFAULT_DEFINITION_FILE) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def default_question_set_ensure() -> QuestionSetVersion:
    """Publish the shipped cadi definition as version 1 unless a published cadi exists.

    The data migration does the same for every migrated database; this entry point
    serves `demo_setup` and tests whose transactional flush emptied the tables.
    """
    definition = definition_read()
    slug = definition["slug"]
    existing = (
        QuestionSetVersion.objects.select_related("question_set")
        .filter(question_set__slug=slug, status=QuestionSetVersion.Status.PUBLISHED)
        .first()
    )
    if existing:
        return existing
    load_definition(definition)  # refuse to publish a definition the engine rejects
    question_set, _ = QuestionSet.objects.get_or_create(
        slug=slug,
        defaults={
            "title": definition["title"]["en"],
            "description": definition.get("description", {}).get("en", ""),
        },
    )
    version, _ = QuestionSetVersion.objects.update_or_create(
        question_set=question_set,
        number=definition["version"],
        defaults={
            "definition": definition,
            "status": QuestionSetVersion.Status.PUBLISHED,
            "published_at": timezone.now(),
        },
    )
    return version
