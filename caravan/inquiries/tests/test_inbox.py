"""The lead inbox in the admin, as the sales team uses it: listing, filters, search, bulk
actions, statuses and their history, the lead view, buyer threads, assignment rules,
exports, privacy, permissions and delivery alerts."""

import csv
import io
import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.utils import timezone

from caravan.inquiries import alerts, privacy
from caravan.inquiries.models import (
    AssignmentRule,
    DeliveryStatus,
    InboxSettings,
    Inquiry,
    LeadEvent,
    LeadStatus,
)
from caravan.testing import make_inquiry, post_inquiry

pytestmark = pytest.mark.django_db

INBOX = "/admin/inquiries/"


def listed(response):
    """The references in the inbox listing, in the order shown."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        a.get_text(strip=True) for a in soup.select("table.listing tbody td a[href*='inspect']")
    ]


@pytest.fixture
def leads(product, sales):
    """Three leads that differ in every filtered field."""
    now = timezone.now()
    old = make_inquiry(
        name="Li Wei",
        contact="li.wei@yangtze-pipe.example",
        company="Yangtze Pipe Co",
        message="需要报价 DN100 闸阀",
        country="CN",
        language="zh-hans",
        product=product,
        product_title=product.title,
        status=LeadStatus.CONTACTED,
        assignee=sales,
        created_at=now - timedelta(days=10),
        first_response_at=now - timedelta(days=9),
    )
    fresh = make_inquiry(
        name="Ерлан Сапаров",
        contact="+7 701 555 0101",
        contact_kind="phone",
        company="Степь Вода",
        message="Нужны задвижки",
        country="KZ",
        language="ru",
        notification_status=DeliveryStatus.FAILED,
        created_at=now - timedelta(hours=1),
    )
    junk = make_inquiry(
        name="Cheap pills",
        contact="bot@spam.example",
        message="buy now",
        country="US",
        is_spam=True,
        created_at=now - timedelta(hours=2),
    )
    return {"old": old, "fresh": fresh, "junk": junk}


# The listing -------------------------------------------------------------------------


def test_inbox_lists_real_leads_newest_first_with_a_count_of_new_ones(sales_client, leads):
    response = sales_client.get(INBOX)
    shown = listed(response)
    ours = [r for r in shown if r in {lead.reference for lead in leads.values()}]
    assert ours == [leads["fresh"].reference, leads["old"].reference]  # spam hidden
    body = response.content.decode()
    for text in (
        "<bdi>Ерлан Сапаров</bdi> · <bdi>Степь Вода</bdi>",
        "+7 701 555 0101",
        "Contacted",
        "Anna Berg",
    ):
        assert text in body
    new = Inquiry.objects.filter(status=LeadStatus.NEW, is_spam=False).count()
    assert f"Inbox ({new} new)" in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "contacted"}, {"old"}),
        ({"status": ["new", "contacted"]}, {"old", "fresh"}),
        ({"status": "spam"}, {"junk"}),
        ({"created_at_from": "{days_ago_3}"}, {"fresh"}),
        ({"created_at_to": "{days_ago_3}"}, {"old"}),
        ({"product": "{product}"}, {"old"}),
        ({"country": "KZ"}, {"fresh"}),
        ({"language": "zh-hans"}, {"old"}),
        ({"assignee": "{sales}"}, {"old"}),
        ({"assignee": "null"}, {"fresh"}),
        ({"spam": "yes"}, {"junk"}),
        ({"spam": "all"}, {"old", "fresh", "junk"}),
        ({}, {"old", "fresh"}),
        ({"delivery": "failed"}, {"fresh"}),
        ({"q": "Сапаров"}, {"fresh"}),
        ({"q": "yangtze-pipe"}, {"old"}),
        ({"q": "Степь"}, {"fresh"}),
        ({"q": "闸阀"}, {"old"}),
        ({"q": "nothing-like-this"}, set()),
    ],
)
def test_every_filter_and_search(sales_client, leads, product, sales, params, expected):
    values = {
        "days_ago_3": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "product": product.pk,
        "sales": sales.pk,
    }
    query = {
        k: ([x.format(**values) for x in v] if isinstance(v, list) else str(v).format(**values))
        for k, v in params.items()
    }
    shown = set(listed(sales_client.get(INBOX, query)))
    found = {name for name, lead in leads.items() if lead.reference in shown}
    assert found == expected


def test_the_listing_query_count_does_not_grow_with_the_leads(sales_client, leads, sales):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert sales_client.get(INBOX).status_code == 200
        return len(captured)

    before = queries()
    for n in range(6):
        make_inquiry(name=f"Buyer {n}", contact=f"b{n}@example.com", assignee=sales)
    assert queries() == before


def test_a_bad_filter_value_gets_a_message_not_a_500(sales_client, leads):
    response = sales_client.get(INBOX, {"created_at_from": "yesterday-ish", "product": "x"})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["9" * 25, "9" * 5000, "1e3", "٣"])
def test_a_product_or_assignee_that_is_no_id_is_not_a_choice(sales_client, leads, value):
    for params in ({"product": value}, {"assignee": value}):
        response = sales_client.get(INBOX, params)
        assert response.status_code == 200, params
        assert "Select a valid choice" in response.content.decode()
        assert sales_client.get(INBOX + "results/", params).status_code == 200


# Bulk actions -------------------------------------------------------------------------


def test_bulk_assign_change_status_spam_and_delete(sales_client, leads, sales):
    old, fresh = leads["old"], leads["fresh"]
    ids = [old.pk, fresh.pk]
    response = sales_client.post(
        INBOX + "bulk/", {"action": "status", "status": "quoted", "id": ids}
    )
    assert response.status_code == 302
    assert set(Inquiry.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"quoted"}
    sales_client.post(INBOX + "bulk/", {"action": "assign", "assignee": sales.pk, "id": [fresh.pk]})
    fresh.refresh_from_db()
    assert fresh.assignee == sales
    assert fresh.events.filter(kind=LeadEvent.Kind.ASSIGNEE, user=sales).exists()

    sales_client.post(INBOX + "bulk/", {"action": "spam", "id": [fresh.pk]})
    fresh.refresh_from_db()
    assert fresh.is_spam and fresh.status == LeadStatus.SPAM
    sales_client.post(INBOX + "bulk/", {"action": "notspam", "id": [fresh.pk]})
    fresh.refresh_from_db()
    assert not fresh.is_spam and fresh.status == LeadStatus.NEW

    confirm = sales_client.post(INBOX + "bulk/", {"action": "delete", "id": [old.pk]})
    assert confirm.status_code == 200 and old.reference in confirm.content.decode()
    assert Inquiry.objects.filter(pk=old.pk).exists()  # asked first
    sales_client.post(INBOX + "bulk/", {"action": "delete", "id": [old.pk], "confirm": "yes"})
    assert not Inquiry.objects.filter(pk=old.pk).exists()


def test_bulk_action_without_a_selection_says_so(sales_client, leads):
    response = sales_client.post(INBOX + "bulk/", {"action": "spam"}, follow=True)
    assert "Select at least one lead first." in response.content.decode()


@pytest.mark.parametrize("value", ["9" * 25, "9" * 5000])
def test_bulk_action_on_an_id_that_is_no_id_changes_nothing(sales_client, leads, value):
    fresh = leads["fresh"]
    response = sales_client.post(
        INBOX + "bulk/", {"action": "spam", "id": [fresh.pk, value]}, follow=True
    )
    assert response.status_code == 200
    fresh.refresh_from_db()
    assert not fresh.is_spam


# Statuses and the lead view -------------------------------------------------------------


def test_status_changes_are_recorded_with_who_and_when(sales_client, leads, sales):
    lead = leads["fresh"]
    url = f"{INBOX}inspect/{lead.pk}/"
    sales_client.post(url + "status/", {"status": "contacted"})
    lead.refresh_from_db()
    first_response = lead.first_response_at
    assert lead.status == LeadStatus.CONTACTED and first_response is not None
    sales_client.post(url + "status/", {"status": "quoted"})
    sales_client.post(url + "status/", {"status": "won"})
    lead.refresh_from_db()
    assert lead.status == LeadStatus.WON
    assert lead.first_response_at == first_response  # the first response stays
    changes = list(
        lead.events.filter(kind=LeadEvent.Kind.STATUS)
        .order_by("created_at", "pk")
        .values_list("old_value", "new_value", "user")
    )
    assert changes == [
        ("new", "contacted", sales.pk),
        ("contacted", "quoted", sales.pk),
        ("quoted", "won", sales.pk),
    ]
    history = BeautifulSoup(sales_client.get(url).content, "html.parser").select_one(
        "[data-lead-history]"
    )
    text = history.get_text(" ", strip=True)
    assert "Anna Berg · status changed: New → Contacted" in text
    assert "Quoted → Won" in text


def test_lead_view_shows_the_buyer_text_escaped_with_reply_links_and_attribution(
    sales_client, product
):
    email_lead = make_inquiry(
        name="<b>Mallory</b>",
        message="<script>alert(1)</script>\nsecond line",
        product=product,
        product_title=product.title,
        landing_page="http://testserver/en/products/?utm_source=newsletter",
        referrer="https://search.example/?q=valves",
        utm_source="newsletter",
        utm_campaign="spring",
    )
    body = sales_client.get(f"{INBOX}inspect/{email_lead.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)" in body
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in body
    soup = BeautifulSoup(body, "html.parser")
    mailto = soup.select_one("[data-reply-links] a[href^='mailto:']")["href"]
    assert mailto.startswith("mailto:aigerim@steppe-water.example?subject=")
    assert email_lead.reference in mailto
    assert soup.find("a", string=product.title)["href"] == product.url
    for text in ("newsletter", "spring", "https://search.example/?q=valves", "Spam score"):
        assert text in body

    phone_lead = make_inquiry(contact="+86 139 5550 0123", contact_kind="phone")
    soup = BeautifulSoup(
        sales_client.get(f"{INBOX}inspect/{phone_lead.pk}/").content, "html.parser"
    )
    hrefs = [a["href"] for a in soup.select("[data-reply-links] a")]
    assert hrefs == ["https://wa.me/8613955500123", "tel:+8613955500123"]


def test_notes_assignee_and_resend(sales_client, sales, company):
    company.sales_emails = "sales@silkline-flow.example"
    company.save()
    lead = make_inquiry(notification_status=DeliveryStatus.FAILED, notification_attempts=9)
    url = f"{INBOX}inspect/{lead.pk}/"
    sales_client.post(url + "note/", {"text": "Called, <wants> a quote by Friday"})
    sales_client.post(url + "assign/", {"assignee": sales.pk})
    mail.outbox.clear()
    sales_client.post(url + "resend/", {"channel": "notification"})
    lead.refresh_from_db()
    assert lead.notification_status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [["anna@silkline-flow.example"]]  # the assignee
    body = sales_client.get(url).content.decode()
    assert "Called, &lt;wants&gt; a quote by Friday" in body
    assert "e-mail resent" in body and "assigned: — → Anna Berg" in body
    empty = sales_client.post(url + "note/", {"text": "  "})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()


def test_spam_flag_from_the_lead_page(sales_client, leads, press):
    lead = leads["fresh"]
    url = f"{INBOX}inspect/{lead.pk}/"
    response = press(sales_client, sales_client.get(url), "Mark as spam")
    assert response.redirect_chain == [(url, 302)]
    assert "Spam flag changed." in response.content.decode()
    lead.refresh_from_db()
    assert lead.is_spam and lead.status == LeadStatus.SPAM
    press(sales_client, response, "Not spam")
    lead.refresh_from_db()
    assert not lead.is_spam and lead.status == LeadStatus.NEW


def test_a_bad_change_to_a_lead_gets_a_message_and_changes_nothing(sales_client, leads):
    lead = leads["fresh"]
    url = f"{INBOX}inspect/{lead.pk}/"
    response = sales_client.post(url + "status/", {"status": "sold"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert "Select a valid choice." in response.content.decode()
    response = sales_client.post(url + "resend/", {"channel": "fax"}, follow=True)
    assert "This e-mail cannot be sent again." in response.content.decode()
    assert sales_client.get(url + "status/").status_code == 405  # changes are posted
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW and not lead.events.exists()


# Threads --------------------------------------------------------------------------------


def test_a_new_inquiry_from_a_known_contact_joins_the_buyer_thread(sales_client):
    first = make_inquiry(contact="Buyer@Example.com", created_at=timezone.now() - timedelta(days=3))
    other = make_inquiry(contact="someone.else@example.com")
    second = make_inquiry(contact="buyer@example.com ", message="Second question")
    assert second.earlier_inquiry == first
    assert other.earlier_inquiry is None
    thread = BeautifulSoup(
        sales_client.get(f"{INBOX}inspect/{second.pk}/").content, "html.parser"
    ).select_one("[data-lead-thread]")
    assert thread is not None and first.reference in thread.get_text()
    assert other.reference not in thread.get_text()

    phone_a = make_inquiry(contact="+7 701 555 0101", contact_kind="phone")
    phone_b = make_inquiry(contact="+77015550101", contact_kind="phone")
    assert phone_b.earlier_inquiry == phone_a


# Assignment rules -----------------------------------------------------------------------


def test_assignment_rules_assign_new_leads_and_the_assignee_gets_the_notification(
    client, sales, django_user_model, company, product
):
    from caravan.products.models import ProductCategory

    company.sales_emails = "sales@silkline-flow.example"
    company.save()
    boris = django_user_model.objects.create_user("boris", "boris@silkline-flow.example", "pw")
    category = ProductCategory.objects.filter(locale__language_code="en").first()
    product.categories.add(category)
    product.save_revision().publish()
    AssignmentRule.objects.create(sort_order=1, country="CN", assignee=sales)
    AssignmentRule.objects.create(sort_order=2, category=category, assignee=boris)
    AssignmentRule.objects.create(sort_order=3, language="en", country="KZ", assignee=boris)

    mail.outbox.clear()
    post_inquiry(client, None, as_json=True)  # KZ, English page: the third rule
    kz = Inquiry.objects.latest("created_at")
    assert kz.assignee == boris

    chinese = make_inquiry(country="CN", product=product)  # first rule wins over second
    assert chinese.assignee == sales
    valve = make_inquiry(country="DE", product=product)
    assert valve.assignee == boris
    nobody = make_inquiry(country="DE", language="de")
    assert nobody.assignee is None
    notifications = [m for m in mail.outbox if m.subject.startswith(f"[{kz.reference}]")]
    assert [m.to for m in notifications] == [["boris@silkline-flow.example"]]

    from caravan.inquiries.emails import build_notification

    assert build_notification(nobody).to == ["sales@silkline-flow.example"]


def test_a_rule_needs_at_least_one_criterion(sales):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Choose at least one of product category"):
        AssignmentRule(assignee=sales).full_clean()


def test_rules_admin_lists_and_adds_rules(sales_client, sales):
    url = "/admin/inquiries/assignment-rules/"
    response = sales_client.post(
        url + "new/",
        {"sort_order": 1, "country": "cn", "language": "", "assignee": sales.pk, "is_active": "on"},
    )
    assert response.status_code == 302
    assert AssignmentRule.objects.get().country == "CN"
    assert "CN → anna" in sales_client.get(url).content.decode()


# Export ---------------------------------------------------------------------------------


def test_csv_export_has_a_bom_unicode_and_neutralised_formulas(sales_client, leads):
    make_inquiry(
        name='=HYPERLINK("http://evil.example")',
        company="@SUM(A1)",
        message="-2+3",
        contact="+1 555 0100",
        contact_kind="phone",
    )
    response = sales_client.get(INBOX, {"export": "csv", "country": ""})
    assert response.status_code == 200
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    names = [row[header.index("Name")] for row in data]
    assert "Ерлан Сапаров" in names and "Li Wei" in names and "Cheap pills" not in names
    formula_row = next(r for r in data if "HYPERLINK" in r[header.index("Name")])
    assert formula_row[header.index("Name")] == '\'=HYPERLINK("http://evil.example")'
    assert formula_row[header.index("Company")] == "'@SUM(A1)"
    assert formula_row[header.index("Message")] == "'-2+3"
    chinese = next(r for r in data if r[header.index("Name")] == "Li Wei")
    assert chinese[header.index("Message")] == "需要报价 DN100 闸阀"
    assert chinese[header.index("Assignee")] == "Anna Berg"


def test_export_follows_the_filters(sales_client, leads):
    response = sales_client.get(INBOX, {"export": "csv", "country": "KZ"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert leads["fresh"].reference in text and leads["old"].reference not in text


def test_xlsx_export_keeps_unicode_and_never_stores_formulas(sales_client, leads):
    from openpyxl import load_workbook

    make_inquiry(name="=1+1", message="+7 701 555 0101")
    response = sales_client.get(INBOX, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    values = {cell.value for cell in cells}
    assert {"Ерлан Сапаров", "需要报价 DN100 闸阀", "=1+1", "+7 701 555 0101"} <= values
    assert all(cell.data_type != "f" for cell in cells)


# Privacy --------------------------------------------------------------------------------


def test_retention_purges_old_spam_and_old_leads(leads):
    config = InboxSettings.load()
    config.spam_retention_days = 1
    config.lead_retention_months = 6
    config.save()
    now = timezone.now()
    old_spam = make_inquiry(is_spam=True, created_at=now - timedelta(days=2))
    ancient = make_inquiry(created_at=now - timedelta(days=200))
    LeadEvent.objects.create(inquiry=ancient, kind=LeadEvent.Kind.NOTE, text="old note")
    from caravan.core.periodic import REGISTRY

    # The job `manage.py run_periodic` runs (its wrapper's connection handling left out).
    REGISTRY["caravan.inquiries.jobs.purge_expired_leads"].func()
    remaining = set(Inquiry.objects.values_list("pk", flat=True))
    assert old_spam.pk not in remaining and ancient.pk not in remaining
    assert {leads["old"].pk, leads["fresh"].pk, leads["junk"].pk} <= remaining
    assert not LeadEvent.objects.filter(text="old note").exists()

    config.spam_retention_days = 0
    config.lead_retention_months = 0
    config.save()
    make_inquiry(is_spam=True, created_at=now - timedelta(days=4000))
    assert privacy.purge_expired() == {"spam": 0, "leads": 0}


def test_months_before_clamps_to_the_end_of_the_month():
    from datetime import datetime

    assert privacy.months_before(datetime(2026, 3, 31), 1) == datetime(2026, 2, 28)
    assert privacy.months_before(datetime(2026, 1, 15), 13) == datetime(2024, 12, 15)


def test_export_and_erase_everything_about_a_contact(sales_client, settings, sales):
    from django_tasks_db.models import DBTaskResult

    from caravan.inquiries.delivery import enqueue_delivery

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    first = make_inquiry(contact="erase.me@example.com")
    second = make_inquiry(
        contact="ERASE.ME@example.com",
        notification_status="pending",
        notification_next_attempt_at=timezone.now(),
    )
    enqueue_delivery(second)
    keep = make_inquiry(contact="keep.me@example.com", notification_status="pending")
    enqueue_delivery(keep)
    LeadEvent.objects.create(inquiry=first, kind=LeadEvent.Kind.NOTE, text="Prefers WeChat")

    response = sales_client.get(f"{INBOX}inspect/{second.pk}/contact-export/")
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert {row["reference"] for row in data["inquiries"]} == {first.reference, second.reference}
    assert data["inquiries"][0]["history"][0]["text"] == "Prefers WeChat"

    confirm = sales_client.get(f"{INBOX}inspect/{second.pk}/contact-erase/")
    assert first.reference in confirm.content.decode()
    sales_client.post(f"{INBOX}inspect/{second.pk}/contact-erase/")
    assert not Inquiry.objects.filter(pk__in=[first.pk, second.pk]).exists()
    waiting = [t.args_kwargs["args"][0] for t in DBTaskResult.objects.filter(status="READY")]
    assert second.pk not in waiting and keep.pk in waiting


# Permissions ----------------------------------------------------------------------------


def inbox_urls(lead):
    return [
        INBOX,
        INBOX + "results/",
        f"{INBOX}?export=csv",
        f"{INBOX}?export=xlsx",
        f"{INBOX}inspect/{lead.pk}/",
        f"{INBOX}inspect/{lead.pk}/contact-export/",
        f"{INBOX}inspect/{lead.pk}/contact-erase/",
        INBOX + "bulk/",
        INBOX + "reports/response-times/",
        INBOX + "reports/sources/",
        INBOX + "assignment-rules/",
        INBOX + "assignment-rules/new/",
    ]


def test_an_editor_without_the_sales_group_gets_403_on_every_inbox_url(editor, leads):
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200  # an admin user all the same
    lead = leads["fresh"]
    for url in inbox_urls(lead):
        assert client.get(url).status_code == 403, url
    for url in (
        f"{INBOX}inspect/{lead.pk}/",
        INBOX + "bulk/",
        f"{INBOX}inspect/{lead.pk}/contact-erase/",
    ):
        assert client.post(url, {"action": "spam", "id": [lead.pk]}).status_code == 403, url
    lead.refresh_from_db()
    assert not lead.is_spam and Inquiry.objects.filter(pk=lead.pk).exists()
    assert "Inbox" not in client.get("/admin/").content.decode()
    # Nor can they shorten the retention (Wagtail's settings view turns them away).
    settings_url = f"/admin/settings/inquiries/inboxsettings/{InboxSettings.load().pk}/"
    assert client.get(settings_url).status_code != 200
    client.post(settings_url, {"spam_retention_days": 1, "lead_retention_months": 1})
    assert InboxSettings.load().lead_retention_months != 1


def lead_changes(lead, sales):
    """The lead page's change forms: their addresses and what they post."""
    url = f"{INBOX}inspect/{lead.pk}/"
    return {
        url + "status/": {"status": "won"},
        url + "assign/": {"assignee": sales.pk},
        url + "note/": {"text": "Sneaky note"},
        url + "spam/": {},
        url + "not-spam/": {},
        url + "resend/": {"channel": "notification"},
    }


