from .roles import Role, user_roles


def roles(request):
    names = user_roles(getattr(request, "user", None))
    return {
        "is_clinician": Role.CLINICIAN in names,
        "is_supervisor": Role.SUPERVISOR in names,
        "is_questionset_admin": Role.QUESTIONSET_ADMIN in names,
    }
