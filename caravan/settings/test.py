"""Tests: fast hashing, in-memory cache, plain static storage, tasks run immediately.

Tests that exercise the real worker switch TASKS to the database backend themselves.
"""

import os
import re
import tempfile
import uuid
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env.str("CACHE_URL", default=""):
    # The suite on Redis (`make test-postgres`): keys of this run carry a prefix of their
    # own, so runs sharing a Redis never see each other's counters.
    CACHES = {
        "default": {
            **env.cache_url("CACHE_URL"),
            "KEY_PREFIX": f"caravan-test-{uuid.uuid4().hex[:12]}",
        }
    }
    # Tests empty the cache (cache.clear() is Redis's FLUSHDB, blind to prefixes): with
    # pytest-xdist each test process gets a database of its own, the next numbers after
    # CACHE_URL's (gw0 → n, gw1 → n + 1, ...).
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if _worker.startswith("gw") and "redis" in CACHES["default"]["BACKEND"].lower():
        CACHES["default"]["LOCATION"] = re.sub(
            r"/(\d+)$",
            lambda m: f"/{int(m.group(1)) + int(_worker[2:])}",
            CACHES["default"]["LOCATION"],
        )
AXES_HANDLER = (
    "axes.handlers.cache.AxesCacheHandler"
    if "redis" in CACHES["default"]["BACKEND"].lower()
    else "axes.handlers.database.AxesDatabaseHandler"
)
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A fresh directory per run, unless a test starts a process with MEDIA_ROOT of its own.
MEDIA_ROOT = Path(
    env.str("MEDIA_ROOT", default="") or tempfile.mkdtemp(prefix="caravan-test-media-")
)
WHITENOISE_AUTOREFRESH = True
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

if not env.str("DATABASE_URL", default=""):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
WHITENOISE_USE_FINDERS = True
# Public files of the tests go to a directory of the run; publishing re-renders them only
# in the tests that are about them (caravan/static_site/tests).
# A test that starts an app server hands it the tree it wrote (CARAVAN_PUBLIC_DIR).
CARAVAN_PUBLIC_DIR = Path(
    env.str("CARAVAN_PUBLIC_DIR", default="") or tempfile.mkdtemp(prefix="caravan-test-public-")
)
CARAVAN_STATIC_PUBLISH = False

# E-mail attachments of leads: a fresh private directory per run, outside MEDIA_ROOT
# (or the one a test gives the processes it starts).
CARAVAN_PRIVATE_ROOT = Path(
    os.environ.get("CARAVAN_PRIVATE_ROOT") or tempfile.mkdtemp(prefix="caravan-test-private-")
)
STORAGES = {
    **STORAGES,
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(CARAVAN_PRIVATE_ROOT), "base_url": "/no-public-url/"},
    },
}

# Each test's database is rolled back, which advances no content generation: kept
# look-ups would outlive it. The tests of the feature turn it on.
CARAVAN_KEEP_LOOKUPS = False
