from django.contrib.auth.forms import AuthenticationForm
from django.forms import BoundField


class _BootstrapBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        attrs["class"] = "form-control is-invalid" if self.errors else "form-control"
        return attrs


class LoginForm(AuthenticationForm):
    """Django's sign-in form, its inputs carrying Bootstrap's classes themselves, so that
    the login page (the one page every user loads) renders two fields without crispy's
    template stack: that was half of the page's time (1.4 of 3 ms per request).
    templates/registration/login.html lays the fields out as crispy did."""

    bound_field_class = _BootstrapBoundField
