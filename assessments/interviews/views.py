from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.accounts.permissions import role_required, signed_in
from assessments.accounts.roles import Role
from assessments.core import audit
from assessments.core.access import get_changeable_or_403, get_visible_or_404
from assessments.core.texts import current_language
from assessments.formulation.models import Formulation
from assessments.formulation.presentation import formulation_display
from assessments.patients.access import own_patient_or_403
from assessments.patients.selectors import taper_context
from assessments.questionsets import fhir
from assessments.questionsets.answer_layout import field_values
from assessments.questionsets.compiled import compiled_for

from . import services
from .chart import chart_context
from .forms import SessionForm, initial_from_answers, interview_form_class
from .models import Interview
from .prefill import prefill_notes
from .selectors import interview_answer_rows

# The version's definition (160 kB of JSON for cadi@2) is read by compiled_for() only
# when a worker compiles that version for the first time; decoding it on every request
# was a third of the interview and formulation pages' time.
NOT_READ = ("question_set_version__definition",)


def _interview(request, interview_uuid, *, audit=True) -> Interview:
    return get_visible_or_404(
        request,
        Interview.objects.select_related(
            "session__patient", "question_set_version__question_set", "amends"
        ).defer(*NOT_READ),
        uuid=interview_uuid,
        patient_of=lambda interview: interview.session.patient,
        audit=audit,
    )


def _own_interview(request, interview_uuid) -> Interview:
    """An interview of the user's own patient (writes); supervisors only read."""
    return get_changeable_or_403(
        request,
        Interview.objects.select_related(
            "session__patient", "question_set_version__question_set", "amends"
        ).defer(*NOT_READ),
        uuid=interview_uuid,
        patient_of=lambda interview: interview.session.patient,
    )


def _form(interview: Interview, data=None):
    compiled = compiled_for(interview.question_set_version)
    form_class, layout = interview_form_class(
        version=interview.question_set_version, compiled=compiled, language=current_language()
    )
    form = form_class(data, initial=initial_from_answers(interview.answers))
    form.layout = layout
    return form, compiled


@require_POST
@role_required(Role.CLINICIAN)
def session_create(request, patient_uuid):
    patient = own_patient_or_403(request, patient_uuid)
    form = SessionForm(request.POST)
    if not form.is_valid():
        context = chart_context(request, patient, session_form=form)
        return render(request, "patients/detail.html", context, status=400)
    interview = services.session_start(patient=patient, user=request.user, **form.cleaned_data)
    return redirect("interview-detail", interview_uuid=interview.uuid)


def _page(request, interview, *, form=None, errors=None, status=200):
    editable = interview.is_draft and interview.session.patient.changeable_by(request.user)
    context = {
        "interview": interview,
        "patient": interview.session.patient,
        "editable": editable,
        # Autosave and finalize answer with this page at POST-only addresses.
        "language_next": reverse("interview-detail", args=[interview.uuid]),
    }
    if editable:
        form = form or _form(interview)[0]
        errors = errors or {}
        values = field_values(form)
        context.update(
            form=form,
            sections=form.layout.sections,
            fields=form.layout.render(values, errors, prefill_notes(interview, values)),
            general_error=errors.get("__all__"),
        )
        context["password_error"] = errors.get("password")
        context["incomplete_error"] = errors.get(services.INCOMPLETE)
        context["error_summary"] = _error_summary(form, errors)
        template = "interviews/edit.html"
    else:
        context["answer_rows"] = interview_answer_rows(interview, current_language())
        context["formulation"] = interview.formulations.order_by("-created_at").first()
        context["amendment"] = Interview.objects.filter(amends=interview).first()
        context["review"] = interview.reviews.select_related("decided_by").order_by("-submitted_at").first()
        template = "interviews/view.html"
    return render(request, template, context, status=status)


def _error_summary(form, errors: dict) -> list[dict]:
    """The page's errors for the summary at its top, each linking to its item or field."""
    summary = []
    for code, message in errors.items():
        if code == "__all__":
            summary.append({"target": "save-status", "message": message})
        elif code == "password":
            summary.append({"target": "id_password", "message": f"{_('Your password')}: {message}"})
        elif code == services.INCOMPLETE:
            summary.append({"target": "id_finalize_incomplete", "message": message})
        elif code in form.fields:
            label = str(form.fields[code].label)
            # Engine messages start with the item code; say the question instead. A
            # message that already names the question is not prefixed twice.
            message = message.removeprefix(f"{code}: ")
            named = message.startswith((label, form.item_texts.get(code) or label))
            text = message if named else f"{label}: {message}"
            summary.append({"target": f"item-{code}", "message": text})
    return summary


@require_GET
@signed_in
def interview_detail(request, interview_uuid):
    return _page(request, _interview(request, interview_uuid))


