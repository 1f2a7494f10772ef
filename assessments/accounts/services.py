import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from .models import Supervision
from .roles import Role


def generate_password() -> str:
    # 20 URL-safe characters: well over the 12-character minimum, easy to type once.
    return secrets.token_urlsafe(15)


def roles_ensure() -> None:
    """Create the role groups if missing (tests that flush the database rely on this)."""
    for role in Role.values:
        Group.objects.get_or_create(name=role)


@transaction.atomic
def user_create(*, username: str, role: str, password: str | None = None, email: str = "") -> tuple:
    """Create a user with one role. Returns (user, password) — the password is shown once."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(Role.values)}.")
    password = password or generate_password()
    User = get_user_model()
    user = User(username=username, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    return user, password


def role_grant(*, user, role: str) -> None:
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    user.__dict__.pop("_zeus_roles", None)


def supervision_add(*, supervisor, clinician) -> Supervision:
    supervision, _ = Supervision.objects.get_or_create(supervisor=supervisor, clinician=clinician)
    return supervision
