from functools import wraps

from django.core.exceptions import PermissionDenied

from assessments.accounts.roles import has_role


def role_required(role: str):
    """403 for a signed-in user without the role (login itself is enforced globally)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not (request.user.is_superuser or has_role(request.user, role)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
