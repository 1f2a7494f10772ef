"""The queue's rows read the same whether a template loop or Python builds them (#16
moved them to presentation.queue_rows): every cell, the overdue mark, flag badges most
severe first, a patient's own words escaped, in English and in Polish."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.reviews.models import Review
from tests.conftest import PASSWORD
from tests.engine.engine_support import load_vignette
from tests.factories import finalized_interview, patient_for

HOSTILE = '<script>alert("x")</script> & Ann'


def _cells(row: str) -> list[str]:
    return [re.sub(r"\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


@pytest.fixture
def queue(clinician, supervisor, cadi, django_capture_on_commit_callbacks):
    severe = load_vignette("V2-P6-abrupt-stop-confusion-agitation", folder="vignettes-v2")["answers"]
    with django_capture_on_commit_callbacks(execute=True):
        _, urgent = finalized_interview(
            patient_for(clinician, display_name=HOSTILE), clinician, severe, PASSWORD
        )
        _, plain = finalized_interview(
            patient_for(clinician), clinician, {"clinician_impression": "unclear"}, PASSWORD
        )
    Review.objects.filter(pk=plain.review.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=30)
    )
    return urgent.review, Review.objects.get(pk=plain.review.pk)


@pytest.mark.parametrize(
    ("language", "overdue", "urgent_word", "review_word"),
    [("en", "overdue", "Urgent", "Review"), ("pl", "po terminie", "Pilne", "Weryfikuj")],
)
def test_each_queue_row_shows_its_cells_badges_and_overdue_mark(
    queue, supervisor, login, language, overdue, urgent_word, review_word
):
    urgent, plain = queue
    body = login(supervisor).get(reverse("review-queue"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    rows = re.findall(r'<tr data-review="([^"]+)">(.*?)</tr>', body, re.S)
    assert [uuid for uuid, _ in rows] == [str(urgent.uuid), str(plain.uuid)]  # urgent first
    first, second = (row for _, row in rows)
    session = urgent.interview.session
    assert f'data-session-date="{session.date:%Y-%m-%d}"' in first
    cells = _cells(first)
    assert cells[0] == f"{session.date:%Y-%m-%d}"
    assert cells[1].startswith(f'<span class="text-nowrap">{session.patient.record_number}</span>')
    # The patient's own words are data: escaped, never markup.
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Ann" in cells[1]
    assert "<script>" not in body.split('id="queue"')[1].split("</table>")[0]
    assert cells[2] == urgent.clinician.get_username()
    local = timezone.localtime(urgent.submitted_at)
    assert cells[3] == f"{local:%Y-%m-%d %H:%M}"
    assert f'data-dominant="{urgent.dominant}"' in first
    badges = re.findall(
        r'data-severity="(\w+)" data-flag="(\w+)">(.*?)</span>(?=<span class="badge|</td>)', first
    )
    assert badges[0][:2] == ("urgent", "medical_urgent")
    assert [severity for severity, _, _ in badges] == sorted(
        (s for s, _, _ in badges), key=["urgent", "review", "info"].index
    )
    assert f'<span class="flag-severity fw-bold">{urgent_word}</span>' in badges[0][2]
    assert f'href="{reverse("review-detail", args=[urgent.uuid])}">{review_word}</a>' in cells[6]
    late = _cells(second)
    assert late[3].endswith(f'<span class="badge text-bg-warning">{overdue}</span>')
    assert 'text-bg-warning">' + overdue not in cells[3]
