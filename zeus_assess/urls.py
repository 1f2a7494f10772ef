from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView
from health_check.views import HealthCheckView

from assessments.accounts.forms import LoginForm
from assessments.accounts.permissions import signed_in
from assessments.accounts.two_factor import two_factor
from assessments.core.health import health_checks
from assessments.reviews.audit_views import audit_log_view

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", signed_in(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/2fa/", two_factor, name="two-factor"),
    path("patients/", include("assessments.patients.urls")),
    path("patients/", include("assessments.reports.patient_urls")),
    path("", include("assessments.interviews.urls")),
    path("", include("assessments.reviews.urls")),
    path("reports/", include("assessments.reports.urls")),
    path("question-sets/", include("assessments.questionsets.urls")),
    # Open to load balancers and compose healthchecks: it reveals no data.
    path("health/", login_not_required(HealthCheckView.as_view(checks=health_checks())), name="health"),
    path("audit/", audit_log_view, name="audit-log"),
    path("api/v1/", include("assessments.formulation.api_urls")),
    path("api/v1/schema/", signed_in(SpectacularAPIView.as_view()), name="api-schema"),
    # Open before login too, so the login page can be switched to Polish or English.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
