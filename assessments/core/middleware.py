import uuid

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

from . import audit


class RequestContextMiddleware:
    """Give each request an id that audit entries and logs can share, and make the
    request the audit context (who, from where, which request) while it is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if incoming.isalnum() and len(incoming) <= 64 else uuid.uuid4().hex
        with audit.in_request(request):
            response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class NoStoreMiddleware:
    """Pages shown to a signed-in user may hold patient data: never cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response


class RefuseNulMiddleware:
    """A NUL character in a query parameter is never meaningful and PostgreSQL refuses it
    in any query (a 500 wherever a filter reaches the database): answer 400 naming the
    parameter, before any view runs. Form fields refuse NUL themselves (Django's
    ProhibitNullCharactersValidator), beside the field."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                name = key.replace("\x00", "")
                message = _("The parameter “%(name)s” contains a NUL character.") % {"name": name}
                return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
