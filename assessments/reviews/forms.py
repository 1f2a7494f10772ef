import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Impression


class DecisionForm(forms.Form):
    supervisor_impression = forms.ChoiceField(
        label=_("Your impression"), choices=Impression.choices, widget=forms.RadioSelect, required=False
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        required=False,
        max_length=5000,
    )
    password = forms.CharField(
        label=_("Your password (to sign an endorsement)"),
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "current-password"}),
        required=False,
    )


class DashboardFilterForm(forms.Form):
    clinician = forms.ChoiceField(label=_("Clinician"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, clinicians=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["clinician"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All clinicians"))] + [(str(c.uuid), c.get_username()) for c in clinicians]

    def clean(self):
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned
