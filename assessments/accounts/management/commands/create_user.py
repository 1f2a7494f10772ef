from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.accounts.roles import Role
from assessments.accounts.services import user_create
from assessments.core import audit


class Command(BaseCommand):
    help = "Create a staff user with one role; prints a generated password once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--email", default="")

    def handle(self, *args, username, role, email, **options):
        try:
            # Outside a request: whatever this writes is audited as done by this command.
            with audit.acting(source="command create_user"):
                _user, password = user_create(username=username, role=role, email=email)
        except (ValueError, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:  # an IntegrityError on a taken username, most often
            raise CommandError(f"Could not create {username!r}: {exc}") from exc
        self.stdout.write(f"Created {username} ({role}). Password (shown once): {password}")
