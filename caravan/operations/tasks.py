"""Background tasks of the operations side."""

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from .models import Heartbeat, TaskProbe

logger = logging.getLogger(__name__)


def _worker_id(context):
    worker_ids = context.task_result.worker_ids
    return worker_ids[-1] if worker_ids else ""


@task(takes_context=True)
def heartbeat(context):
    """Record that a worker is alive and how long the heartbeat waited in the queue."""
    result = context.task_result
    now = timezone.now()
    waited = (now - result.enqueued_at).total_seconds() if result.enqueued_at else None
    Heartbeat.objects.update_or_create(
        name=Heartbeat.WORKER,
        defaults={
            "beat_at": now,
            "detail": {
                "worker_id": _worker_id(context),
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "queue_wait_s": round(waited, 3) if waited is not None else None,
            },
        },
    )
    # Keep only the last hour of heartbeat results; they would otherwise pile up at
    # one row per beat in the task table.
    DBTaskResult.objects.finished().filter(
        task_path=heartbeat.module_path, finished_at__lt=now - timedelta(hours=1)
    ).delete()


@task(takes_context=True)
def probe(context, token, email_to=""):
    """Leave a row (and, if asked, an e-mail) that proves this task ran, and by whom."""
    worker = _worker_id(context)
    TaskProbe.objects.create(token=token, worker_id=worker)
    if email_to:
        send_mail(
            subject=f"Caravan worker probe {token}",
            message=f"Task probe {token} was run by worker {worker or '?'}.",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[email_to],
        )
    logger.info("Task probe %s ran on worker %s", token, worker)
