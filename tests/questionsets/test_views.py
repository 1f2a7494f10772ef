"""The admin pages: who may use them, which methods, and the edits they make."""

import json

import pytest
from django.urls import reverse

from assessments.questionsets.models import QuestionSetVersion
from tests.conftest import PASSWORD
from tests.questionsets.conftest import new_item, with_item

# (url name, needs a version argument, method)
PAGES = [
    ("questionset-list", False, "get"),
    ("questionset-import", False, "get"),
    ("questionset-version", True, "get"),
    ("questionset-json", True, "get"),
    ("questionset-dry-run", True, "get"),
    ("questionset-diff", True, "get"),
    ("questionset-export", True, "get"),
    ("questionset-fhir", True, "get"),
    ("questionset-item-new", True, "get"),
    ("questionset-rule-new", True, "get"),
    ("questionset-case-new", True, "get"),
    ("questionset-clone", True, "post"),
    # GET shows the confirmation page; the POST is signed with the password.
    ("questionset-publish", True, "get"),
    ("questionset-retire", True, "get"),
    ("questionset-delete", True, "post"),
    ("questionset-whatif-start", True, "post"),
]
POST_ONLY = [name for name, _, method in PAGES if method == "post"]


def _url(name, needs_version, version):
    return reverse(name, args=[version.uuid]) if needs_version else reverse(name)


@pytest.mark.parametrize(("name", "needs_version", "method"), PAGES)
@pytest.mark.parametrize("who", ["clinician", "supervisor", "no_role_user"])
def test_it_forbids_the_pages_to_other_roles(draft, login, request, who, name, needs_version, method):
    client = login(request.getfixturevalue(who))
    response = getattr(client, method)(_url(name, needs_version, draft))
    assert response.status_code == 403
    assert QuestionSetVersion.objects.count() == 3  # cadi@1 (retired), cadi@2, the draft


@pytest.mark.parametrize(("name", "needs_version", "method"), PAGES)
def test_it_sends_anonymous_visitors_to_the_login(draft, client, name, needs_version, method):
    response = getattr(client, method)(_url(name, needs_version, draft))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", POST_ONLY)
def test_it_refuses_get_on_actions(draft, qs_admin, login, name):
    assert login(qs_admin).get(reverse(name, args=[draft.uuid])).status_code == 405


@pytest.mark.parametrize("name", ["questionset-list", "questionset-version", "questionset-export"])
def test_it_refuses_other_methods_on_pages(draft, qs_admin, login, name):
    url = reverse(name, args=[draft.uuid]) if name != "questionset-list" else reverse(name)
    assert login(qs_admin).put(url).status_code == 405


def test_it_lets_a_superuser_in(draft, django_user_model, login):
    root = django_user_model.objects.create_superuser("root2", password="x")
    assert login(root).get(reverse("questionset-version", args=[draft.uuid])).status_code == 200


def test_it_lists_sets_and_versions(draft, qs_admin, login, django_assert_max_num_queries):
    client = login(qs_admin)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("questionset-list")).content.decode()
    assert "cadi@1" in page and "cadi@2" in page and "cadi@3" in page


def _item_post(definition, **overrides) -> dict:
    data = {
        "code": "sleep_dread",
        "type": "single",
        "section": "thinking",
        "text_en": "Is the night without the tablet dreaded?",
        "text_pl": "Czy noc bez tabletki budzi lęk?",
        "visible_mode": "in",
        "options-TOTAL_FORMS": "3",
        "options-INITIAL_FORMS": "0",
        "options-0-code": "yes",
        "options-0-label_en": "Yes",
        "options-0-label_pl": "Tak",
        "options-0-craving": "2",
        "options-0-evidence_label_en": "Dreads the night without the drug",
        "options-0-evidence_label_pl": "Lęk przed nocą bez leku",
        "options-0-rationale": "Bedtime was a dosing occasion.",
        "options-1-code": "no",
        "options-1-label_en": "No",
        "options-1-label_pl": "Nie",
    }
    data.update(overrides)
    return data


def _codes(version) -> list[str]:
    version.refresh_from_db()
    return [item["code"] for section in version.definition["sections"] for item in section["items"]]


