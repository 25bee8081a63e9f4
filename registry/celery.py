"""The Celery application. Configuration comes from Django settings (CELERY_* names).

Tasks use Celery's DjangoTask so that services can enqueue them with
`task.delay_on_commit(...)`: a task never starts before the transaction that asked for it
has committed, and never starts at all if it rolls back.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")

app = Celery("registry", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
