"""Settings come from the environment (production's own: operations/tests/test_production_settings.py)."""

import os
import subprocess
import sys
from pathlib import Path

from caravan.testing.processes import ROOT, clean_environment, python


def run_django(settings, env_extra, code="import django; django.setup(); print('ok')"):
    return python(code, env=clean_environment(DJANGO_SETTINGS_MODULE=settings, **env_extra))


def test_demo_settings_generate_a_secret_key_into_var(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    env = {"CARAVAN_VAR_DIR": str(tmp_path)}
    first = run_django("caravan.settings.base", env, code)
    second = run_django("caravan.settings.base", env, code)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text().strip()
    assert len(key) >= 50
    assert first.stdout.strip() == second.stdout.strip() == key
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_environment_overrides_database_and_email(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.DEBUG)"
    )
    env = {
        "CARAVAN_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
        "EMAIL_URL": "smtp://127.0.0.1:2525",
    }
    result = run_django("caravan.settings.base", env, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "django.core.mail.backends.smtp.EmailBackend",
        "127.0.0.1",
        "2525",
        "False",
    ]


def test_makemigrations_is_clean():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "caravan.settings.test"
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_check_is_clean():
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run(
        [str(ruff), "check", "--quiet", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
