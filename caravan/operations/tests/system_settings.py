"""Production settings for the system tests (scale-out cluster, browser): the real ones,
plus the probe endpoint, static files found without collectstatic, and the test
process's password hashes."""

from caravan.settings.production import *  # noqa: F403
from caravan.settings.production import STORAGES

ROOT_URLCONF = "caravan.operations.tests.system_urls"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Users made by the test process carry the test settings' fast hashes.
PASSWORD_HASHERS = [*PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: F405
