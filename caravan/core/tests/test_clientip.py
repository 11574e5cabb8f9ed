"""One visitor address for sign-in throttling and inquiries, behind any proxy setup."""

import ipaddress

from django.test import RequestFactory, override_settings

from caravan.core.clientip import client_address, client_ip

CHAIN = "192.0.2.1, 198.51.100.23, 10.0.0.9"


def request(remote="10.0.0.5", forwarded=CHAIN):
    return RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)


def test_without_proxies_the_forwarded_header_is_ignored():
    with override_settings(CARAVAN_TRUSTED_PROXIES=[], CARAVAN_TRUSTED_PROXY_COUNT=0):
        assert client_ip(request()) == "10.0.0.5"


def test_a_trusted_proxy_list_skips_every_proxy_from_the_right():
    with override_settings(CARAVAN_TRUSTED_PROXIES=["10.0.0.0/8"], CARAVAN_TRUSTED_PROXY_COUNT=0):
        assert client_address(request()) == ipaddress.ip_address("198.51.100.23")
        # A request not from a listed proxy speaks for itself, whatever it claims.
        assert client_ip(request(remote="203.0.113.7")) == "203.0.113.7"
        # Junk in the chain stops the walk at the proxy.
        assert client_ip(request(forwarded="<script>, 10.0.0.9")) == "10.0.0.5"


def test_the_list_wins_over_the_count_when_both_are_set():
    with override_settings(CARAVAN_TRUSTED_PROXIES=["10.0.0.0/8"], CARAVAN_TRUSTED_PROXY_COUNT=1):
        assert client_ip(request()) == "198.51.100.23"  # the count alone would say 10.0.0.9


def test_inquiries_and_sign_in_throttling_see_the_same_address():
    from caravan.inquiries.attribution import client_ip as inquiry_ip

    for proxies, count in (([], 0), ([], 2), (["10.0.0.0/8"], 0)):
        with override_settings(CARAVAN_TRUSTED_PROXIES=proxies, CARAVAN_TRUSTED_PROXY_COUNT=count):
            assert str(inquiry_ip(request())) == client_ip(request())


def test_ipv4_mapped_ipv6_is_the_ipv4_address():
    assert client_ip(request(remote="::ffff:198.51.100.4", forwarded="")) == "198.51.100.4"
