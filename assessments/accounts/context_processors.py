from django.utils.functional import SimpleLazyObject

from .roles import Role, user_roles


def roles(request):
    """The navigation's roles, worked out only when a template uses them (an htmx
    fragment such as the autosave status does not: queries saved)."""
    user = getattr(request, "user", None)

    def has(role):
        return SimpleLazyObject(lambda: role in user_roles(user))

    return {
        "is_clinician": has(Role.CLINICIAN),
        "is_supervisor": has(Role.SUPERVISOR),
        "is_questionset_admin": has(Role.QUESTIONSET_ADMIN),
    }
