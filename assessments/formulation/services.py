from django.db import transaction

from assessments.questionsets.compiled import compiled_for
from assessments.questionsets.models import QuestionSetVersion
from assessments.questionsets.selectors import QuestionSetNotFound, version_resolve

from .engine import AnswerError
from .engine.records import URGENT_FLAGS
from .models import Formulation


def formulation_compute(*, version: QuestionSetVersion, answers: dict, lang: str = "en") -> dict:
    """Formulate without storing (preview, what-if). Raises AnswerError on bad input."""
    return compiled_for(version).formulate(answers, lang=lang)


@transaction.atomic
def formulation_create(
    *, version: QuestionSetVersion, answers: dict, user=None, interview=None
) -> Formulation:
    result = formulation_compute(version=version, answers=answers)
    languages = compiled_for(version).definition.languages
    translations = {
        lang: formulation_compute(version=version, answers=answers, lang=lang)
        for lang in languages
        if lang != "en"
    }
    return Formulation.objects.create(
        interview=interview,
        translations=translations,
        question_set_version=version,
        engine_version=result["engine_version"],
        answers=answers,
        result=result,
        dominant=result["dominant"],
        craving_share=result["craving_share"],
        safety_urgent=any(flag in result["flags"] for flag in URGENT_FLAGS),
        created_by=user,
    )


class PreviewInputError(ValueError):
    """Refused input at a door (command line, API). `field` names the offending item
    code or top-level key; `errors` maps every offending code to its message."""

    def __init__(self, field: str, message: str, errors: dict | None = None):
        super().__init__(message)
        self.field = field
        self.message = message
        self.errors = errors or {field: message}


def formulation_preview(payload) -> dict:
    """The one path behind every door: `{"answers": {...}, "question_set": "slug[@N]"}`
    in, the formulation contract out. Other top-level keys are ignored (spec 4)."""
    if not isinstance(payload, dict):
        raise PreviewInputError("answers", 'answers: the body must be a JSON object like {"answers": {...}}')
    answers = payload.get("answers")
    if not isinstance(answers, dict):
        raise PreviewInputError("answers", "answers: must be an object mapping item codes to answers")
    ref = payload.get("question_set")
    if ref is not None and not isinstance(ref, str):
        raise PreviewInputError("question_set", 'question_set: must be a string such as "cadi" or "cadi@1"')
    try:
        version = version_resolve(ref)
    except QuestionSetNotFound as exc:
        raise PreviewInputError("question_set", str(exc)) from exc
    try:
        return formulation_compute(version=version, answers=answers)
    except AnswerError as exc:
        raise PreviewInputError(exc.item_code, exc.message, dict(exc.errors)) from exc
