"""The one way a view states who may call it: a decorator naming the roles.

Every view carries exactly one of `role_required(...)`, `superuser_required` or
`signed_in` (a test walks the URL map and fails on a view without one). Which
*records* a user may touch is not decided here but by the scoped lookups
(`core.access.get_visible_or_404` and friends) and by the services that own a rule.
Login itself is enforced for every view by LoginRequiredMiddleware.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied

from .roles import user_roles


def acts_as(user, *roles: str) -> bool:
    """True for a superuser or a user holding any of `roles`."""
    return bool(getattr(user, "is_superuser", False) or user_roles(user) & set(roles))


def _guarded(view: Callable, allowed: Callable, roles: frozenset) -> Callable:
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not allowed(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.required_roles = roles  # type: ignore[attr-defined]
    return wrapper


def role_required(*roles: str) -> Callable[[Callable], Callable]:
    """403 for a signed-in user with none of `roles` (superusers pass)."""
    if not roles:
        raise ValueError("name at least one role; use @signed_in for views open to every user")
    return lambda view: _guarded(view, lambda user: acts_as(user, *roles), frozenset(roles))


def superuser_required(view: Callable) -> Callable:
    """403 for anyone but a superuser (research exports)."""
    return _guarded(view, lambda user: user.is_superuser, frozenset({"superuser"}))


def signed_in(view: Callable) -> Callable:
    """Open to every signed-in user, whatever their roles: pages everyone has (home,
    two-factor setup), and pages of one record whose whole rule is that record's scope
    (get_visible_or_404 answers an outsider 404, exactly like a missing record, and
    audits the attempt; a role check first would hide the attempt from the audit log).
    Said explicitly, so a view without a decision stands out."""
    view.required_roles = frozenset()  # type: ignore[attr-defined]
    return view
