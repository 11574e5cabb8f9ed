"""Log formatting: plain text for people at a terminal, JSON lines for log collectors.

``LOG_FORMAT=json`` (the production default) writes one JSON object per line to stdout
with ``time`` (ISO 8601, UTC), ``level``, ``logger``, ``message``, ``request_id`` and any extra fields;
``plain`` (the default of `make run` and `make dev`) writes readable lines."""

import logging

from pythonjsonlogger.json import JsonFormatter

from . import requestid


class RequestIdFilter(logging.Filter):
    """Stamp every record with the id of the request it was logged in (or "-")."""

    def filter(self, record):
        if not getattr(record, "request_id", None):
            record.request_id = requestid.current() or "-"
        return True


class CaravanJsonFormatter(JsonFormatter):
    """JSON lines; the Django request object (attached by django.request) is reduced to
    its method and path so that no header, cookie or body reaches the logs."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")  # ISO 8601, UTC
        super().__init__("%(levelname)s %(name)s %(message)s %(request_id)s", *args, **kwargs)

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        request = log_data.pop("request", None)
        if request is not None and hasattr(request, "method"):
            log_data["http_method"] = request.method
            log_data["path"] = getattr(request, "path", "")


def config(log_format="plain", level="INFO"):
    """The LOGGING dict for Django; `log_format` is "plain" or "json"."""
    formatters = {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": CaravanJsonFormatter},
    }
    # Each task's state changes (queued, running, done) only at LOG_LEVEL=DEBUG.
    tasks = "DEBUG" if str(level).upper() == "DEBUG" else "WARNING"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"active": formatters[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "active",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.request": {"level": "ERROR"},
            "django_tasks": {"level": tasks},
            "django_tasks_db": {"level": tasks},
            "wagtail": {"level": "WARNING"},
            "axes": {"level": "WARNING"},
            "caravan.access": {"level": "INFO"},
        },
    }
