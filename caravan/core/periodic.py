"""Jobs that run on a schedule (publishing scheduled pages, housekeeping), declared where
their work lives.

An app declares a job with ``@periodic(seconds=...)`` in its ``jobs.py`` (imported by its
``AppConfig.ready``); the scheduler of the operations app (``manage.py run_periodic``,
started by ``make run`` beside the web server and the task worker) calls each when it is
due. Jobs must be safe to run twice: two schedulers on two machines may overlap."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    seconds: float
    func: object


REGISTRY: dict[str, PeriodicJob] = {}


def periodic(seconds):
    """Register the decorated function to run every `seconds`."""

    def decorator(func):
        name = f"{func.__module__}.{func.__qualname__}"
        REGISTRY[name] = PeriodicJob(name=name, seconds=seconds, func=func)
        return func

    return decorator
