"""A real SMTP server on loopback for tests that send e-mail, and the fixture that
points Django's e-mail settings at one (`smtp_settings`, imported by the conftests of
the apps whose tests send e-mail)."""

import pytest

from .processes import free_port


class SmtpServer:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives.

    `hold` makes it stall inside DATA until `release()` (a server hanging mid-send);
    `delay` slows every message down (so that concurrent senders overlap)."""

    def __init__(self, port=None, delay=0.0, refuse=()):
        self.port = port or free_port()
        self.delay = delay
        self.refuse = set(refuse)  # recipients answered with 550 (mailbox does not exist)
        self.received = []
        self.controller = None
        self._lock = None
        self.holding = None
        self.held = None

    def start(self):
        import logging
        import threading

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self._lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def hold(self):
        """Make the next messages hang in DATA (the client waits) until release()."""
        import threading

        self.holding = threading.Event()
        self.held = threading.Event()

    def release(self):
        if self.holding is not None:
            self.holding.set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        import asyncio
        from email import message_from_bytes
        from email.policy import default

        if self.holding is not None and not self.holding.is_set():
            self.held.set()
            while not self.holding.is_set():
                await asyncio.sleep(0.05)
            return "451 Requested action aborted"
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=default)
        with self._lock:
            self.received.append(
                {
                    "from": envelope.mail_from,
                    "to": list(envelope.rcpt_tos),
                    "message": message,
                    "raw": envelope.content,
                }
            )
        return "250 Message accepted for delivery"

    def messages(self, subject_contains=""):
        with self._lock:
            return [r for r in self.received if subject_contains in str(r["message"]["Subject"])]

    def wait_for(self, count, subject_contains="", timeout=30):
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.messages(subject_contains)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        return self.messages(subject_contains)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.release()
        self.stop()


@pytest.fixture
def smtp_settings(settings):
    """Send through a real SMTP server on loopback; the fixture's value is the server."""
    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        yield server
