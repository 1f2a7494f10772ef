"""Question-set administration: overview, version page, lifecycle, JSON, import and
export, dry run, diff, what-if. Structured edits live in views_edit.py.

Question sets hold no patient data, so versions are fetched by uuid without a
care-relation scope; only the role decides. The one export that holds patient data
(the QuestionnaireResponse) goes through Interview.objects.visible_to.
"""

import json

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.accounts.permissions import role_required
from assessments.accounts.roles import Role
from assessments.core import audit
from assessments.core.audit import Action
from assessments.formulation.engine import DefinitionError
from assessments.questionsets.compiled import compiled_for

from . import fhir, selectors, services, whatif
from .diff import version_diff
from .forms import DefinitionForm, ImportForm, SignatureForm
from .models import QuestionSetVersion, WhatIfRun
from .translations import missing_translations, needs_review, text_paths

admin_only = role_required(Role.QUESTIONSET_ADMIN)


def _version(version_uuid) -> QuestionSetVersion:
    return get_object_or_404(
        QuestionSetVersion.objects.select_related("question_set", "based_on", "created_by", "published_by"),
        uuid=version_uuid,
    )


@require_GET
@admin_only
def set_list(request):
    return render(
        request, "questionsets/list.html", {"question_sets": selectors.question_sets_with_versions()}
    )


@require_GET
@admin_only
def version_detail(request, version_uuid):
    version = _version(version_uuid)
    compiled = compiled_for(version)
    context = {
        "version": version,
        "definition": version.definition,
        "compiled": compiled,
        "rule_catalogue_size": len(compiled.rule_catalogue()),
        "missing": missing_translations(version.definition),
        "needing_review": _needing_review(version),
        "others": selectors.versions_of(version.question_set_id).exclude(pk=version.pk),
        "runs": selectors.whatif_runs(version)[:5],
    }
    return render(request, "questionsets/version.html", context)


@require_POST
@admin_only
def version_clone(request, version_uuid):
    draft = services.version_clone(version=_version(version_uuid), user=request.user)
    messages.success(request, _("Draft %(ref)s created.") % {"ref": draft.ref})
    return redirect("questionset-version", version_uuid=draft.uuid)


def _needing_review(version) -> list[dict]:
    """The marks with the text as it reads now in the marked language and in English."""
    texts = text_paths(version.definition)
    return [
        {
            **mark,
            "text": texts[mark["where"]].get(mark["language"]),
            "english": texts[mark["where"]].get("en"),
        }
        for mark in needs_review(version.definition)
        if mark["where"] in texts
    ]


@require_POST
@admin_only
def text_confirm(request, version_uuid):
    """Someone read the marked text and confirms it as it is."""
    version = _version(version_uuid)
    if not version.is_draft:
        return _not_a_draft(request, version)
    mark = {"where": request.POST.get("where", ""), "language": request.POST.get("language", "")}
    if mark in needs_review(version.definition):
        try:
            services.version_definition_save(
                version=version,
                definition=version.definition,
                user=request.user,
                change={"change": "text_confirmed", **mark},
                confirmed_texts=[mark],
            )
        except (DefinitionError, services.VersionError) as exc:
            for error in exc.errors:
                messages.error(request, error)
        else:
            messages.success(request, _("Text confirmed: %(where)s (%(language)s).") % mark)
    return redirect(f"{reverse('questionset-version', kwargs={'version_uuid': version.uuid})}#review-heading")


def _published_of(version) -> QuestionSetVersion | None:
    return (
        selectors.versions_of(version.question_set_id)
        .filter(status=QuestionSetVersion.Status.PUBLISHED)
        .exclude(pk=version.pk)
        .first()
    )


def _publish_context(version) -> dict:
    """What the admin signs: the diff against the version it replaces (or was cloned
    from) and every test case's result."""
    context = _dry_run_context(version)
    against = _published_of(version) or version.based_on
    context["against"] = against
    context["needing_review"] = _needing_review(version)
    if against is not None and "definition_errors" not in context:
        context["diff"] = version_diff(
            compiled_for(against),
            compiled_for(version),
            old_definition=against.definition,
            new_definition=version.definition,
        )
    return context


