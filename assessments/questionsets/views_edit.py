"""Structured edits of a draft: items (with options and weights), compound rules,
test cases, item order. Each edit builds a changed copy of the definition and
saves it through the one service that validates the whole document."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.core.texts import current_language
from assessments.formulation.engine import DefinitionError
from assessments.questionsets.answer_layout import build_layout, field_values
from assessments.questionsets.compiled import compiled_for

from . import editing, services
from .answer_forms import initial_from_answers, interview_form_class
from .forms import ItemForm, RuleForm, TestCaseForm, option_formset
from .views import _not_a_draft, _version, admin_only


def _save(request, version, definition, change: dict) -> list[str]:
    """Save the changed definition; the engine's errors when it is refused."""
    try:
        services.version_definition_save(
            version=version, definition=definition, user=request.user, change=change
        )
    except (DefinitionError, services.VersionError) as exc:
        return exc.errors
    messages.success(request, _("Saved."))
    return []


def _draft_or_redirect(request, version_uuid):
    version = _version(version_uuid)
    return version, (None if version.is_draft else _not_a_draft(request, version))


@require_http_methods(["GET", "POST"])
@admin_only
def item_edit(request, version_uuid, code=None):
    version, refused = _draft_or_redirect(request, version_uuid)
    if refused:
        return refused
    definition = version.definition
    existing, initial, options = None, {}, ()
    if code is not None:
        try:
            section, existing = editing.item_find(definition, code)
        except editing.EditError:
            raise Http404 from None
        initial, options = ItemForm.initial_for(existing, section["code"]), existing.get("options", ())
    data = request.POST if request.method == "POST" else None
    form = ItemForm(data, definition=definition, initial=initial)
    formset = option_formset(data, languages=form.languages, options=options)
    errors = []
    if data is not None and form.is_valid() and formset.is_valid():
        chosen = [o for o in (f.option() for f in formset.forms) if o is not None]
        item = form.item(existing=existing, options=chosen)
        if form.is_valid():  # the weights parser may have added field errors
            changed = editing.item_put(
                definition, item=item, section_code=form.cleaned_data["section"], replacing=code
            )
            errors = _save(request, version, changed, {"change": "item", "item": item["code"]})
            if not errors:
                return redirect("questionset-version", version_uuid=version.uuid)
    context = {"version": version, "form": form, "formset": formset, "errors": errors, "code": code}
    return render(request, "questionsets/item_form.html", context, status=400 if data is not None else 200)


@require_POST
@admin_only
def item_move(request, version_uuid, code):
    offset = -1 if request.POST.get("direction") == "up" else 1
    return _apply_edit(
        request,
        version_uuid,
        lambda d: editing.item_move(d, code, offset),
        {"change": "item_moved", "item": code},
        lambda version: f"{_detail_url(version)}#item-{code}",
    )


@require_POST
@admin_only
def item_delete(request, version_uuid, code):
    # A rule or test case that still uses the item makes the engine refuse: _save says which.
    return _apply_edit(
        request,
        version_uuid,
        lambda d: editing.item_remove(d, code),
        {"change": "item_deleted", "item": code},
        _detail_url,
    )


def _apply_edit(request, version_uuid, edit, change: dict, target):
    """The one-click edits (move, delete): apply `edit` to the draft's definition,
    save it through the engine's checks, report refusals, go back to `target`."""
    version, refused = _draft_or_redirect(request, version_uuid)
    if refused:
        return refused
    try:
        changed = edit(version.definition)
    except editing.EditError:
        raise Http404 from None
    for error in _save(request, version, changed, change):
        messages.error(request, error)
    return redirect(target(version))


def _detail_url(version) -> str:
    return reverse("questionset-version", kwargs={"version_uuid": version.uuid})


@require_http_methods(["GET", "POST"])
@admin_only
def rule_edit(request, version_uuid, rule_id=None):
    version, refused = _draft_or_redirect(request, version_uuid)
    if refused:
        return refused
    initial = {}
    if rule_id is not None:
        try:
            initial = RuleForm.initial_for(editing.entry_find(version.definition, "rules", rule_id))
        except editing.EditError:
            raise Http404 from None
    data = request.POST if request.method == "POST" else None
    form = RuleForm(data, definition=version.definition, initial=initial)
    errors = []
    if data is not None and form.is_valid():
        rule = form.rule()
        changed = editing.rule_put(version.definition, rule=rule, replacing=rule_id)
        errors = _save(request, version, changed, {"change": "rule", "rule": rule["id"]})
        if not errors:
            return redirect(f"{_detail_url(version)}#rules")
    context = {"version": version, "form": form, "errors": errors, "rule_id": rule_id}
    return render(request, "questionsets/rule_form.html", context, status=400 if data is not None else 200)


@require_POST
@admin_only
def rule_delete(request, version_uuid, rule_id):
    return _apply_edit(
        request,
        version_uuid,
        lambda d: editing.rule_remove(d, rule_id),
        {"change": "rule_deleted", "rule": rule_id},
        lambda version: f"{_detail_url(version)}#rules",
    )


def _answer_form(version, data, answers: dict):
    """The interview's own widgets for a test case's answers (prefixed: item codes must
    not clash with the case's fields), built from the draft being edited."""
    compiled = compiled_for(version)
    language = current_language()
    form_class, _ = interview_form_class(version=version, compiled=compiled, language=language)
    form = form_class(data, prefix="answer", initial=initial_from_answers(answers))
    # A draft's layout changes with every edit: built per request here (an admin page),
    # with the prefix, rather than cached like a published version's interview layout.
    layout = build_layout(compiled.definition, form_class, language, prefix="answer")
    errors = form.errors if form.is_bound else {}
    return form, layout.render(field_values(form), {code: " ".join(e) for code, e in errors.items()})


@require_http_methods(["GET", "POST"])
@admin_only
def test_case_edit(request, version_uuid, case_id=None):
    version, refused = _draft_or_redirect(request, version_uuid)
    if refused:
        return refused
    initial, answers = {}, {}
    if case_id is not None:
        try:
            case = editing.entry_find(version.definition, "test_cases", case_id)
        except editing.EditError:
            raise Http404 from None
        initial, answers = TestCaseForm.initial_for(case), case.get("answers", {})
    data = request.POST if request.method == "POST" else None
    form = TestCaseForm(data, initial=initial)
    answer_form, answer_fields = _answer_form(version, data, answers)
    errors = []
    widgets_valid = answer_form is None or answer_form.is_valid()
    if data is not None and form.is_valid() and widgets_valid:
        from_widgets = answer_form is not None and form.source() != "json"
        case = form.case(answers=answer_form.answers() if from_widgets else None)
        changed = editing.test_case_put(version.definition, case=case, replacing=case_id)
        errors = _save(request, version, changed, {"change": "test_case", "test_case": case["id"]})
        if not errors:
            return redirect("questionset-dry-run", version_uuid=version.uuid)
    context = {
        "version": version,
        "form": form,
        "answer_form": answer_form,
        "answer_fields": answer_fields,
        "errors": errors,
        "case_id": case_id,
    }
    return render(
        request, "questionsets/test_case_form.html", context, status=400 if data is not None else 200
    )


@require_POST
@admin_only
def test_case_delete(request, version_uuid, case_id):
    return _apply_edit(
        request,
        version_uuid,
        lambda d: editing.test_case_remove(d, case_id),
        {"change": "test_case_deleted", "test_case": case_id},
        lambda version: reverse("questionset-dry-run", kwargs={"version_uuid": version.uuid}),
    )