def test_only_the_sales_team_can_change_a_lead(editor, leads, sales):
    lead = leads["old"]
    editor_client = Client()
    editor_client.force_login(editor)
    for url, data in lead_changes(lead, sales).items():
        assert editor_client.post(url, data).status_code == 403, url
        anonymous = Client().post(url, data)
        assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"], url
    before = (lead.status, lead.assignee_id, lead.is_spam, lead.notification_status)
    lead.refresh_from_db()
    assert (lead.status, lead.assignee_id, lead.is_spam, lead.notification_status) == before
    assert not lead.events.exists()


def test_the_sales_group_sees_the_inbox_but_cannot_edit_pages(sales_client, leads, home):
    for url in inbox_urls(leads["fresh"]):
        if "bulk" in url:
            continue
        assert sales_client.get(url).status_code == 200, url
    settings_url = f"/admin/settings/inquiries/inboxsettings/{InboxSettings.load().pk}/"
    assert sales_client.get(settings_url).status_code == 200
    sales_client.post(settings_url, {"spam_retention_days": 14, "lead_retention_months": 24})
    assert InboxSettings.load().spam_retention_days == 14
    edit = sales_client.get(f"/admin/pages/{home.pk}/edit/")
    assert edit.status_code in (302, 403)
    assert sales_client.get("/admin/").status_code == 200


