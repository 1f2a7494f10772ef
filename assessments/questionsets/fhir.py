"""FHIR R4B exports: a version as a Questionnaire, a finalized interview as a
QuestionnaireResponse. Every resource is built as a dict and passed through the
fhir.resources model before it leaves, so an export the library refuses is never
served.

Mapping: a section is a `group`; single and multi items are `choice` (multi
repeats), scale items `choice` with the anchors as codings "0".."4", integers
`integer` with min/max extensions, text `text`. Polish texts ride on the standard
translation extension. `visible_if` becomes `enableWhen`; FHIR has no "not answered
or not one of", so `not_in` is an approximation that hides the item until the
controlling item is answered.
"""

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from assessments.formulation.engine.records import SCALE_MAX

from .compiled import compiled_for

BASE = "urn:zeus-assess"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
STATUS = {"draft": "draft", "published": "active", "retired": "retired"}
FHIR_TYPE = {"single": "choice", "multi": "choice", "scale": "choice", "integer": "integer", "text": "text"}


def questionnaire_url(slug: str) -> str:
    return f"{BASE}:questionnaire:{slug}"


def _system(slug: str, code: str) -> str:
    return f"{BASE}:questionnaire:{slug}:{code}"


def _text(texts: dict | None, key: str = "text") -> dict:
    """`{key: English, _key: translations}`, the FHIR way to carry languages."""
    if not texts:
        return {}
    extensions = [
        {
            "url": TRANSLATION,
            "extension": [{"url": "lang", "valueCode": lang}, {"url": "content", "valueString": text}],
        }
        for lang, text in texts.items()
        if lang != "en"
    ]
    out = {key: texts.get("en", "")}
    if extensions:
        out[f"_{key}"] = {"extension": extensions}
    return out


def _codings(item, definition, slug: str) -> list[dict]:
    if item.type == "scale":
        anchors = item.anchors or definition.scale_anchors or {}
        return [
            {
                "system": _system(slug, item.code),
                "code": str(point),
                "display": anchors.get(str(point), {}).get("en", str(point)),
            }
            for point in range(SCALE_MAX + 1)
        ]
    return [
        {"system": _system(slug, item.code), "code": o.code, "display": o.label["en"]} for o in item.options
    ]


def _question(item, definition, slug: str) -> dict:
    question = {"linkId": item.code, "type": FHIR_TYPE[item.type], **_text(item.text)}
    if item.type == "multi":
        question["repeats"] = True
    if item.type in ("single", "multi", "scale"):
        question["answerOption"] = [{"valueCoding": coding} for coding in _codings(item, definition, slug)]
    if item.type == "integer":
        question["extension"] = [
            {"url": MIN_VALUE, "valueInteger": item.minimum},
            {"url": MAX_VALUE, "valueInteger": item.maximum},
        ]
    if item.type == "text":
        question["maxLength"] = item.max_length
    if item.visible_if:
        controller, mode, values = item.visible_if
        operator = "=" if mode == "in" else "!="
        question["enableWhen"] = [
            {
                "question": controller,
                "operator": operator,
                "answerCoding": {"system": _system(slug, controller), "code": value},
            }
            for value in sorted(values)
        ]
        question["enableBehavior"] = "any" if mode == "in" else "all"
    if item.help:
        question["item"] = [{"linkId": f"{item.code}.help", "type": "display", **_text(item.help)}]
    return question


def questionnaire_resource(version) -> dict:
    """The version as a validated FHIR R4B Questionnaire (a JSON-ready dict)."""
    definition = compiled_for(version).definition
    slug = version.question_set.slug
    resource = {
        "resourceType": "Questionnaire",
        "id": f"{slug}-{version.number}",
        "url": questionnaire_url(slug),
        "identifier": [{"system": f"{BASE}:questionset-version", "value": str(version.uuid)}],
        "version": str(version.number),
        "name": slug.replace("_", " ").title().replace(" ", ""),
        "status": STATUS[version.status],
        "subjectType": ["Patient"],
        **_text(definition.title, "title"),
        "item": [
            {
                "linkId": section.code,
                "type": "group",
                **_text(section.title),
                "item": [_question(definition.items[code], definition, slug) for code in section.items],
            }
            for section in definition.sections
        ],
    }
    if version.published_at:
        resource["date"] = version.published_at.isoformat()
    if definition.description:
        resource["description"] = definition.description["en"]
    return Questionnaire.model_validate(resource).model_dump(mode="json", exclude_none=True)


def _answers(item, value, definition, slug: str) -> list[dict]:
    if item.type in ("single", "multi", "scale"):
        codings = {coding["code"]: coding for coding in _codings(item, definition, slug)}
        values = value if isinstance(value, list) else [value]
        return [{"valueCoding": codings[str(v)]} for v in values if str(v) in codings]
    if item.type == "integer":
        return [{"valueInteger": int(value)}]
    return [{"valueString": str(value)}]


def questionnaire_response_resource(interview) -> dict:
    """A finalized interview as a validated FHIR R4B QuestionnaireResponse. The
    patient is named by the pseudonymous record number only."""
    version = interview.question_set_version
    compiled = compiled_for(version)
    definition = compiled.definition
    slug = version.question_set.slug
    answers = compiled.visible_answers(interview.answers)
    groups = []
    for section in definition.sections:
        items = []
        for code in section.items:
            if answers.get(code) in (None, "", []):
                continue
            item = definition.items[code]
            entries = _answers(item, answers[code], definition, slug)
            if entries:
                items.append({"linkId": code, **_text(item.text), "answer": entries})
        if items:
            groups.append({"linkId": section.code, **_text(section.title), "item": items})
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(interview.uuid),
        "identifier": {"system": f"{BASE}:interview", "value": str(interview.uuid)},
        "questionnaire": f"{questionnaire_url(slug)}|{version.number}",
        "status": "amended" if interview.amends_id else "completed",
        "subject": {
            "identifier": {
                "system": f"{BASE}:patient-record-number",
                "value": interview.session.patient.record_number,
            }
        },
        "authored": interview.finalized_at.isoformat(),
        "author": {"identifier": {"system": f"{BASE}:user", "value": interview.finalized_by.get_username()}},
        "item": groups,
    }
    return QuestionnaireResponse.model_validate(resource).model_dump(mode="json", exclude_none=True)
