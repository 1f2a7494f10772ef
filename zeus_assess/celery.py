import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zeus_assess.settings")

app = Celery("zeus_assess")
# Every Celery option lives in Django settings under the CELERY_ prefix, so one
# environment-driven file configures the web process, the worker and beat alike.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
