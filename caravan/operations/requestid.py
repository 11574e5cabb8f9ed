"""The id that ties together every log line of one request (X-Request-ID)."""

import contextvars
import re
import uuid

_current = contextvars.ContextVar("caravan_request_id", default=None)
# Accept an id set by the reverse proxy (nginx `$request_id`, a CDN's trace id) when it
# is short and plain; anything else is replaced, so logs never carry visitor-made junk.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:=+/-]{8,128}$")


def current():
    """The id of the request being handled in this thread, or None outside requests."""
    return _current.get()


def choose(incoming):
    return incoming if incoming and _ACCEPTABLE.match(incoming) else uuid.uuid4().hex


def activate(request_id):
    return _current.set(request_id)


def deactivate(token):
    _current.reset(token)
