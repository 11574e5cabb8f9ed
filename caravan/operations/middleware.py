"""Middleware of the operations side: request ids and access log, /healthz, and the
Content-Security-Policy that differs between the public site and the admin."""

import json
import logging
import re
import time

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.http import HttpResponse

from . import health, requestid

access_logger = logging.getLogger("caravan.access")


class RequestIdMiddleware:
    """Give each request an id (the proxy's X-Request-ID when it sent a sane one), put
    it into every log line written while the request is handled, return it in the
    X-Request-ID response header and, when CARAVAN_ACCESS_LOG is on, log the request."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.access_log = getattr(settings, "CARAVAN_ACCESS_LOG", False)

    def __call__(self, request):
        request_id = requestid.choose(request.META.get("HTTP_X_REQUEST_ID", ""))
        request.request_id = request_id
        token = requestid.activate(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if self.access_log:
                access_logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "http_method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            requestid.deactivate(token)


class HealthCheckMiddleware:
    """Answer /healthz and /healthz/strict before host validation, sessions, locale
    redirects and CSRF: load balancers probe app servers by their private address, and
    the answer must never carry a cookie or be cached. Only trusted clients get the
    details (caravan.operations.health.shows_details); everyone else ok/failing."""

    PATHS = {"/healthz": False, "/healthz/": False, "/healthz/strict": True}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        strict = self.PATHS.get(request.path_info)
        if strict is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        status, body = health.report(strict=strict)
        if not health.shows_details(request):
            body = health.public_body(status)
        response = HttpResponse(
            json.dumps(body, indent=1), status=status, content_type="application/json"
        )
        response["Cache-Control"] = "no-store, max-age=0"
        response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
        response["X-Content-Type-Options"] = "nosniff"
        response["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY
        response["X-Robots-Tag"] = "noindex"
        return response


def is_admin_path(path):
    return path.startswith(f"/{settings.CARAVAN_ADMIN_PATH}/")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with two policies: the strict public one
    (CONTENT_SECURITY_POLICY: scripts and styles from our own files only) and a looser
    one for the Wagtail admin (CARAVAN_ADMIN_CONTENT_SECURITY_POLICY), whose templates
    still use inline scripts and styles.

    frame-ancestors follows the X-Frame-Options decision of the view: 'none' everywhere,
    'self' where a view allows same-origin framing (Wagtail's live preview)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if parts.config is None and is_admin_path(request.path_info):
            admin_policy = getattr(settings, "CARAVAN_ADMIN_CONTENT_SECURITY_POLICY", None)
            if admin_policy:
                parts.config = default_config(admin_policy["DIRECTIVES"])
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        # Wagtail renders a preview through the whole middleware chain for the page's
        # public URL (strict policy, frame-ancestors 'none') and only then marks the
        # response SAMEORIGIN, so the directive is adjusted on the finished header.
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN" and HEADER in response:
            response[HEADER] = re.sub(
                r"frame-ancestors [^;]*", "frame-ancestors 'self'", response[HEADER]
            )
        return response
