"""A URL configuration for bench/profile.py's floor: one view that does nothing but
pass the app's own permission check, so that its time is what every signed-in page
pays before doing anything (the middleware stack, the session, the user, two-factor)."""

from django.http import HttpResponse
from django.urls import path

from assessments.accounts.permissions import signed_in
from zeus_assess.urls import urlpatterns as app_urlpatterns


@signed_in
def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


# The app's own URLs too, so that a redirect (to sign in, say) resolves as in the app.
urlpatterns = [path("floor/", floor), *app_urlpatterns]
