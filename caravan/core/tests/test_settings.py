"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run_django(settings, env_extra, code="import django; django.setup(); print('ok')"):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "SECRET_KEY",
            "DATABASE_URL",
            "ALLOWED_HOSTS",
            "CACHE_URL",
            "EMAIL_URL",
            "CARAVAN_BASE_URL",
        )
    }
    env.update({"DJANGO_SETTINGS_MODULE": settings, **env_extra})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


GOOD_PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789",
    "ALLOWED_HOSTS": "shop.example.com",
    "DATABASE_URL": "sqlite:////tmp/caravan-settings-test.sqlite3",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp://127.0.0.1:2525",
    "CARAVAN_BASE_URL": "https://shop.example.com",
    "CARAVAN_TRUSTED_PROXY_COUNT": "1",
}


@pytest.mark.parametrize(
    "missing",
    ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CACHE_URL", "EMAIL_URL", "CARAVAN_BASE_URL"],
)
def test_production_refuses_to_start_without_a_required_setting(missing):
    env = {k: v for k, v in GOOD_PRODUCTION.items() if k != missing}
    result = run_django("caravan.settings.production", env)
    assert result.returncode != 0
    assert missing in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_production_refuses_a_wildcard_host():
    result = run_django("caravan.settings.production", {**GOOD_PRODUCTION, "ALLOWED_HOSTS": "*"})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_everything_set_and_debug_off():
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    result = run_django("caravan.settings.production", GOOD_PRODUCTION, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True"


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


def test_check_deploy_reports_only_what_the_readme_documents():
    env = {**GOOD_PRODUCTION}
    code = "import sys; from django.core.management import execute_from_command_line; execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    result = run_django("caravan.settings.production", env, code)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (1 silenced)" in result.stdout or "no issues (0 silenced)" in result.stdout


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
