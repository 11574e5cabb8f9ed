"""Working a lead all day: nothing typed is lost, one history of everything, "not spam"
delivers what the spam flag held back, exports a person can read, one product across its
languages, country names in the reader's language, and the pages the buyer looked at."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone, translation

from caravan.inquiries import leads
from caravan.inquiries.countries import country_choices, country_name
from caravan.inquiries.models import DeliveryStatus, Inquiry, LeadEvent, LeadStatus
from caravan.inquiries.reports import bar_chart, text_width
from caravan.testing import inquiry_data, make_inquiry, post_inquiry

pytestmark = pytest.mark.django_db

INBOX = "/admin/inquiries/"


def lead_url(lead):
    return f"{INBOX}inspect/{lead.pk}/"


def history(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [li.get_text(" ", strip=True) for li in soup.select("[data-lead-history] li")]


# Nothing typed is lost; one history ----------------------------------------------------


def test_a_note_typed_before_another_button_is_saved_with_it(sales_client, sales, press):
    lead = make_inquiry(notification_status=DeliveryStatus.FAILED, notification_attempts=3)
    page = sales_client.get(lead_url(lead))
    response = press(
        sales_client, page, "Mark as spam", text="Looks real: asked for DN100 by phone"
    )
    lead.refresh_from_db()
    assert lead.status == LeadStatus.SPAM
    assert "Note added." in response.content.decode()
    response = press(sales_client, response, "Not spam", text="Second thought")
    response = press(
        sales_client, response, "Resend", text="Resent the notification", status="quoted"
    )
    lead.refresh_from_db()
    notes = list(lead.events.filter(kind=LeadEvent.Kind.NOTE).values_list("text", flat=True))
    assert sorted(notes) == sorted(
        ["Looks real: asked for DN100 by phone", "Second thought", "Resent the notification"]
    )
    assert lead.status == LeadStatus.QUOTED
    assert lead.notification_status == DeliveryStatus.SENT
    assert lead.events.filter(kind=LeadEvent.Kind.RESEND, user=sales).exists()


def test_an_invalid_change_comes_back_with_the_note_still_typed(sales_client):
    lead = make_inquiry()
    response = sales_client.post(
        lead_url(lead) + "work/", {"text": "Call back on Monday", "status": "sold"}
    )
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("[data-lead-form] textarea").get_text().strip() == "Call back on Monday"
    assert "Select a valid choice." in response.content.decode()
    assert not lead.events.exists()


def test_one_history_lists_every_kind_of_event_with_who_and_when(sales_client, sales, press):
    now = timezone.now()
    lead = make_inquiry(created_at=now - timedelta(minutes=2), notification_delivered_at=now)
    press(
        sales_client,
        sales_client.get(lead_url(lead)),
        "Save",
        text="مرحبا، نريد عرض سعر",
        status="contacted",
        assignee=str(sales.pk),
    )
    leads.record(lead, LeadEvent.Kind.IMPORT, text="From the trade-fair list")
    leads.record(lead, LeadEvent.Kind.EMAIL_IN, text="Buyer: please send the datasheet")
    response = sales_client.get(lead_url(lead))
    entries = history(response)
    assert entries[0].endswith("Inquiry received")
    text = "\n".join(entries)
    for expected in (
        "Anna Berg · note مرحبا، نريد عرض سعر",
        "Anna Berg · status changed: New → Contacted",
        "Anna Berg · assigned: — → Anna Berg",
        "system · imported From the trade-fair list",
        "system · e-mail received Buyer: please send the datasheet",
        "notification to sales delivered",
    ):
        assert expected in text, text
    soup = BeautifulSoup(response.content, "html.parser")
    note = soup.select_one("[data-lead-history] [data-kind='note'] .lead-history__text")
    assert note["dir"] == "auto"
    assert soup.select_one("[data-lead-message]")["dir"] == "auto"
    assert all(t["datetime"] for t in soup.select("[data-lead-history] time"))


# Not spam means delivered ----------------------------------------------------------------


def test_not_spam_sends_the_held_back_emails_once_and_says_so(sales_client, company, press):
    company.sales_emails = "sales@silkline-flow.example"
    company.save()
    lead = make_inquiry(
        is_spam=True,
        status=LeadStatus.SPAM,
        notification_status=DeliveryStatus.SKIPPED,
        autoreply_status=DeliveryStatus.SKIPPED,
    )
    mail.outbox.clear()
    response = press(sales_client, sales_client.get(lead_url(lead)), "Not spam")
    assert "The e-mails held back as spam are being sent." in response.content.decode()
    lead.refresh_from_db()
    assert lead.notification_status == DeliveryStatus.SENT
    assert lead.autoreply_status == DeliveryStatus.SENT
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["aigerim@steppe-water.example", "sales@silkline-flow.example"]
    assert "e-mails queued" in "\n".join(history(response))

    # Spam again and not spam again: they were delivered, nothing goes out twice.
    response = press(sales_client, response, "Mark as spam")
    press(sales_client, response, "Not spam")
    assert len(mail.outbox) == 2
    assert lead.events.filter(kind=LeadEvent.Kind.DELIVERY).count() == 1


def test_not_spam_in_bulk_delivers_too_but_not_a_confirmation_to_a_phone(sales_client):
    lead = make_inquiry(
        contact="+7 701 555 0101",
        contact_kind="phone",
        is_spam=True,
        status=LeadStatus.SPAM,
        notification_status=DeliveryStatus.SKIPPED,
        autoreply_status=DeliveryStatus.SKIPPED,
    )
    mail.outbox.clear()
    sales_client.post(INBOX + "bulk/", {"action": "notspam", "id": [lead.pk]})
    lead.refresh_from_db()
    assert lead.notification_status == DeliveryStatus.SENT
    assert lead.autoreply_status == DeliveryStatus.SKIPPED
    assert len(mail.outbox) == 1


# Exports -------------------------------------------------------------------------------


@pytest.fixture
def translated_product():
    """A demo product with its Russian version."""
    from caravan.products.models import ProductPage

    russian = ProductPage.objects.filter(locale__language_code="ru").first()
    if russian is None:
        pytest.skip("the demo has no Russian product")
    english = russian.get_translation(
        russian.locale.__class__.objects.get(language_code="en")
    ).specific
    return english, russian.specific


def test_csv_export_reads_like_a_report(sales_client, sales, settings, translated_product):
    settings.TIME_ZONE = "Asia/Shanghai"
    english, russian = translated_product
    received = datetime(2026, 12, 6, 4, 32, 26, 760410, tzinfo=UTC)
    lead = make_inquiry(
        country="MK",
        product=russian,
        product_title=russian.title,
        created_at=received,
        pages_viewed=["/ru/", "/ru/products/"],
    )
    leads.add_note(lead, "Wants a quote by Friday", sales)
    leads.record(lead, "email", text="Thank you, the quote is attached.")
    response = sales_client.get(INBOX, {"export": "csv", "q": lead.reference})
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert len(rows) == 1
    row = rows[0]
    assert "Utm_source" not in row and "Campaign source (utm_source)" in row
    with timezone.override("Asia/Shanghai"):
        assert row["Received"] == "2026-12-06T12:32:26+08:00"
    assert row["Country"] == "North Macedonia"
    assert row["Product"] == english.title  # the reader's language, not the buyer's page
    assert "Wants a quote by Friday" in row["Internal notes"]
    assert row["Last reply"] == "Thank you, the quote is attached."
    assert row["Pages viewed before asking"] == "/ru/\n/ru/products/"

    # A reader who works in Russian gets Russian headings and names.
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(sales)
    profile.preferred_language = "ru"
    profile.save()
    response = sales_client.get(INBOX, {"export": "csv", "q": lead.reference})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["Страна"] == "Северная Македония"
    assert row["Товар"] == russian.title
    assert row["Источник кампании (utm_source)"] == ""


def test_xlsx_export_has_real_local_date_cells(sales_client, settings):
    from openpyxl import load_workbook

    settings.TIME_ZONE = "Asia/Shanghai"
    received = datetime(2026, 12, 6, 4, 32, 26, 760410, tzinfo=UTC)
    lead = make_inquiry(created_at=received)
    response = sales_client.get(INBOX, {"export": "xlsx", "q": lead.reference})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet[2][header.index("Received")]
    assert cell.is_date and cell.value == datetime(2026, 12, 6, 12, 32, 26)
    assert sheet[2][header.index("Country")].value == "Kazakhstan"


# One product across its languages --------------------------------------------------------


def test_the_inbox_groups_a_product_across_its_languages(sales_client, translated_product):
    english, russian = translated_product
    from_english = make_inquiry(product=english, product_title=english.title)
    from_russian = make_inquiry(product=russian, product_title=russian.title, language="ru")
    other = make_inquiry()
    ours = {from_english.reference, from_russian.reference}
    for page in (english, russian):
        response = sales_client.get(INBOX, {"product": page.pk})
        assert response.status_code == 200
        body = response.content.decode()
        assert all(ref in body for ref in ours) and other.reference not in body
    soup = BeautifulSoup(sales_client.get(INBOX).content, "html.parser")
    options = [o.get_text(strip=True) for o in soup.select("select[name='product'] option")]
    assert options.count(english.title) == 1 and russian.title not in options
    body = str(soup.select_one("table.listing"))
    assert russian.title not in body  # the Russian lead shows the reader's name

    report = sales_client.get(INBOX + "reports/sources/").content.decode()
    table = BeautifulSoup(report, "html.parser").select_one("#source-product table")
    counts = {
        tr.select("td")[0].get_text(strip=True): tr.select("td")[1].get_text(strip=True)
        for tr in table.select("tbody tr")
    }
    assert int(counts[english.title]) >= 2 and russian.title not in counts


def test_an_assignment_rule_matches_every_language_version(sales, translated_product):
    from caravan.inquiries.models import AssignmentRule

    english, russian = translated_product
    category = english.categories.first()
    if category is None:
        pytest.skip("the demo product has no category")
    AssignmentRule.objects.create(category=category, assignee=sales)
    lead = make_inquiry(product=russian, product_title=russian.title, language="ru")
    assert lead.assignee == sales


# Countries -----------------------------------------------------------------------------


def test_country_names_are_current_cldr_names_in_the_readers_language():
    english = dict(country_choices("en"))
    assert english["SZ"] == "Eswatini" and english["MK"] == "North Macedonia"
    assert english["IM"] == "Isle of Man"
    arabic = country_choices("ar")
    assert sum(1 for _code, name in arabic if name.isascii()) == 0
    assert dict(arabic)["EG"] == "مصر"
    russian = [name for _code, name in country_choices("ru")]
    assert russian.index("Австралия") < russian.index("Австрия") < russian.index("Ямайка")
    spanish = [name for _code, name in country_choices("es")]
    assert spanish.index("Nicaragua") < spanish.index("Níger") < spanish.index("Noruega")
    assert dict(country_choices("zh-hans"))["KZ"] == "哈萨克斯坦"
    with translation.override("ru"):
        assert country_name("de") == "Германия"


def test_the_arabic_inquiry_form_lists_arabic_names_and_stores_the_code(client):
    response = client.get("/ar/inquiry/")
    if response.status_code != 200:
        pytest.skip("no Arabic inquiry page in this configuration")
    soup = BeautifulSoup(response.content, "html.parser")
    names = [o.get_text() for o in soup.select("select[name='country'] option")][1:]
    assert len(names) > 200 and not [n for n in names if n.isascii()]


# What the buyer looked at ----------------------------------------------------------------


def test_the_pages_viewed_are_stored_as_site_paths_and_shown_on_the_lead(client, sales_client):
    pages = [
        "/en/",
        "/en/products/",
        "/en/products/",
        "https://evil.example/phish",
        "//evil.example/x",
        "javascript:alert(1)",
        "/en/products/gate-valve/?utm_source=x#specs",
        "/en/news/\x00",
        42,
    ]
    response = post_inquiry(client, inquiry_data(pages=json.dumps(pages)))
    assert response.status_code in (200, 201, 303)
    lead = Inquiry.objects.latest("pk")
    assert lead.pages_viewed == ["/en/", "/en/products/", "/en/products/gate-valve/"]
    page = BeautifulSoup(sales_client.get(lead_url(lead)).content, "html.parser")
    shown = page.select_one("[data-lead-pages]").get_text(strip=True)
    assert shown == "/en/ › /en/products/ › /en/products/gate-valve/"

    many = json.dumps([f"/en/page-{n}/" for n in range(40)])
    post_inquiry(client, inquiry_data(pages=many, contact="second@example.com"))
    assert Inquiry.objects.latest("pk").pages_viewed[-1] == "/en/page-39/"
    assert len(Inquiry.objects.latest("pk").pages_viewed) == 20
    post_inquiry(client, inquiry_data(pages="{not json", contact="third@example.com"))
    assert Inquiry.objects.latest("pk").pages_viewed == []


def test_the_form_says_that_the_pages_viewed_are_sent(client):
    body = client.get("/en/inquiry/").content.decode()
    assert "the pages of this site you viewed in this visit" in body
    soup = BeautifulSoup(body, "html.parser")
    assert soup.select_one("input[name='pages'][data-inquiry-attr='pages']") is not None


# The list and the reports at a glance ---------------------------------------------------


def test_chart_labels_fit_and_keep_the_full_name(sales_client, product):
    long_name = "DN100 cast-iron resilient-seated gate valve with extended stem, PN16, EPDM"
    chart = bar_chart([(long_name, 3), ("闸阀" * 30, 2), ("Short", 1)])
    room = chart["label_x"]
    for bar in chart["bars"]:
        assert text_width(bar["label"]) <= room
    assert chart["bars"][0]["label"].endswith("…")
    assert chart["bars"][0]["full_label"] == long_name
    assert chart["bars"][2]["label"] == "Short"


def test_references_do_not_wrap_and_the_bulk_bar_waits_for_a_selection(sales_client):
    from django.contrib.staticfiles import finders

    lead = make_inquiry()
    soup = BeautifulSoup(sales_client.get(INBOX).content, "html.parser")
    cell = soup.find("a", string=lambda s: s and s.strip() == lead.reference).find_parent("td")
    assert "inbox-reference" in cell["class"]
    sheet = soup.find("link", href=lambda h: h and "inbox-admin" in h)
    css = Path(finders.find("css/inbox-admin.css")).read_text()
    assert sheet is not None
    assert ".inbox-reference" in css and "white-space: nowrap" in css
    assert 'body:not(:has(input[form="inbox-bulk"]:checked)) #inbox-bulk' in css

    arabic = make_inquiry(name="سارة الأحمد", company="شركة النيل")
    mixed = make_inquiry(name="سارة العتيبي", company="Steppe Water LLP")
    soup = BeautifulSoup(sales_client.get(INBOX).content, "html.parser")
    buyer = soup.find("bdi", string="سارة الأحمد").find_parent("td")
    assert buyer["dir"] == "auto" and arabic.reference in str(buyer.find_parent("tr"))
    # An Arabic name beside a Latin company: each isolated in its own direction, so the
    # browser cannot reorder "Steppe Water" into the middle of the Arabic name.
    cell = soup.find("bdi", string="سارة العتيبي").find_parent("td")
    assert [bdi.get_text() for bdi in cell.find_all("bdi")] == ["سارة العتيبي", "Steppe Water LLP"]
    assert mixed.reference in str(cell.find_parent("tr"))


def test_the_notification_marks_the_buyers_text_dir_auto(company, smtp_settings):
    company.sales_emails = "sales@silkline-flow.example"
    company.save()
    from caravan.inquiries.emails import BUILDERS, company_for
    from caravan.inquiries.models import Channel

    lead = make_inquiry(name="سارة", message="نريد عرض سعر لصمامات")
    message = BUILDERS[Channel.NOTIFICATION](lead, company_for(lead))
    html = next(content for content, kind in message.alternatives if kind == "text/html")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("p", string=lambda s: s and "نريد" in s)["dir"] == "auto"


def test_times_in_history_are_not_older_than_the_lead(sales_client):
    lead = make_inquiry(created_at=timezone.now() - timedelta(days=1))
    entries = history(sales_client.get(lead_url(lead)))
    assert entries and entries[0].endswith("Inquiry received")