def test_it_adds_an_item_with_weighted_options(draft, qs_admin, login):
    response = login(qs_admin).post(
        reverse("questionset-item-new", args=[draft.uuid]), _item_post(draft.definition)
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    thinking = next(s for s in draft.definition["sections"] if s["code"] == "thinking")
    item = thinking["items"][-1]
    assert item["code"] == "sleep_dread" and item["options"][0] == {
        "code": "yes",
        "label": {"en": "Yes", "pl": "Tak"},
        "craving": 2,
        "evidence_label": {"en": "Dreads the night without the drug", "pl": "Lęk przed nocą bez leku"},
        "rationale": "Bedtime was a dosing occasion.",
    }
    assert item["options"][1] == {"code": "no", "label": {"en": "No", "pl": "Nie"}}


def test_it_shows_the_engine_errors_and_stores_nothing(draft, qs_admin, login):
    before = draft.definition
    data = _item_post(draft.definition, code="onset_pattern", **{"options-0-evidence_label_en": ""})
    response = login(qs_admin).post(reverse("questionset-item-new", args=[draft.uuid]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "item onset_pattern: duplicate item code" in page
    assert "option yes.evidence_label: must give a text" in page
    draft.refresh_from_db()
    assert draft.definition == before


def test_it_edits_an_item_keeping_what_the_form_does_not_show(draft, qs_admin, login):
    client = login(qs_admin)
    url = reverse("questionset-item", args=[draft.uuid, "anxiety_symptoms"])
    form = client.get(url)
    assert form.status_code == 200 and 'value="persistent_worry"' in form.content.decode()
    context = form.context
    data = {
        **context["form"].initial,
        "visible_mode": "in",
        "text_en": "Which anxiety symptoms are present now?",
    }
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}
    formset = context["formset"]
    data.update(
        {"options-TOTAL_FORMS": str(len(formset.forms)), "options-INITIAL_FORMS": str(len(formset.initial))}
    )
    for index, initial in enumerate(formset.initial):
        data.update({f"options-{index}-{k}": v for k, v in initial.items() if v is not None})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    item = next(
        i for s in draft.definition["sections"] for i in s["items"] if i["code"] == "anxiety_symptoms"
    )
    assert item["text"]["en"] == "Which anxiety symptoms are present now?"
    assert item["breadth"]  # breadth rules are kept although the form does not show them


def test_it_reorders_and_deletes_items(draft, qs_admin, login):
    client = login(qs_admin)
    codes = _codes(draft)
    second = codes[1]
    client.post(reverse("questionset-item-move", args=[draft.uuid, second]), {"direction": "up"})
    assert _codes(draft)[:2] == [second, codes[0]]
    client.post(reverse("questionset-item-move", args=[draft.uuid, second]), {"direction": "up"})
    assert _codes(draft)[0] == second  # the top stays the top
    client.post(reverse("questionset-item-delete", args=[draft.uuid, "clinician_notes"]))
    assert "clinician_notes" not in _codes(draft)


def test_it_refuses_to_delete_an_item_a_rule_uses(draft, qs_admin, login):
    response = login(qs_admin).post(
        reverse("questionset-item-delete", args=[draft.uuid, "onset_pattern"]), follow=True
    )
    assert "onset_pattern" in _codes(draft)
    assert "rule cue_dosing_link: unknown item or value" in response.content.decode()


def _rule_post(**overrides) -> dict:
    data = {
        "id": "dread_and_cue",
        "when": "sleep_dread == 'yes' and onset_pattern == 'cue_linked'",
        "direction": "craving",
        "weight": "1.5",
        "label_en": "Dread of the night together with cue-linked onset",
        "label_pl": "Lęk przed nocą wraz z początkiem związanym z bodźcami",
        "rationale": "Both point at bedtime as a former dosing cue.",
    }
    data.update(overrides)
    return data


def test_it_adds_a_compound_rule_and_names_an_unknown_code(draft, qs_admin, login):
    client = login(qs_admin)
    refused = client.post(reverse("questionset-rule-new", args=[draft.uuid]), _rule_post())
    assert (
        refused.status_code == 400
        and "rule dread_and_cue: unknown item or value &#x27;sleep_dread&#x27;" in refused.content.decode()
    )
    client.post(reverse("questionset-item-new", args=[draft.uuid]), _item_post(draft.definition))
    assert client.post(reverse("questionset-rule-new", args=[draft.uuid]), _rule_post()).status_code == 302
    draft.refresh_from_db()
    assert draft.definition["rules"][-1]["weight"] == 1.5


def test_it_edits_the_whole_definition_as_json(draft, qs_admin, login):
    client = login(qs_admin)
    url = reverse("questionset-json", args=[draft.uuid])
    bad = client.post(url, {"definition": "{not json"})
    assert bad.status_code == 400 and "Not valid JSON" in bad.content.decode()
    changed = with_item(draft.definition, new_item())
    assert client.post(url, {"definition": json.dumps(changed)}).status_code == 302
    assert "sleep_dread" in _codes(draft)


def test_it_refuses_editing_a_published_version(cadi, qs_admin, login):
    client = login(qs_admin)
    for url in (
        reverse("questionset-json", args=[cadi.uuid]),
        reverse("questionset-item", args=[cadi.uuid, "automaticity"]),
    ):
        assert client.post(url, {"definition": "{}"}).status_code == 302
    cadi.refresh_from_db()
    assert cadi.definition["sections"]


def test_it_adds_a_test_case_and_blocks_publishing_while_it_fails(cadi, draft, qs_admin, login):
    client = login(qs_admin)
    answers = json.dumps(
        {"onset_pattern": "cue_linked", "automaticity": 4, "first_in_sequence": "medication_thought"}
    )
    case = {"id": "T1-wrong", "answers": answers, "dominant": ["anxiety"]}
    assert client.post(reverse("questionset-case-new", args=[draft.uuid]), case).status_code == 302
    dry_run = client.get(reverse("questionset-dry-run", args=[draft.uuid])).content.decode()
    total = len(cadi.definition["test_cases"]) + 1
    assert "T1-wrong" in dry_run and f"{total} test cases, 1 failing" in dry_run
    publish = reverse("questionset-publish", args=[draft.uuid])
    unsigned = client.post(publish)
    assert unsigned.status_code == 400 and "Enter your password to sign" in unsigned.content.decode()
    refused = client.post(publish, {"password": PASSWORD})
    # Failures in labels, never codes (issue 15, item 8).
    assert refused.status_code == 400 and "T1-wrong: expected Mainly anxiety, got" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    fixed = {**case, "dominant": ["craving", "mixed", "insufficient"]}
    assert client.post(reverse("questionset-case", args=[draft.uuid, "T1-wrong"]), fixed).status_code == 302
    assert client.post(publish, {"password": "wrong"}).status_code == 400
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert client.post(publish, {"password": PASSWORD}).status_code == 302
    draft.refresh_from_db()
    cadi.refresh_from_db()
    assert (draft.status, cadi.status) == ("published", "retired")


def test_it_shows_the_diff_between_versions(draft, qs_admin, login):
    client = login(qs_admin)
    client.post(reverse("questionset-item-new", args=[draft.uuid]), _item_post(draft.definition))
    client.post(reverse("questionset-rule-new", args=[draft.uuid]), _rule_post())
    client.post(reverse("questionset-item-delete", args=[draft.uuid, "clinician_notes"]))
    page = client.get(reverse("questionset-diff", args=[draft.uuid])).content.decode()
    assert "From cadi@2 to cadi@3" in page
    assert "<code>sleep_dread</code>" in page and "<code>clinician_notes</code>" in page
    assert "sleep_dread.yes.craving" in page and "dread_and_cue" in page


def test_it_lists_missing_translations(draft, qs_admin, login):
    client = login(qs_admin)
    definition = json.loads(json.dumps(draft.definition))
    item = definition["sections"][0]["items"][0]
    item["help"] = {"en": "Ask about the current plan.", "pl": "Ask about the current plan."}
    client.post(reverse("questionset-json", args=[draft.uuid]), {"definition": json.dumps(definition)})
    page = client.get(reverse("questionset-version", args=[draft.uuid])).content.decode()
    assert "context › med_status › help" in page and "same as English" in page


def test_the_condition_example_in_the_rule_form_is_one_the_editor_accepts(draft, qs_admin, login):
    """The walk copied the help text's example into a rule and had it refused (a
    nullable item compared without ??)."""
    from assessments.questionsets.forms import RuleForm

    help_text = str(RuleForm.base_fields["when"].help_text)
    example = help_text.split("e.g. ", 1)[1].rstrip(".")
    response = login(qs_admin).post(
        reverse("questionset-rule-new", args=[draft.uuid]), _rule_post(id="from_the_example", when=example)
    )
    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    assert draft.definition["rules"][-1]["when"] == example