# Delivery alerts ------------------------------------------------------------------------


def test_alert_after_a_simulated_smtp_outage(
    client, settings, company, sales, smtp_settings, monkeypatch, admin_user
):
    from caravan.testing import free_port

    company.sales_emails = "sales@silkline-flow.example"
    company.save()
    # The outage: the mail server does not answer.
    settings.EMAIL_PORT = free_port()
    post_inquiry(client, None, as_json=True)
    lead = Inquiry.objects.latest("created_at")
    assert lead.notification_status == DeliveryStatus.PENDING
    assert lead.notification_attempts == 1 and lead.notification_last_error
    undelivered = Inquiry.objects.undelivered().count()

    admin_client = Client()
    admin_client.force_login(admin_user)
    assert "Lead notifications are failing" not in admin_client.get("/admin/").content.decode()
    assert alerts.send_delivery_alert() == 0  # not 15 minutes yet

    later = timezone.now() + timedelta(minutes=16)
    monkeypatch.setattr(timezone, "now", lambda: later)
    dashboard = admin_client.get("/admin/").content.decode()
    assert "Lead notifications are failing" in dashboard and f"{undelivered} lead" in dashboard

    # The alert goes out once the mail server answers again (here: on its usual port).
    settings.EMAIL_PORT = smtp_settings.port
    assert alerts.send_delivery_alert() == undelivered
    alert_mails = smtp_settings.messages("not delivered")
    assert len(alert_mails) == 1
    assert admin_user.email in alert_mails[0]["to"]
    assert f"Leads not delivered: {undelivered}" in alert_mails[0]["message"].get_content()
    assert alerts.send_delivery_alert() == 0  # not again within the hour
    hour_later = later + timedelta(minutes=61)
    monkeypatch.setattr(timezone, "now", lambda: hour_later)
    assert alerts.send_delivery_alert() == undelivered
    assert len(smtp_settings.messages("not delivered")) == 2


