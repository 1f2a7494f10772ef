from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from assessments.accounts.roles import Role
from assessments.accounts.services import roles_ensure, supervision_add, user_create
from assessments.core import audit
from assessments.questionsets.services import default_question_set_ensure

DEMO_USERS = (
    ("demo_clinician", Role.CLINICIAN),
    ("demo_supervisor", Role.SUPERVISOR),
    ("demo_admin", Role.QUESTIONSET_ADMIN),
)


class Command(BaseCommand):
    help = "Ensure roles, the default question set and one demo account per role."

    def handle(self, *args, **options):
        # Outside a request: whatever this writes is audited as done by this command.
        with audit.acting(source="command demo_setup"):
            self._setup()

    def _setup(self):
        roles_ensure()
        version = default_question_set_ensure()
        self.stdout.write(f"Question set {version} is published.")
        User = get_user_model()
        for username, role in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"{username} ({role}) exists; its password is unchanged.")
                continue
            _user, password = user_create(username=username, role=role)
            self.stdout.write(f"{username} ({role}) password, shown only now: {password}")
        supervisor = User.objects.get(username="demo_supervisor")
        clinician = User.objects.get(username="demo_clinician")
        supervision_add(supervisor=supervisor, clinician=clinician)
