from assessments.core.texts import localized
from assessments.formulation.services import compiled_for

from .models import Interview


def interview_answer_rows(interview: Interview, language: str) -> list[dict]:
    """Each question with its answer in words, in interview order."""
    definition = compiled_for(interview.question_set_version).definition
    rows = []
    for section in definition.sections:
        for code in section.items:
            item = definition.items[code]
            value = interview.answers.get(code)
            labels = {o.code: localized(o.label, language) for o in item.options}
            if isinstance(value, list):
                shown = ", ".join(labels.get(v, v) for v in value)
            else:
                shown = labels.get(value, value)
            rows.append(
                {
                    "section": localized(section.title, language),
                    "code": code,
                    "text": localized(item.text, language),
                    "value": shown,
                }
            )
    return rows
