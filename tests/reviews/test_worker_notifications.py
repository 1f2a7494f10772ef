"""Notifications really travel through Redis to a real Celery worker (not eager mode)."""

import pytest
from django.db import transaction

from assessments.core.models import OutboxMessage
from assessments.reviews import services
from assessments.reviews.models import Notification
from tests.conftest import PASSWORD
from tests.factories import finalized_interview, patient_for, vignette
from tests.helpers import compose_command, process_env, require_redis, start, stop, wait_for
from zeus_assess.celery import app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    require_redis()
    log = tmp_path / "worker.log"
    process = start(compose_command("worker"), process_env(), log)
    app.conf.task_always_eager = False
    yield log
    app.conf.task_always_eager = True
    stop(process)


def test_it_delivers_review_notifications_through_a_real_worker(worker, clinician, supervisor, cadi):
    answers = {
        **vignette("P6-anxiety-with-active-suicidal-thoughts")["answers"],
        "clinician_impression": "mixed",
    }
    _, formulation = finalized_interview(patient_for(clinician), clinician, answers, PASSWORD)
    review = formulation.review

    def delivered():
        return set(Notification.objects.filter(review=review).values_list("kind", flat=True))

    assert wait_for(lambda: delivered() == {"new_review", "safety_urgent"}, timeout=60), worker.read_text()[
        -3000:
    ]
    # The worker marks the outbox row done once the task has run (not merely published).
    assert wait_for(lambda: OutboxMessage.objects.get().status == "done", timeout=10)


def test_it_enqueues_nothing_for_a_rolled_back_transaction(worker, clinician, supervisor, cadi):
    _, formulation = finalized_interview(
        patient_for(clinician), clinician, {"clinician_impression": "unclear"}, PASSWORD
    )
    review = formulation.review
    assert wait_for(lambda: Notification.objects.filter(review=review).exists(), timeout=60)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.review_return(review=review, user=supervisor, impression="mixed", comment="Revise")
        raise RuntimeError("roll back")
    # Give a wrongly enqueued task ample time to arrive; nothing may.
    assert not wait_for(lambda: Notification.objects.filter(kind="returned").exists(), timeout=5)
    assert OutboxMessage.objects.count() == 1
