"""Rows the operations side writes: worker heartbeats and task-queue probes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last sign of life of one background component.

    ``worker`` is written by a task worker each time it runs the heartbeat task that
    the periodic runner enqueues; its age therefore tells whether the periodic runner,
    the queue and at least one worker all still work. ``periodic`` is written by the
    periodic runner itself. /healthz reports both ages."""

    WORKER = "worker"
    PERIODIC = "periodic"

    name = models.CharField(_("component"), max_length=40, primary_key=True)
    beat_at = models.DateTimeField(_("last beat"))
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


class TaskProbe(models.Model):
    """One execution of the probe task: proof that a worker ran a given enqueued task.

    The token is deliberately not unique: a task run twice leaves two rows, which is
    exactly what `manage.py probe_workers` and the scale-out test look for."""

    token = models.CharField(_("token"), max_length=64, db_index=True)
    worker_id = models.CharField(_("worker"), max_length=64, blank=True)
    ran_at = models.DateTimeField(_("ran at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task probe")
        verbose_name_plural = _("task probes")

    def __str__(self):
        return f"{self.token} by {self.worker_id or '?'}"
