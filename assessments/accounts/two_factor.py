"""The two-factor page (django-otp) for the roles that must use it. Thin: the rules
(enrolment codes, backup codes, audit) live in two_factor_services."""

import base64

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import two_factor_services as services
from .permissions import signed_in

SESSION_ENROL_DEVICE = "zeus_otp_enrol_device"


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Six-digit code from your authenticator app, or a backup code"),
        max_length=16,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "class": "form-control"}),
    )


class EnrolmentCodeForm(forms.Form):
    enrolment_code = forms.CharField(
        label=gettext_lazy("Enrolment code from your administrator"),
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "form-control"}),
    )


def _render(request, context, form):
    context["form"] = form
    return render(request, "registration/two_factor.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@signed_in
def two_factor(request):
    user = request.user
    if services.has_confirmed_device(user):
        form = TokenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            device = services.two_factor_verify(user=user, token=form.cleaned_data["token"])
            if device is not None:
                otp_login(request, device)
                messages.success(request, _("Two-factor verification complete."))
                return redirect("home")
            form.add_error("token", _("That code is not valid. Check the time on your device and try again."))
        return _render(request, {"stage": "verify"}, form)

    device = TOTPDevice.objects.filter(
        pk=request.session.get(SESSION_ENROL_DEVICE), user=user, confirmed=False
    ).first()
    if device is None:
        code_form = EnrolmentCodeForm(request.POST or None)
        if request.method == "POST" and code_form.is_valid():
            try:
                device = services.enrolment_code_redeem(
                    user=user, code=code_form.cleaned_data["enrolment_code"]
                )
            except services.EnrolmentError as exc:
                code_form.add_error(exc.field, exc.message)
            else:
                request.session[SESSION_ENROL_DEVICE] = device.pk
                return redirect("two-factor")
        return _render(request, {"stage": "code"}, code_form)

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_confirm(user=user, device_id=device.pk, token=form.cleaned_data["token"])
        if codes is not None:
            request.session.pop(SESSION_ENROL_DEVICE, None)
            device.refresh_from_db()
            otp_login(request, device)
            # Shown on this response only; the database keeps them for verification alone.
            return render(request, "registration/two_factor_backup_codes.html", {"codes": codes})
        form.add_error("token", _("That code is not valid. Check the time on your device and try again."))
    context = {
        "stage": "enrol",
        "secret": base64.b32encode(device.bin_key).decode(),
        "config_url": device.config_url,
    }
    return _render(request, context, form)
