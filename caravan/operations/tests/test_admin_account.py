import io

import pytest
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def password_from(output):
    return next(
        line.split(":", 1)[1].strip() for line in output.splitlines() if "Password:" in line
    )


def test_first_run_creates_admin_and_prints_a_working_password():
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    text = out.getvalue()
    assert f"/{settings.CARAVAN_ADMIN_PATH}/" in text and "User name: admin" in text
    user = authenticate(username="admin", password=password_from(text))
    assert user is not None and user.is_superuser


def test_second_run_prints_nothing_and_keeps_the_password():
    call_command("ensure_admin", stdout=io.StringIO())
    before = get_user_model().objects.get(username="admin").password
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    assert out.getvalue() == ""
    assert get_user_model().objects.get(username="admin").password == before


def test_reset_password_sets_a_new_one():
    first = io.StringIO()
    call_command("ensure_admin", stdout=first)
    second = io.StringIO()
    call_command("ensure_admin", reset_password=True, stdout=second)
    assert authenticate(username="admin", password=password_from(first.getvalue())) is None
    assert authenticate(username="admin", password=password_from(second.getvalue())) is not None


def test_admin_login_page_answers(client):
    assert client.get(f"/{settings.CARAVAN_ADMIN_PATH}/login/").status_code == 200
