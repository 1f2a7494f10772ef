"""Interview forms: the session form here; the answer form is built per question-set
version by questionsets.answer_forms (re-exported for the interview views)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.questionsets.answer_forms import (
    FORM_CACHE_SIZE,
    NONE_OF_THESE,
    InterviewForm,
    form_cache_clear,
    form_cache_size,
    initial_from_answers,
    interview_form_class,
)

__all__ = [
    "FORM_CACHE_SIZE",
    "NONE_OF_THESE",
    "InterviewForm",
    "SessionForm",
    "form_cache_clear",
    "form_cache_size",
    "initial_from_answers",
    "interview_form_class",
]


class SessionForm(forms.Form):
    date = forms.DateField(
        label=_("Session date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean_date(self):
        # Like medication dates: a session is recorded after it happened, never ahead.
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The session date cannot be in the future."))
        return date
