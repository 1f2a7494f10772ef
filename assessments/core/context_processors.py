"""Template context every page needs."""

from urllib.parse import urlsplit

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def language_next(request) -> dict[str, str]:
    """Where the language switch returns to: this page, or, on a page that answers a
    POST (a refused form shown again), the page the form was sent from. The POST-only
    address itself would answer the switch's redirect with a blank 405 and lose the
    page."""
    if request.method in ("GET", "HEAD"):
        return {"language_next": request.get_full_path()}
    referer = request.META.get("HTTP_REFERER", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        if parts.path and parts.path != request.path:
            return {"language_next": parts.path + (f"?{parts.query}" if parts.query else "")}
    return {"language_next": reverse("home")}
