from django.utils.functional import SimpleLazyObject

from .roles import Role, user_roles


def roles(request):
    """The navigation's roles and unread count, worked out only when a template uses
    them (an htmx fragment such as the autosave status does not: two queries saved)."""
    user = getattr(request, "user", None)

    def unread() -> int:
        if not getattr(user, "is_authenticated", False):
            return 0
        from assessments.reviews.models import Notification

        return Notification.objects.for_user(user).filter(read_at__isnull=True).count()

    def has(role):
        return SimpleLazyObject(lambda: role in user_roles(user))

    return {
        "unread_notifications": SimpleLazyObject(unread),
        "is_clinician": has(Role.CLINICIAN),
        "is_supervisor": has(Role.SUPERVISOR),
        "is_questionset_admin": has(Role.QUESTIONSET_ADMIN),
    }
