"""A URL configuration for bench/profile.py's floor: one view that does nothing but
pass the app's own permission check, so that its time is what every signed-in page
pays before doing anything (the middleware stack, the session, the user, two-factor)."""

from django.http import HttpResponse
from django.urls import path

from assessments.accounts.permissions import signed_in


@signed_in
def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("floor/", floor)]
