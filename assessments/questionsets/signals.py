"""What the questionsets app announces to the apps above it (see README, "Layers").

A lower layer never imports a higher one. Where a change here must cause work up
there, it sends one of these signals from inside its transaction; the higher app
connects a receiver in its AppConfig.ready(), so its writes commit or roll back with
the change that caused them.
"""

from django.dispatch import Signal

# A what-if run was requested: `run` (WhatIfRun), `user` who asked.
whatif_requested = Signal()
