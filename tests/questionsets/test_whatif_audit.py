"""The what-if report shows record numbers: reading it is audited, naming each patient
(issue #11, item 7)."""

from django.urls import reverse

from assessments.core.models import AuditEntry
from assessments.questionsets import services
from assessments.questionsets.whatif import whatif_request
from tests.questionsets.test_whatif import _anxiety_heavy


def test_reading_the_whatif_report_is_audited_per_patient(finalize, draft, qs_admin, login, committed):
    interviews = [finalize(name)[0] for name in ("P1-clear-craving", "P2-clear-anxiety")]
    services.version_definition_save(
        version=draft, definition=_anxiety_heavy(draft.definition), user=qs_admin, change={}
    )
    with committed():
        run = whatif_request(version=draft, user=qs_admin)
    changed = interviews[0].session.patient
    client = login(qs_admin)
    for name in ("questionset-whatif", "questionset-whatif-progress"):
        before = AuditEntry.objects.count()
        response = client.get(reverse(name, args=[run.uuid]))
        assert changed.record_number in response.content.decode()
        entry = AuditEntry.objects.order_by("pk").last()
        assert AuditEntry.objects.count() == before + 1
        assert entry.action == "view" and entry.user == qs_admin and entry.data["list"] == "whatif"
        assert entry.data["patients"] == [str(changed.uuid)]