# Reports --------------------------------------------------------------------------------


def test_response_time_report_shows_medians_per_week_and_assignee(sales_client, sales):
    now = timezone.now()
    for hours in (1, 3, 8):
        make_inquiry(
            assignee=sales,
            created_at=now - timedelta(hours=20),
            first_response_at=now - timedelta(hours=20 - hours),
            status=LeadStatus.CONTACTED,
        )
    make_inquiry(created_at=now - timedelta(hours=5))  # unanswered, unassigned
    body = sales_client.get(INBOX + "reports/response-times/").content.decode()
    soup = BeautifulSoup(body, "html.parser")
    rows = {
        tr.select("td")[0].get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")]
        for tr in soup.select("table.listing")[1].select("tbody tr")
    }
    assert rows["Anna Berg"][1:] == ["3", "3", "3.0"]
    assert rows["Unassigned"][2:] == ["0", "—"]
    assert soup.select_one("svg.inbox-chart") is not None
    bad = sales_client.get(INBOX + "reports/response-times/", {"start": "2026-13-45"})
    assert bad.status_code == 200 and "Enter a valid date." in bad.content.decode()


@pytest.mark.parametrize("report", ["response-times", "sources"])
@pytest.mark.parametrize(
    "params", [{"end": "9999-12-31"}, {"start": "0001-01-01", "end": "9999-12-31"}]
)
def test_a_period_past_the_calendar_gets_a_form_error(sales_client, report, params):
    response = sales_client.get(INBOX + f"reports/{report}/", params)
    assert response.status_code == 200
    assert "Choose a day between 2000-01-01 and 2999-12-31." in response.content.decode()


def test_sources_report_counts_per_page_product_country_language_and_utm(sales_client, product):
    for country in ("KZ", "KZ", "UZ"):
        make_inquiry(
            country=country,
            utm_source="newsletter",
            product=product,
            page_url="http://testserver/en/products/valve/?x=1",
        )
    make_inquiry(country="KZ", is_spam=True, utm_source="spamlist")
    body = sales_client.get(INBOX + "reports/sources/").content.decode()
    soup = BeautifulSoup(body, "html.parser")

    def table(key):
        return {
            tr.select("td")[0].get_text(strip=True): int(tr.select("td")[1].get_text())
            for tr in soup.select(f"#source-{key} tbody tr")
            if len(tr.select("td")) == 2
        }

    assert table("country")["Kazakhstan (KZ)"] >= 2
    assert table("utm_source")["newsletter"] >= 3 and "spamlist" not in table("utm_source")
    assert table("page")["/en/products/valve/"] >= 3
    assert table("product")[product.title] >= 3
    assert len(soup.select("svg.inbox-chart")) == 5
    assert "<script" not in str(soup.select_one("#source-country"))