@require_http_methods(["GET", "POST"])
@admin_only
def version_publish(request, version_uuid):
    """GET: the confirmation page; POST: publish, signed with the admin's password."""
    version = _version(version_uuid)
    if not version.is_draft:
        messages.error(request, _("Only a draft can be published."))
        return redirect("questionset-version", version_uuid=version.uuid)
    form = SignatureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_publish(
                version=version,
                user=request.user,
                password=form.cleaned_data["password"],
                texts_confirmed=form.cleaned_data["texts_confirmed"],
            )
        except services.SignatureRefused as exc:
            form.add_error("password", exc.errors[0])
        except services.TextsUnreviewed as exc:
            form.add_error("texts_confirmed", exc.errors[0])
        except (services.VersionError, DefinitionError) as exc:
            context = _publish_context(version)
            errors = exc.errors
            failing_ids = {f"{case['id']}: " for case in context.get("failing", [])}
            refused_for_cases = failing_ids and all(
                any(error.startswith(prefix) for prefix in failing_ids) for error in exc.errors
            )
            if isinstance(exc, services.PublishRefused) and refused_for_cases:
                # The same failures the engine found, said in labels rather than codes.
                errors = [
                    f"{case['id']}: {failure}" for case in context["failing"] for failure in case["failures"]
                ]
            context.update(publish_errors=errors, form=form)
            return render(request, "questionsets/publish.html", context, status=400)
        else:
            messages.success(
                request, _("%(ref)s is published; new interviews use it.") % {"ref": version.ref}
            )
            return redirect("questionset-version", version_uuid=version.uuid)
    context = _publish_context(version)
    context["form"] = form
    return render(
        request, "questionsets/publish.html", context, status=400 if request.method == "POST" else 200
    )


@require_http_methods(["GET", "POST"])
@admin_only
def version_retire(request, version_uuid):
    """GET: the confirmation page; POST: retire, signed with the admin's password."""
    version = _version(version_uuid)
    form = SignatureForm(request.POST if request.method == "POST" else None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            services.version_retire(
                version=version, user=request.user, password=form.cleaned_data["password"]
            )
        except services.SignatureRefused as exc:
            form.add_error("password", exc.errors[0])
        except services.VersionError as exc:
            errors = exc.errors
        else:
            messages.success(
                request, _("%(ref)s is retired; new interviews no longer use it.") % {"ref": version.ref}
            )
            return redirect("questionset-version", version_uuid=version.uuid)
    context = {"version": version, "form": form, "errors": errors}
    return render(
        request, "questionsets/retire.html", context, status=400 if request.method == "POST" else 200
    )


@require_POST
@admin_only
def version_delete(request, version_uuid):
    version = _version(version_uuid)
    try:
        services.version_delete(version=version, user=request.user)
    except services.VersionError as exc:
        messages.error(request, " ".join(exc.errors))
        return redirect("questionset-version", version_uuid=version.uuid)
    messages.success(request, _("Draft %(ref)s deleted.") % {"ref": version.ref})
    return redirect("questionset-list")


@require_http_methods(["GET", "POST"])
@admin_only
def version_json(request, version_uuid):
    """The whole draft as JSON, for everything the structured forms do not cover."""
    version = _version(version_uuid)
    if not version.is_draft:
        return _not_a_draft(request, version)
    form = DefinitionForm(
        request.POST or None,
        initial={"definition": json.dumps(version.definition, indent=2, ensure_ascii=False)},
    )
    errors = []
    if form.is_valid():
        try:
            services.version_definition_save(
                version=version,
                definition=form.cleaned_data["definition"],
                user=request.user,
                change={"change": "json"},
            )
        except (DefinitionError, services.VersionError) as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Definition saved."))
            return redirect("questionset-version", version_uuid=version.uuid)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "questionsets/json_form.html",
        {"version": version, "form": form, "errors": errors},
        status=status,
    )


def _not_a_draft(request, version):
    messages.error(request, _("Only a draft can be edited; clone this version to change it."))
    return redirect("questionset-version", version_uuid=version.uuid)


