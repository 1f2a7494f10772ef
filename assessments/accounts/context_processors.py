from .roles import Role, user_roles


def roles(request):
    user = getattr(request, "user", None)
    names = user_roles(user)
    unread = 0
    if getattr(user, "is_authenticated", False):
        from assessments.reviews.models import Notification

        unread = Notification.objects.for_user(user).filter(read_at__isnull=True).count()
    return {
        "unread_notifications": unread,
        "is_clinician": Role.CLINICIAN in names,
        "is_supervisor": Role.SUPERVISOR in names,
        "is_questionset_admin": Role.QUESTIONSET_ADMIN in names,
    }
