"""The floor: the app itself (its settings, middleware, sessions, sign-in and two-factor)
serving one view that does nothing but pass the app's permission check
(bench/floor_urls.py), under the same gunicorn command. No signed-in page can be
faster than this, so its ratio to the bare view is the ceiling of every page's ratio
on this machine."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.floor_settings"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
