"""Admin sign-in is throttled per (account, address) pair and per address, with a clear
message; failures sent from elsewhere never lock the real person out."""

import itertools
import uuid

import pytest
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings

from caravan.core.clientip import client_ip

pytestmark = pytest.mark.django_db

LOGIN = f"/{settings.CARAVAN_ADMIN_PATH}/login/"
LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture
def editor(django_user_model):
    name = f"editor-{uuid.uuid4().hex[:8]}"
    user = django_user_model.objects.create_user(name, password="right-password", is_staff=True)
    user.groups.add(*Group.objects.filter(name="Editors"))
    yield user
    reset(username=name)


# Every test's addresses differ from every other's in this process (the throttling
# counters in Redis outlive a test, and a per-address counter left over from another test
# would pause a sign-in that should pass).
_HOSTS = itertools.count(1)


@pytest.fixture
def addresses():
    """Fresh client addresses (documentation ranges), their counters cleared after."""
    used = []

    def make():
        n = next(_HOSTS)
        address = f"{('198.51.100', '192.0.2')[(n // 254) % 2]}.{n % 254 + 1}"
        used.append(address)
        return address

    yield make
    for address in used:
        reset(ip=address)


def sign_in(username, password, address):
    client = Client(REMOTE_ADDR=address)
    return client, client.post(LOGIN, {"username": username, "password": password})


def test_an_account_is_paused_at_an_address_after_repeated_failures_with_a_clear_message(
    editor, addresses
):
    address = addresses()
    for _ in range(LIMIT - 1):
        _, response = sign_in(editor.username, "wrong", address)
        assert response.status_code == 200  # the form again, with Wagtail's own error
        assert "password didn&#x27;t match" in response.content.decode()
    _, response = sign_in(editor.username, "wrong", address)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many failed sign-in attempts from your network" in text
    assert f"from here is paused for {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in text
    # Even the right password does not get in from that address while the pause lasts…
    client, response = sign_in(editor.username, "right-password", address)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # …but the person signs in from anywhere else.
    client, response = sign_in(editor.username, "right-password", addresses())
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_failures_from_many_addresses_never_lock_the_real_person_out(editor, addresses):
    """The attack of the review: wrong passwords for the account, each from a new
    address, then the right one from an address that has not failed."""
    for _ in range(LIMIT):
        _, response = sign_in(editor.username, "wrong", addresses())
        assert response.status_code == 200
    client, response = sign_in(editor.username, "right-password", addresses())
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)
    # Twice the limit, from as many addresses: still no pause for the account.
    for _ in range(2 * LIMIT):
        sign_in(editor.username, "wrong", addresses())
    assert sign_in(editor.username, "right-password", addresses())[1].status_code == 302


def test_an_address_is_paused_after_failures_on_several_accounts(editor, addresses):
    address = addresses()
    for n in range(LIMIT):
        sign_in(f"guess-{n}-{uuid.uuid4().hex[:6]}", "wrong", address)
    # A real account, right password — but from the address that kept guessing.
    _, response = sign_in(editor.username, "right-password", address)
    assert response.status_code == 429
    # The same account from elsewhere is fine.
    client, response = sign_in(editor.username, "right-password", addresses())
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_success_clears_the_failures(editor, addresses):
    address = addresses()
    for _ in range(LIMIT - 1):
        sign_in(editor.username, "wrong", address)
    _, response = sign_in(editor.username, "right-password", address)
    assert response.status_code == 302
    for _ in range(LIMIT - 1):
        _, response = sign_in(editor.username, "wrong", address)
        assert response.status_code == 200


def test_an_administrator_can_lift_a_pause(editor, addresses):
    address = addresses()
    for _ in range(LIMIT):
        sign_in(editor.username, "wrong", address)
    assert sign_in(editor.username, "right-password", address)[1].status_code == 429
    call_command("axes_reset_ip_username", address, editor.username, verbosity=0)
    assert sign_in(editor.username, "right-password", address)[1].status_code == 302


@override_settings(CARAVAN_TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_the_forwarded_address_counts_and_spoofing_does_not_help(editor, addresses):
    proxy = "10.0.0.2"
    attacker = addresses()
    for n in range(LIMIT):
        client = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, {attacker}")
        client.post(LOGIN, {"username": f"guess-{n}", "password": "wrong"})
    # The attacker is paused although it made up a new left-most address every time…
    blocked = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"203.0.113.99, {attacker}")
    response = blocked.post(LOGIN, {"username": editor.username, "password": "right-password"})
    assert response.status_code == 429
    # …while everyone else behind the same proxy signs in.
    other = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=addresses())
    response = other.post(LOGIN, {"username": editor.username, "password": "right-password"})
    assert response.status_code == 302


def test_client_ip_trusts_exactly_the_configured_proxies():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 192.0.2.7, 10.0.0.1"
    )
    with override_settings(CARAVAN_TRUSTED_PROXY_COUNT=0):
        assert client_ip(request) == "10.0.0.2"
    with override_settings(CARAVAN_TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == "10.0.0.1"
    with override_settings(CARAVAN_TRUSTED_PROXY_COUNT=2):
        assert client_ip(request) == "192.0.2.7"
    with override_settings(CARAVAN_TRUSTED_PROXY_COUNT=5):  # fewer entries than proxies
        assert client_ip(request) == "10.0.0.2"
    junk = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>")
    with override_settings(CARAVAN_TRUSTED_PROXY_COUNT=1):
        assert client_ip(junk) == "10.0.0.2"


@pytest.mark.redis
def test_failures_are_counted_in_redis_where_every_app_server_sees_them(editor, addresses):
    assert settings.AXES_HANDLER == "axes.handlers.cache.AxesCacheHandler"
    address = addresses()
    for _ in range(LIMIT):
        sign_in(editor.username, "wrong", address)
    # A second, independent connection to the same Redis — what another app server
    # holds — reads the same counters.
    from axes.helpers import get_client_cache_keys
    from axes.models import AccessAttempt
    from django.core.cache.backends.redis import RedisCache

    config = settings.CACHES["default"]
    other_server = RedisCache(config["LOCATION"], {"KEY_PREFIX": config["KEY_PREFIX"]})
    keys = get_client_cache_keys(AccessAttempt(username=editor.username, ip_address=address))
    assert max(other_server.get(key, 0) for key in keys) >= LIMIT
    assert caches["default"] is not other_server
