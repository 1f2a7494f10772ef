from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.views import exception_handler as drf_exception_handler


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with JSON nested deeper than Python's stack (~1,000 levels)
    refused as a parse error (a 400) instead of escaping as a RecursionError (a 500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply") from None


def exception_handler(exc, context):
    """DRF's handler, with every error in the body the OpenAPI schema promises:
    `detail` (a message the client can show), `field` (the offending key, "body" when
    the request as a whole is refused) and `errors` (key -> message)."""
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = _error_body(response.data)
    return response


def _error_body(data) -> dict:
    if isinstance(data, dict) and set(data) <= {"detail"}:
        return {"detail": str(data.get("detail", "Invalid input.")), "field": "body", "errors": {}}
    if isinstance(data, dict):
        errors = {str(key): _message(value) for key, value in data.items()}
    else:
        errors = {"body": _message(data)}
    field = next(iter(errors), "body")
    return {"detail": errors.get(field) or "Invalid input.", "field": field, "errors": errors}


def _message(value) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(_message(v) for v in value)
    if isinstance(value, dict):
        return " ".join(f"{k}: {_message(v)}" for k, v in value.items())
    return str(value)
