"""Receivers of the signals lower apps send (connected in ReviewsConfig.ready)."""

from django.dispatch import receiver

from assessments.interviews.signals import interview_finalized

from .services import review_submit


@receiver(interview_finalized, dispatch_uid="reviews_submit_finalized_interview")
def submit_for_review(sender, *, formulation, user, **kwargs) -> None:
    """A finalized interview goes into its clinician's supervisors' queue."""
    review_submit(formulation=formulation, user=user)
