"""What the interviews app announces to the apps above it (see README, "Layers").

A lower layer never imports a higher one. Where a change here must cause work up
there, it sends one of these signals from inside its transaction; the higher app
connects a receiver in its AppConfig.ready(), so its writes commit or roll back with
the change that caused them (a finalized interview always has its review).
"""

from django.dispatch import Signal

# An interview was signed and its formulation stored: `formulation`, `user` who signed.
interview_finalized = Signal()
