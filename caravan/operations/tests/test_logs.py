"""Request ids, JSON log lines and error pages without stack traces."""

import io
import json
import logging

import pytest
from django.conf import settings
from django.test import Client, override_settings

from caravan.operations.logs import CaravanJsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_every_response_carries_a_request_id(client):
    first = client.get("/en/")["X-Request-ID"]
    second = client.get("/en/")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_a_sane_request_id_from_the_proxy_is_kept_and_junk_is_replaced(client):
    assert client.get("/en/", HTTP_X_REQUEST_ID="nginx-7f3a9c01")["X-Request-ID"] == (
        "nginx-7f3a9c01"
    )
    replaced = client.get("/en/", HTTP_X_REQUEST_ID='"><script>')["X-Request-ID"]
    assert replaced != '"><script>' and len(replaced) == 32


@pytest.fixture
def json_log():
    """Capture what the JSON formatter writes for the access and error loggers."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(CaravanJsonFormatter())
    handler.addFilter(RequestIdFilter())
    loggers = [logging.getLogger(name) for name in ("caravan.access", "django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)


@override_settings(ROOT_URLCONF="caravan.operations.tests.urls_failing", CARAVAN_ACCESS_LOG=True)
def test_a_failure_is_logged_as_json_with_the_request_id_and_the_visitor_sees_no_trace(
    json_log,
):
    response = Client(raise_request_exception=False).get(
        "/fail/", HTTP_X_REQUEST_ID="trace-0042abcd"
    )
    # The visitor: the branded page, nothing of the failure.
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    for leak in ("Traceback", "RuntimeError", "deliberate failure", "urls_failing"):
        assert leak not in body
    # The operator: one JSON object per line, all stamped with the request id.
    lines = json_log()
    error = next(line for line in lines if line["logger"] == "django.request")
    assert error["level"] == "ERROR"
    assert error["request_id"] == "trace-0042abcd"
    assert "RuntimeError: A deliberate failure" in error["exc_info"]
    assert error["path"] == "/fail/" and error["http_method"] == "GET"
    assert error["time"].endswith("+00:00")
    access = next(line for line in lines if line["logger"] == "caravan.access")
    assert access["status"] == 500 and access["request_id"] == "trace-0042abcd"
    assert access["duration_ms"] >= 0


def test_make_run_logs_plain_text():
    # The settings under test inherit the embedded default's plain format.
    assert settings.LOG_FORMAT == "plain"
    formatter = settings.LOGGING["formatters"]["active"]
    assert "()" not in formatter and "%(request_id)s" in formatter["format"]
    assert settings.LOGGING["handlers"]["console"]["stream"] == "ext://sys.stdout"
    # Production's JSON lines: test_production_settings.py.
