"""Sending an inquiry with and without JavaScript: validation, confirmation, the origin
check, rate limits, attribution and the one transaction that stores and enqueues."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import override_settings

from caravan.inquiries.models import ContactKind, DeliveryStatus, Inquiry
from caravan.testing import inquiry_data, post_inquiry

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


# Success ---------------------------------------------------------------------------------


def test_plain_form_redirects_303_to_a_confirmation_with_reference_and_reply_time(client, product):
    data = inquiry_data(product=str(product.pk), page="http://testserver/en/about/")
    response = post_inquiry(client, data)
    assert response.status_code == 303
    assert not response.cookies
    inquiry = Inquiry.objects.get()
    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    assert not confirmation.cookies and "no-store" in confirmation["Cache-Control"]
    page = soup(confirmation)
    assert page.h1.get_text(strip=True) == "Thank you, your inquiry has been sent"
    assert page.select_one(".reference").get_text() == inquiry.reference
    text = page.select_one("main").get_text(" ", strip=True)
    assert "What happens next" in text
    assert "We usually reply within one business day" in text
    assert "aigerim@steppe-water.example" in text
    assert product.title in text
    assert page.select_one(".inquiry-done__back a")["href"] == "http://testserver/en/about/"
    # Reloading the confirmation does not post again.
    assert client.get(response["Location"]).status_code == 200
    assert Inquiry.objects.count() == 1


def test_confirmation_address_cannot_be_guessed(client):
    response = post_inquiry(client)
    inquiry = Inquiry.objects.get()
    assert inquiry.reference not in response["Location"]
    assert client.get(f"/en/inquiry/sent/{inquiry.pk}/").status_code == 404
    forged = response["Location"].replace(f"/sent/{inquiry.pk}:", f"/sent/{inquiry.pk + 1}:")
    assert client.get(forged).status_code == 404


def test_confirmation_without_a_known_page_links_home(client):
    response = post_inquiry(client, inquiry_data(page="https://elsewhere.example/x"))
    page = soup(client.get(response["Location"]))
    assert page.select_one(".inquiry-done__back a")["href"] == "/en/"


def test_dialog_post_gets_201_with_the_reference_and_the_confirmation(client):
    response = post_inquiry(client, as_json=True)
    assert response.status_code == 201
    assert not response.cookies
    body = response.json()
    inquiry = Inquiry.objects.get()
    assert body["reference"] == inquiry.reference
    fragment = BeautifulSoup(body["html"], "html.parser")
    assert fragment.select_one(".reference").get_text() == inquiry.reference
    assert "within one business day" in fragment.get_text()
    assert fragment.select_one("button[data-inquiry-close]")


def test_stores_what_was_typed_exactly_trimmed_with_normalised_contact(client, product):
    data = inquiry_data(
        name="  Ёлкин Пётр  ",
        contact=" 8 (701) 234-56-78 ",
        country="KZ",
        message="Нужны задвижки DN100.\r\nДоставка: Алматы.  ",
        company="ТОО «Степь»",
        quantity="1 000",
        product=str(product.pk),
    )
    assert post_inquiry(client, data).status_code == 303
    inquiry = Inquiry.objects.get()
    assert inquiry.name == "Ёлкин Пётр"
    assert inquiry.contact == "8 (701) 234-56-78"
    assert inquiry.contact_kind == ContactKind.PHONE
    assert inquiry.contact_phone == "+77012345678"
    assert inquiry.message == "Нужны задвижки DN100.\r\nДоставка: Алматы."
    assert inquiry.company == "ТОО «Степь»"
    assert inquiry.country == "KZ"
    assert inquiry.quantity == 1000
    assert inquiry.product == product and inquiry.product_title == product.title
    assert inquiry.language == "en"
    assert len(inquiry.reference) == 9 and inquiry.reference.startswith("Q-")
    # A phone contact gets no e-mail confirmation; the sales team is notified.
    assert inquiry.autoreply_status == DeliveryStatus.SKIPPED
    assert inquiry.notification_status == DeliveryStatus.SENT


def test_unknown_product_id_is_ignored_silently(client):
    for value in ("999999", "abc", "-4", "12.5"):
        response = post_inquiry(
            client, inquiry_data(product=value, contact=f"b{len(value)}@x.example")
        )
        assert response.status_code == 303, value
    assert Inquiry.objects.filter(product__isnull=True).count() == 4


@pytest.mark.parametrize("value", ["9" * 5000, "9" * 25, "0" * 4000 + "1", " ٣ "])
def test_a_product_id_of_thousands_of_digits_is_ignored_not_a_500(client, value):
    page = client.get("/en/inquiry/", {"product": value})
    assert page.status_code == 200
    assert page.context["selected_product"] == ""
    assert post_inquiry(client, inquiry_data(product=value)).status_code == 303
    dialog = post_inquiry(client, inquiry_data(product=value, contact="c@x.example"), as_json=True)
    assert dialog.status_code == 201
    assert Inquiry.objects.filter(product__isnull=True).count() == 2


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("1", 1), ("1,000", 1000), ("1.000", 1000), ("12 500", 12500), ("١٢٠", 120), ("", None)],
)
def test_quantity_accepts_whole_numbers_as_people_write_them(client, raw, stored):
    assert post_inquiry(client, inquiry_data(quantity=raw)).status_code == 303
    assert Inquiry.objects.get().quantity == stored


# Validation ------------------------------------------------------------------------------

INVALID = [
    ("name", "", "Enter your name."),
    ("name", "   ", "Enter your name."),
    ("name", "N" * 101, "at most 100 characters"),
    ("contact", "", "Enter your e-mail address or phone number"),
    ("contact", "aigerim@", "Enter a valid e-mail address"),
    ("contact", "aigerim at steppe", "Enter an e-mail address or a phone number"),
    ("contact", "12", "not valid"),
    ("message", "", "Tell us what you need"),
    ("message", "x" * 5001, "at most 5000 characters"),
    ("quantity", "0", "at least 1"),
    ("quantity", "-5", "whole number"),
    ("quantity", "1.5", "whole number"),
    ("quantity", "500 pcs", "whole number"),
    ("country", "XX", "Choose a country from the list."),
]


@pytest.mark.parametrize(("field", "value", "message"), INVALID)
def test_dialog_gets_each_error_next_to_its_field(client, field, value, message):
    response = post_inquiry(client, inquiry_data(**{field: value}), as_json=True)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert not Inquiry.objects.exists()


def test_national_phone_number_needs_a_country(client):
    response = post_inquiry(client, inquiry_data(contact="030 1234 5678", country=""), as_json=True)
    assert response.status_code == 400
    assert "country code" in response.json()["errors"]["contact"][0]
    assert (
        post_inquiry(client, inquiry_data(contact="030 1234 5678", country="DE")).status_code == 303
    )
    assert Inquiry.objects.get().contact_phone == "+493012345678"


def test_plain_form_shows_the_form_again_with_inline_errors_and_everything_kept(client):
    data = inquiry_data(
        name="",
        contact="Ahmed.Al-Farsi@",
        message='نحتاج إلى صمامات <b>DN100</b> "للمياه"',
        company="شركة الخليج",
        country="AE",
        quantity="abc",
        utm_source="newsletter",
        landing="http://testserver/en/?utm_source=newsletter",
    )
    response = post_inquiry(client, data)
    assert response.status_code == 400
    assert not Inquiry.objects.exists()
    page = soup(response)
    form = page.select_one("form[data-inquiry-form=page]")
    assert (
        "Please correct the fields marked below"
        in form.select_one("[data-inquiry-status]").get_text()
    )
    # The single-product form's quantity comes back in the page's first product row.
    assert form.select_one("[name=items-0-quantity]")["aria-invalid"] == "true"
    assert form.select_one("#id_items-0-quantity-error").get_text(strip=True)
    for field in ("name", "contact"):
        control = form.select_one(f"[name={field}]")
        assert control["aria-invalid"] == "true"
        error = form.select_one(f"#inquiry-{field}-error")
        assert not error.has_attr("hidden") and error.get_text(strip=True)
        assert error["id"] in control["aria-describedby"]
    assert not form.select_one("#inquiry-message-error").get_text(strip=True)
    # Everything typed is kept, escaped.
    assert form.select_one("[name=contact]")["value"] == "Ahmed.Al-Farsi@"
    assert form.select_one("textarea[name=message]").get_text() == data["message"]
    assert "<b>DN100</b>" not in response.content.decode()
    assert form.select_one("[name=company]")["value"] == "شركة الخليج"
    assert form.select_one("select[name=country] option[selected]")["value"] == "AE"
    assert form.select_one("[name=items-0-quantity]")["value"] == "abc"
    assert form.select_one("[name=utm_source]")["value"] == "newsletter"
    # The same token comes back, so fixing a field quickly is not "too fast".
    assert form.select_one("[name=token]")["value"] == data["token"]


def test_name_of_100_characters_in_any_script_is_accepted(client):
    for index, name in enumerate(["王" * 100, "ж" * 100, "ا" * 100, "é" * 100]):
        data = inquiry_data(name=name, contact=f"buyer{index}@example.com")
        assert post_inquiry(client, data).status_code == 303
    assert Inquiry.objects.count() == 4


def test_message_of_5000_characters_is_accepted(client):
    assert post_inquiry(client, inquiry_data(message="y" * 5000)).status_code == 303


# The origin check instead of a CSRF cookie ------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "http://testserver.evil.example"},
        # Another host the site answers to (ALLOWED_HOSTS), another port or scheme: not
        # this page's origin.
        {"HTTP_ORIGIN": "http://localhost:9999"},
        {"HTTP_ORIGIN": "http://localhost"},
        {"HTTP_ORIGIN": "http://testserver:8080"},
        {"HTTP_ORIGIN": "https://testserver"},
        {"HTTP_ORIGIN": "http://testserver:99999"},
        {"HTTP_ORIGIN": "null", "HTTP_REFERER": "http://localhost:9999/en/"},
        {"HTTP_ORIGIN": "null", "HTTP_REFERER": "https://evil.example/form.html"},
        {"HTTP_REFERER": "https://evil.example/form.html"},
        {},
    ],
)
def test_cross_site_post_is_refused_with_a_clear_message(client, headers):
    response = client.post("/en/inquiry/", inquiry_data(), **headers)
    assert response.status_code == 403
    assert "not sent from our website" in soup(response).select_one("main").get_text()
    json_response = client.post(
        "/en/inquiry/", inquiry_data(), HTTP_ACCEPT="application/json", **headers
    )
    assert json_response.status_code == 403
    assert "not sent from our website" in json_response.json()["error"]
    assert not Inquiry.objects.exists()
    assert mail.outbox == []


def test_same_site_post_by_referer_alone_is_accepted(client):
    response = client.post(
        "/en/inquiry/",
        inquiry_data(),
        HTTP_ORIGIN="null",
        HTTP_REFERER="http://testserver/en/inquiry/",
    )
    assert response.status_code == 303


@pytest.mark.parametrize(
    ("origin", "extra"),
    [
        ("http://testserver:80", {}),  # the default port, spelt out
        ("https://testserver", {"secure": True}),
        ("http://localhost:8000", {"HTTP_HOST": "localhost:8000"}),
    ],
)
def test_posts_from_the_request_s_own_origin_are_accepted(client, origin, extra):
    assert post_inquiry(client, origin=origin, as_json=True, **extra).status_code == 201


def test_posts_from_the_trusted_origins_are_accepted_with_their_scheme_and_port(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "www.silkline.example"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.silkline.example", "https://*.silkline.test"]
    for n, origin in enumerate(
        ["https://www.silkline.example", "https://shop.silkline.test", "https://silkline.test"]
    ):
        data = inquiry_data(contact=f"trusted{n}@x.example")
        assert post_inquiry(client, data, origin=origin, as_json=True).status_code == 201, origin
    for origin in [
        "http://www.silkline.example",
        "https://www.silkline.example:8443",
        "http://shop.silkline.test",
        "https://evilsilkline.test",
    ]:
        assert post_inquiry(client, origin=origin, as_json=True).status_code == 403, origin


def test_get_and_post_set_no_cookie(client):
    assert not client.get("/en/inquiry/").cookies
    assert not post_inquiry(client).cookies
    assert not post_inquiry(client, inquiry_data(name=""), as_json=True).cookies


# Rate limits -----------------------------------------------------------------------------


@override_settings(CARAVAN_INQUIRY_RATE_LIMIT_IP="2/h", CARAVAN_INQUIRY_RATE_LIMIT_CONTACT="0")
def test_per_ip_limit_answers_429_and_stores_nothing(client):
    for index in range(2):
        assert post_inquiry(client, inquiry_data(contact=f"a{index}@x.example")).status_code == 303
    data = inquiry_data(contact="a3@x.example", message="Третье сообщение, которое нельзя терять.")
    response = post_inquiry(client, data)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    page = soup(response)
    assert (
        "several inquiries from you in a short time"
        in page.select_one("[data-inquiry-status]").get_text()
    )
    assert page.select_one("textarea[name=message]").get_text() == data["message"]  # kept
    json_response = post_inquiry(client, data, as_json=True)
    assert json_response.status_code == 429
    assert "try again in about" in json_response.json()["error"]
    assert Inquiry.objects.count() == 2
    # Another address is not affected.
    other = post_inquiry(client, inquiry_data(contact="a4@x.example"), REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 303


@override_settings(CARAVAN_INQUIRY_RATE_LIMIT_IP="0", CARAVAN_INQUIRY_RATE_LIMIT_CONTACT="2/h")
def test_per_contact_limit_counts_one_buyer_across_addresses(client):
    for index, contact in enumerate(["+7 701 234 5678", "8 701 234 56 78", "+77012345678"]):
        response = post_inquiry(
            client,
            inquiry_data(contact=contact, country="KZ"),
            REMOTE_ADDR=f"203.0.113.{index + 1}",
        )
        assert response.status_code == (303 if index < 2 else 429), contact
    assert Inquiry.objects.count() == 2


# Attribution ----------------------------------------------------------------------------


def test_attribution_is_stored_with_the_ip_truncated(client):
    data = inquiry_data(
        page="http://testserver/en/about/",
        referrer="https://search.example/?q=gate+valves",
        landing="http://testserver/en/?utm_source=expo&utm_campaign=almaty-2026",
        utm_source="expo",
        utm_medium="print",
        utm_campaign="almaty-2026",
        utm_term="gate valve",
        utm_content="flyer-b",
    )
    post_inquiry(client, data, REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Mozilla/5.0 (Buyer)")
    inquiry = Inquiry.objects.get()
    assert inquiry.page_url == "http://testserver/en/about/"
    assert inquiry.referrer == "https://search.example/?q=gate+valves"
    assert inquiry.landing_page.endswith("utm_campaign=almaty-2026")
    assert inquiry.utm == {
        "utm_source": "expo",
        "utm_medium": "print",
        "utm_campaign": "almaty-2026",
        "utm_term": "gate valve",
        "utm_content": "flyer-b",
    }
    assert inquiry.user_agent == "Mozilla/5.0 (Buyer)"
    assert inquiry.ip_network == "203.0.113.0/24"


@pytest.mark.parametrize(
    ("remote", "stored"),
    [
        ("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::/48"),
        ("::ffff:198.51.100.200", "198.51.100.0/24"),
        ("not-an-ip", ""),
    ],
)
def test_ipv6_is_truncated_to_48_bits(client, remote, stored):
    post_inquiry(client, REMOTE_ADDR=remote)
    assert Inquiry.objects.get().ip_network == stored


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(client, settings):
    post_inquiry(client, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.23")
    assert Inquiry.objects.get().ip_network == "10.0.0.0/24"
    Inquiry.objects.all().delete()
    settings.CARAVAN_TRUSTED_PROXIES = ["10.0.0.0/8"]
    # A client-supplied entry left of the real one does not fool us.
    post_inquiry(
        client, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.23, 10.0.0.9"
    )
    assert Inquiry.objects.get().ip_network == "198.51.100.0/24"


def test_attribution_values_are_cleaned_not_trusted(client):
    data = inquiry_data(
        page="javascript:alert(1)",
        referrer="http://x.example/\r\nSet-Cookie: a=b",
        landing="h" * 5000,
        utm_source="s" * 500,
    )
    assert post_inquiry(client, data).status_code == 303
    inquiry = Inquiry.objects.get()
    assert inquiry.page_url == "" and inquiry.landing_page == ""
    assert "\r" not in inquiry.referrer and "\n" not in inquiry.referrer
    assert len(inquiry.utm_source) == 200


# One transaction ------------------------------------------------------------------------


@override_settings(TASKS=DB_TASKS)
def test_the_inquiry_and_its_task_are_stored_together_and_nothing_is_sent_during_the_request(
    client,
):
    from django_tasks_db.models import DBTaskResult

    response = post_inquiry(client, as_json=True)
    assert response.status_code == 201
    inquiry = Inquiry.objects.get()
    task = DBTaskResult.objects.get()
    assert task.task_path == "caravan.inquiries.delivery.deliver_inquiry"
    assert task.args_kwargs == {"args": [inquiry.pk], "kwargs": {}}
    assert task.status == "READY"
    assert inquiry.delivery_task_id == str(task.id)
    assert mail.outbox == []  # the visitor does not wait for e-mail


@override_settings(TASKS=DB_TASKS)
def test_when_the_task_cannot_be_enqueued_the_inquiry_is_not_stored_either(client, monkeypatch):
    from django.db import DatabaseError
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    def broken(self, task, args, kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(DatabaseBackend, "enqueue", broken)
    client.raise_request_exception = False
    response = post_inquiry(client)
    assert response.status_code == 500
    assert not Inquiry.objects.exists()
    assert not DBTaskResult.objects.exists()


@override_settings(TASKS=DB_TASKS)
def test_suspected_spam_gets_no_task(client):
    from django_tasks_db.models import DBTaskResult

    post_inquiry(client, inquiry_data(website="http://spam.example"))
    assert Inquiry.objects.get().is_spam
    assert not DBTaskResult.objects.exists()
