from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.accounts.two_factor_services import enrolment_code_issue, two_factor_reset
from assessments.core import audit


class Command(BaseCommand):
    help = (
        "Issue a one-time two-factor enrolment code for a user (printed once). With --reset, "
        "first remove the user's authenticator and backup codes (audited)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true", help="remove existing devices first")
        parser.add_argument(
            "--by", default=None, help="superuser issuing it (default: the first active superuser)"
        )

    def handle(self, *args, username, reset, by, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user {username!r}.") from exc
        admins = User.objects.filter(is_superuser=True, is_active=True)
        # The audit names an administrator; a shell operator acts as one.
        admin = admins.filter(username=by).first() if by else admins.order_by("pk").first()
        if admin is None:
            raise CommandError("No active superuser to issue the code (create one, or pass --by).")
        with audit.acting(source="command otp_enrolment_code", user=admin):
            if reset:
                code = two_factor_reset(user=user, by=admin)
            else:
                code = enrolment_code_issue(user=user, issued_by=admin)
        self.stdout.write(f"Enrolment code for {username} (shown once): {code}")
