"""The lead inbox in the sales team's own language: a user who chose Arabic or Russian in
their admin account reads Caravan's screens (the inbox, a lead's page, the quotation form)
in that language, not only Wagtail's labels around them."""

from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from wagtail.users.models import UserProfile

from caravan.testing import make_inquiry

pytestmark = pytest.mark.django_db

# What a reader of each language sees instead of the English, screen by screen.
INBOX = {
    "ar": {"Lead inbox": "صندوق العملاء المحتملين", "Buyer": "المشتري", "Age": "العمر"},
    "ru": {"Lead inbox": "Входящие заявки", "Buyer": "Покупатель", "Age": "Возраст"},
}
LEAD = {
    "ar": {
        "Back to the inbox": "العودة إلى صندوق الوارد",
        "What the buyer wrote": "ما كتبه المشتري",
        "Work the lead": "متابعة العميل المحتمل",
        "Internal note": "ملاحظة داخلية",
        "Mark as spam": "تحديد كرسالة مزعجة",
        "Reply by e-mail": "الرد بالبريد الإلكتروني",
    },
    "ru": {
        "Back to the inbox": "Назад во входящие",
        "What the buyer wrote": "Что написал покупатель",
        "Work the lead": "Работа с заявкой",
        "Internal note": "Внутренняя заметка",
        "Mark as spam": "Пометить как спам",
        "Reply by e-mail": "Ответить по e-mail",
    },
}


@pytest.fixture
def reader(sales, client, request):
    """The sales user signed in, with their admin language set to the test's language."""
    profile = UserProfile.get_for_user(sales)
    profile.preferred_language = request.param
    profile.save()
    client.force_login(sales)
    return request.param, client


def visible_text(response):
    assert response.status_code == 200
    main = BeautifulSoup(response.content, "html.parser").find("main")
    return main.get_text(" ", strip=True)


@pytest.mark.parametrize("reader", ["ar", "ru"], indirect=True)
def test_the_inbox_is_in_the_readers_language(reader):
    language, client = reader
    make_inquiry()
    text = visible_text(client.get("/admin/inquiries/"))
    for english, translated in INBOX[language].items():
        assert translated in text
        assert english not in text


@pytest.mark.parametrize("reader", ["ar", "ru"], indirect=True)
def test_a_leads_page_is_in_the_readers_language(reader):
    language, client = reader
    lead = make_inquiry()
    text = visible_text(client.get(f"/admin/inquiries/inspect/{lead.pk}/"))
    for english, translated in LEAD[language].items():
        assert translated in text
        assert english not in text


@pytest.mark.parametrize("reader", ["ar"], indirect=True)
def test_the_quotation_form_names_the_languages_in_the_readers_language(reader):
    _language, client = reader
    lead = make_inquiry()
    response = client.get(f"/admin/quotations/new/{lead.pk}/")
    soup = BeautifulSoup(response.content, "html.parser")
    options = [o.get_text(strip=True) for o in soup.select("select[name=language] option")]
    assert "العربيّة" in options  # Django's own catalogue names them
    assert "الروسيّة" in options
    assert "Arabic" not in options
    assert "لغة المشتري" in visible_text(response)


@pytest.mark.parametrize("reader", ["ar"], indirect=True)
def test_the_reply_subject_is_in_the_buyers_language_not_the_readers(reader):
    _language, client = reader
    english = make_inquiry(language="en")
    russian = make_inquiry(language="ru", contact="erlan@steppe-water.example")
    for lead, subject in ((english, "Re: your inquiry"), (russian, "Re: ваш запрос")):
        response = client.get(f"/admin/inquiries/inspect/{lead.pk}/")
        link = BeautifulSoup(response.content, "html.parser").select_one("a[href^='mailto:']")
        assert link.get_text(strip=True) == "الرد بالبريد الإلكتروني"
        assert f"subject={quote(subject)}%20{lead.reference}" in link["href"]


@pytest.mark.parametrize("reader", ["ar"], indirect=True)
def test_latin_names_stay_beside_their_labels_for_an_arabic_reader(reader):
    """A buyer's Latin name or company is isolated (<bdi>) inside the right-to-left page,
    not given a direction of its own that would push it to the far (left) edge."""
    _, client = reader
    lead = make_inquiry(name="Aigerim Nurlanova", company="Steppe Water LLP")
    response = client.get(f"/admin/inquiries/inspect/{lead.pk}/")
    html = BeautifulSoup(response.content, "html.parser")
    isolated = [bdi.get_text() for bdi in html.select("main dd > bdi")]
    assert "Aigerim Nurlanova" in isolated and "Steppe Water LLP" in isolated
    assert not html.select("main dd[dir=auto]:not([data-lead-message])")