def _dry_run_context(version) -> dict:
    try:
        compiled = compiled_for(version)
    except DefinitionError as exc:  # a stored draft is always valid; this guards old rows
        return {"version": version, "cases": [], "definition_errors": exc.errors}
    cases = selectors.test_case_results(compiled)
    return {"version": version, "cases": cases, "failing": [case for case in cases if case["failures"]]}


@require_GET
@admin_only
def dry_run(request, version_uuid):
    return render(request, "questionsets/dry_run.html", _dry_run_context(_version(version_uuid)))


@require_GET
@admin_only
def diff(request, version_uuid):
    version = _version(version_uuid)
    others = selectors.versions_of(version.question_set_id).exclude(pk=version.pk)
    against_uuid = request.GET.get("against") or (version.based_on.uuid if version.based_on else None)
    against = others.filter(uuid=against_uuid).first() if against_uuid else others.first()
    context = {"version": version, "others": others, "against": against}
    if against is not None:
        # Always old → new, whichever page the comparison started from.
        old, new = sorted((against, version), key=lambda v: v.number)
        # `others` defers the definitions; the two compared are read in full.
        old, new = (QuestionSetVersion.objects.get(pk=v.pk) for v in (old, new))
        diff = version_diff(
            compiled_for(old), compiled_for(new), old_definition=old.definition, new_definition=new.definition
        )
        context.update(old=old, new=new, diff=diff)
    return render(request, "questionsets/diff.html", context)


@require_GET
@admin_only
def export_json(request, version_uuid):
    version = _version(version_uuid)
    audit.record(Action.EXPORT, version, data={"ref": version.ref, "format": "json"})
    body = json.dumps(version.definition, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{version.question_set.slug}-{version.number}.json"'
    )
    return response


@require_GET
@admin_only
def export_fhir(request, version_uuid):
    version = _version(version_uuid)
    audit.record(Action.EXPORT, version, data={"ref": version.ref, "format": "fhir"})
    response = JsonResponse(fhir.questionnaire_resource(version), content_type="application/fhir+json")
    response["Content-Disposition"] = (
        f'attachment; filename="{version.question_set.slug}-{version.number}.questionnaire.json"'
    )
    return response


@require_http_methods(["GET", "POST"])
@admin_only
def version_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if form.is_valid():
        try:
            draft = services.version_import(raw=form.cleaned_data["file"].read(), user=request.user)
        except DefinitionError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Imported as draft %(ref)s.") % {"ref": draft.ref})
            return redirect("questionset-version", version_uuid=draft.uuid)
    status = 400 if request.method == "POST" else 200
    return render(request, "questionsets/import.html", {"form": form, "errors": errors}, status=status)


@require_POST
@admin_only
def whatif_start(request, version_uuid):
    version = _version(version_uuid)
    try:
        run = whatif.whatif_request(version=version, user=request.user)
    except services.VersionError as exc:
        messages.error(request, " ".join(exc.errors))
        return redirect("questionset-version", version_uuid=version.uuid)
    return redirect("questionset-whatif", run_uuid=run.uuid)


def _audit_whatif_read(request, run: WhatIfRun) -> None:
    """The report lists record numbers (patient data): reading it is audited, naming each
    patient listed. Runs stored before patients were kept in the rows audit what they can."""
    patients = [row["patient"] for row in [*run.changes, *run.refusals] if row.get("patient")]
    if patients:
        audit.record_listing("whatif", patients)


def _run(run_uuid) -> WhatIfRun:
    return get_object_or_404(WhatIfRun.objects.select_related("version__question_set"), uuid=run_uuid)


@require_GET
@admin_only
def whatif_detail(request, run_uuid):
    run = _run(run_uuid)
    _audit_whatif_read(request, run)
    return render(request, "questionsets/whatif.html", {"run": run, "version": run.version})


@require_GET
@admin_only
def whatif_progress(request, run_uuid):
    """The polled partial: it carries its own polling trigger until the run ends."""
    run = _run(run_uuid)
    _audit_whatif_read(request, run)
    return render(request, "questionsets/_whatif_progress.html", {"run": run, "version": run.version})