@require_POST
@role_required(Role.CLINICIAN)
def interview_autosave(request, interview_uuid):
    interview = _own_interview(request, interview_uuid)
    form, _compiled = _form(interview, request.POST)
    form.is_valid()
    lock_version = _lock_version(request)
    context = {"interview": interview, "item_codes": list(form.item_types)}
    if errors := form.input_errors():
        return _save_status(request, interview, {**context, "errors": errors}, 400)
    try:
        context["lock_version"] = services.interview_save_draft(
            interview=interview,
            user=request.user,
            answers=form.answers(),
            lock_version=lock_version,
        )
    except services.InterviewConflict as exc:
        context.update(errors=exc.errors, conflict=True, differing=_differing(interview, form))
        return _save_status(request, interview, context, 409)
    except services.InterviewError as exc:
        return _save_status(request, interview, {**context, "errors": exc.errors}, 400)
    return _save_status(request, interview, {**context, "saved": True}, 200)


def _differing(interview, form) -> list[str]:
    """The questions whose answer on this tab differs from the one saved elsewhere."""
    interview.refresh_from_db(fields=["answers"])
    mine, saved = form.answers(), interview.answers
    return [
        str(form.fields[code].label)
        for code in form.item_types
        if code in form.fields and mine.get(code) != saved.get(code)
    ]


def _lock_version(request) -> int:
    # A missing or garbled counter can never match, so it is treated as a conflict.
    value = request.POST.get("lock_version", "")
    return int(value) if value.isdigit() else -1


def _save_status(request, interview, context, status):
    if not request.htmx:
        if status == 200:
            return redirect("interview-detail", interview_uuid=interview.uuid)
        form, _compiled = _form(interview, request.POST)
        return _page(request, interview, form=form, errors=context["errors"], status=status)
    errors = context.get("errors", {})
    context["general_error"] = errors.get("__all__")
    context["error_rows"] = [(code, errors.get(code, "")) for code in context["item_codes"]]
    return render(request, "interviews/_save_status.html", context, status=status)


@require_POST
@role_required(Role.CLINICIAN)
def interview_finalize(request, interview_uuid):
    interview = _own_interview(request, interview_uuid)
    form, _compiled = _form(interview, request.POST)
    form.is_valid()
    lock_version = _lock_version(request)
    if errors := form.input_errors():
        return _page(request, interview, form=form, errors=errors, status=400)
    try:
        # Save what is on the page first, so nothing typed since the last autosave is lost.
        services.interview_save_draft(
            interview=interview,
            user=request.user,
            answers=form.answers(),
            lock_version=lock_version,
        )
        interview.refresh_from_db()
        formulation = services.interview_finalize(
            interview=interview,
            user=request.user,
            password=request.POST.get("password", ""),
            incomplete_confirmed=request.POST.get(services.INCOMPLETE) == "1",
        )
    except services.InterviewError as exc:
        interview.refresh_from_db()
        return _page(request, interview, form=form, errors=exc.errors, status=400)
    return redirect("formulation-detail", formulation_uuid=formulation.uuid)


@require_POST
@role_required(Role.CLINICIAN)
def interview_amend(request, interview_uuid):
    interview = _own_interview(request, interview_uuid)
    try:
        amendment = services.interview_amend(interview=interview, user=request.user)
    except services.InterviewError:
        return redirect("interview-detail", interview_uuid=interview.uuid)
    return redirect("interview-detail", interview_uuid=amendment.uuid)


@require_GET
@signed_in
def formulation_detail(request, formulation_uuid):
    formulation = get_visible_or_404(
        request,
        Formulation.objects.select_related(
            "interview__session__patient",
            "interview__finalized_by",
            "question_set_version__question_set",
            "review__decided_by",
        ).defer(*NOT_READ),
        uuid=formulation_uuid,
        patient_of=lambda f: f.interview.session.patient,
    )
    return render(request, "interviews/formulation.html", _formulation_context(formulation))


def _formulation_context(formulation: Formulation) -> dict:
    definition = compiled_for(formulation.question_set_version).definition
    context = formulation_display(formulation=formulation, definition=definition, language=current_language())
    interview = formulation.interview
    assert interview is not None  # visible_to only yields stored ones, which have one
    context.update(
        formulation=formulation,
        interview=interview,
        patient=interview.session.patient,
        taper=taper_context(
            entries=interview.session.patient.medication_entries.all(),
            date=interview.session.date,
            answers=interview.answers,
        ),
        review_shown=getattr(formulation, "review", None),
    )
    return context


@require_GET
@signed_in
def interview_fhir(request, interview_uuid):
    """A finalized interview as a FHIR QuestionnaireResponse, for whoever may see the
    patient (their clinician, that clinician's supervisors); a question-set admin
    without a care relation gets 404 like anyone else."""
    interview = get_visible_or_404(
        request,
        Interview.objects.select_related(
            "session__patient", "question_set_version__question_set", "finalized_by"
        ),
        uuid=interview_uuid,
        patient_of=lambda i: i.session.patient,
        audit=False,
    )
    if interview.status != Interview.Status.FINALIZED:
        raise Http404
    audit.record(audit.Action.EXPORT, interview, patient=interview.session.patient, data={"format": "fhir"})
    response = JsonResponse(
        fhir.questionnaire_response_resource(interview), content_type="application/fhir+json"
    )
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.uuid}.json"'
    return response
