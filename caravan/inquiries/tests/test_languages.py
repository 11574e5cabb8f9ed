"""The inquiry form, its errors, the confirmation and the buyer's auto-reply speak the
language of the page the buyer writes from."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from caravan.inquiries.models import Inquiry
from caravan.testing import inquiry_data, post_inquiry

pytestmark = pytest.mark.django_db

# The interface languages (settings.LANGUAGES may still list fewer).
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("zh-hans", "简体中文"),
    ("es", "Español"),
    ("ar", "العربية"),
]

# What a buyer reads after sending the form empty: the alert, the name error, the
# message error, the submit button.
EMPTY_FORM = {
    "ru": (
        "Исправьте отмеченные ниже поля; всё, что вы ввели, сохранено.",
        "Введите ваше имя.",
        "Напишите, что вам нужно: товар, размер, материал или количество.",
        "Отправить запрос",
    ),
    "zh-hans": (
        "请更正下方标出的字段；您填写的内容都已保留。",
        "请输入您的姓名。",
        "请告诉我们您的需求：产品、尺寸、材质或数量。",
        "发送询盘",
    ),
    "es": (
        "Corrija los campos señalados abajo; todo lo que escribió se ha conservado.",
        "Introduzca su nombre.",
        "Díganos qué necesita: el producto, la medida, el material o la cantidad.",
        "Enviar consulta",
    ),
    "ar": (
        "يُرجى تصحيح الحقول المحدّدة أدناه؛ كل ما كتبته محفوظ.",
        "أدخل اسمك.",
        "أخبرنا بما تحتاج إليه: المنتج أو المقاس أو المادة أو الكمية.",
        "أرسل استفسارًا",
    ),
}
ENGLISH = ("Please correct the fields marked below", "Enter your name.", "Tell us what you need")


@pytest.fixture(autouse=True)
def languages(settings):
    settings.LANGUAGES = LANGUAGES
    settings.WAGTAIL_CONTENT_LANGUAGES = LANGUAGES


@pytest.mark.parametrize("lang", list(EMPTY_FORM))
def test_an_empty_form_is_answered_in_the_language_of_the_page(client, lang):
    alert, name_error, message_error, button = EMPTY_FORM[lang]
    response = post_inquiry(client, inquiry_data(name="", message=""), lang=lang)
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == lang
    assert page.html["dir"] == ("rtl" if lang == "ar" else "ltr")
    form = page.select_one("form[data-inquiry-form=page]")
    assert form.select_one("[data-inquiry-status]").get_text(strip=True) == alert
    assert form.select_one("#inquiry-name-error").get_text(strip=True) == name_error
    assert form.select_one("#inquiry-message-error").get_text(strip=True) == message_error
    assert form.select_one("[data-inquiry-submit]").get_text(strip=True) == button
    text = page.get_text()
    assert not any(english in text for english in ENGLISH)
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize("lang", list(EMPTY_FORM))
def test_the_dialog_gets_its_errors_in_the_language_of_the_page(client, lang):
    _alert, name_error, message_error, _button = EMPTY_FORM[lang]
    response = post_inquiry(client, inquiry_data(name="", message=""), lang=lang, as_json=True)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["name"] == [name_error]
    assert errors["message"] == [message_error]


def test_russian_contact_and_quantity_errors_are_russian(client):
    response = post_inquiry(
        client, inquiry_data(contact="12", quantity="500 шт."), lang="ru", as_json=True
    )
    errors = response.json()["errors"]
    assert errors["contact"] == [
        "Этот номер телефона недействителен. Проверьте цифры и код страны."
    ]
    assert errors["quantity"][0].startswith("Укажите количество целым числом")


def test_the_dialog_strings_of_an_arabic_page_are_arabic(client):
    response = client.get("/ar/search/")
    page = BeautifulSoup(response.content, "html.parser")
    dialog = page.select_one("dialog#inquiry-dialog")
    assert dialog["data-sending"] == "جارٍ الإرسال…"
    assert dialog["data-done-heading"] == "أُرسل الاستفسار"
    assert dialog["data-error-network"].startswith("تعذّر إرسال استفسارك")
    assert page.select_one("[data-inquiry-close]")["aria-label"] == "إغلاق"


def test_an_inquiry_from_a_russian_page_gets_a_russian_confirmation_and_auto_reply(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_inquiry(client, lang="ru", page="http://testserver/ru/")
    assert response.status_code == 303
    inquiry = Inquiry.objects.get()
    assert inquiry.language == "ru"

    confirmation = BeautifulSoup(client.get(response["Location"]).content, "html.parser")
    assert confirmation.html["lang"] == "ru"
    assert confirmation.h1.get_text(strip=True) == "Спасибо, ваш запрос отправлен"

    (reply,) = [m for m in mail.outbox if m.to == [inquiry.reply_email]]
    assert reply.subject.startswith(f"Мы получили ваш запрос {inquiry.reference}")
    assert reply.extra_headers["Content-Language"] == "ru"
    assert reply.body.startswith("Здравствуйте, Aigerim Nurlanova!")
    assert f"Номер вашего запроса: {inquiry.reference}" in reply.body
    assert "Это автоматическое подтверждение." in reply.body
    assert "inquiry" not in reply.body.lower() and "thank you" not in reply.body.lower()
