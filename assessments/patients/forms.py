import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from assessments.core.errors import reject_control_characters

from .equivalence import CONFIRM_ABOVE_MG, REFUSE_ABOVE_MG, diazepam_equivalent
from .models import MedicationEntry, Patient

# Date inputs always carry ISO dates: a browser's <input type="date"> accepts nothing
# else, whatever the page's language (a Polish "29.11.2026" left the field blank).
ISO_DATE = "%Y-%m-%d"


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = ["display_name", "year_of_birth"]
        help_texts = {"display_name": _("Optional. Screens show the record number instead.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].validators.append(reject_control_characters)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save patient")))

    def clean_year_of_birth(self):
        year = self.cleaned_data.get("year_of_birth")
        if year is not None and not 1900 <= year <= datetime.date.today().year:
            raise forms.ValidationError(_("Enter a year between 1900 and this year."))
        return year


class MedicationForm(forms.ModelForm):
    confirm_high_dose = forms.BooleanField(
        label=_("I confirm this dose (above 100 mg diazepam equivalent a day)"), required=False
    )

    class Meta:
        model = MedicationEntry
        fields = ["drug", "kind", "daily_dose_mg", "date"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dose = self.fields["daily_dose_mg"]
        assert isinstance(dose, forms.DecimalField)
        dose.min_value = 0
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean() or {}
        dose = cleaned.get("daily_dose_mg")
        if dose is not None and dose < 0:
            self.add_error("daily_dose_mg", _("The daily dose cannot be negative."))
        if cleaned.get("kind") == MedicationEntry.Kind.STOP and dose not in (None, 0):
            self.add_error("daily_dose_mg", _("A stop has a daily dose of 0 mg."))
        if cleaned.get("date") and cleaned["date"] > datetime.date.today():
            self.add_error("date", _("The date cannot be in the future."))
        self._check_plausible(cleaned.get("drug"), dose, cleaned.get("confirm_high_dose"))
        return cleaned

    def entry_data(self) -> dict:
        """The entry's own facts for the service (not the confirmation, nor a reason)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def _check_plausible(self, drug, dose, confirmed) -> None:
        """Spec 6.5: above 100 mg diazepam equivalent a day ask for confirmation,
        above 1,000 mg refuse (a unit or decimal-point slip, not a dose)."""
        if not drug or dose is None or dose < 0:
            return
        equivalent = diazepam_equivalent(drug=drug, daily_dose_mg=dose)
        if equivalent > REFUSE_ABOVE_MG:
            self.add_error(
                "daily_dose_mg",
                _(
                    "%(mg)s mg diazepam equivalent a day is not a plausible dose (above 1,000 mg); check the unit."  # noqa: E501
                )
                % {"mg": floatformat(equivalent, -2)},
            )
        elif equivalent > CONFIRM_ABOVE_MG and not confirmed:
            self.add_error(
                "confirm_high_dose",
                _("%(mg)s mg diazepam equivalent a day is above 100 mg: confirm the dose to save it.")
                % {"mg": floatformat(equivalent, -2)},
            )

    def _post_clean(self):
        # The model's own checks need the computed equivalent; the service sets it.
        pass


class MedicationCorrectionForm(MedicationForm):
    """A correction: the same facts as a new entry, plus why the old one was wrong."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        validators=[reject_control_characters],
        widget=forms.Textarea(attrs={"rows": 2}),
    )
