"""Real buyers write in every script and every phone format: a table of legitimate
inquiries that must all be accepted, stored as typed, and not flagged as spam."""

import pytest

from caravan.inquiries.models import ContactKind, Inquiry
from caravan.testing import inquiry_data, post_inquiry

pytestmark = pytest.mark.django_db

# (name, contact, country, company, message, expected E.164 or "" for e-mail)
PHONE_BUYERS = [
    (
        "王小明",
        "+86 139 5550 0123",
        "",
        "西安水务",
        "请报价DN100闸阀40台，运往阿拉木图。",
        "+8613955500123",
    ),
    ("李娜", "13955500123", "CN", "", "需要电磁流量计，口径DN200。", "+8613955500123"),
    ("张伟", "+86-29-8888-1234", "", "陕西管道", "能否提供EAC证书？", "+862988881234"),
    ("陈静", "８６ １３９ ５５５０ ０１２３", "CN", "", "我们想订购蝶阀。", "+8613955500123"),
    ("刘洋", "＋８６ １３９ ５５５０ ０１２３", "", "", "请发送产品目录。", "+8613955500123"),
    (
        "Айгерим Нурланова",
        "+7 701 234 5678",
        "",
        "ТОО «Степь Су»",
        "Нужны задвижки DN100 PN16, 40 шт.",
        "+77012345678",
    ),
    (
        "Ерлан Сапаров",
        "8 (701) 234-56-78",
        "KZ",
        "",
        "Интересует доставка в Шымкент.",
        "+77012345678",
    ),
    (
        "Иван Петров",
        "+7 (912) 345-67-89",
        "",
        "ООО «Водоканал»",
        "Пришлите прайс-лист, пожалуйста.",
        "+79123456789",
    ),
    ("Ольга Смирнова", "8 912 345 67 89", "RU", "", "Есть ли шаровые краны DN50?", "+79123456789"),
    ("Дмитрий Орлов", "00 7 495 123 45 67", "", "", "Нужен счёт на предоплату.", "+74951234567"),
    (
        "Dilshod Karimov",
        "+998 90 123 45 67",
        "",
        "Toshkent Suv",
        "Bizga DN150 zadvijkalar kerak.",
        "+998901234567",
    ),
    (
        "Нодира Юсупова",
        "90 123 45 67",
        "UZ",
        "",
        "Сколько стоит доставка в Ташкент?",
        "+998901234567",
    ),
    ("Аляксандр Ковальчук", "+375 29 123-45-67", "", "", "Патрэбныя расходамеры.", "+375291234567"),
    ("Сяргей Навумаў", "8 029 123 45 67", "BY", "", "Прашу даслаць каталог.", "+375291234567"),
    (
        "Jürgen Weiß",
        "+49 30 12345678",
        "",
        "Weiß Armaturen GmbH",
        "Bitte um ein Angebot für 20 Absperrklappen.",
        "+493012345678",
    ),
    (
        "Anna Schäfer",
        "030 12345678",
        "DE",
        "",
        "Haben Sie Zertifikate nach DIN EN?",
        "+493012345678",
    ),
    ("Max Müller", "0049 (0)30 1234 5678", "", "", "Lieferzeit nach Hamburg?", "+493012345678"),
    (
        "Siobhán O'Brien",
        "+44 20 7946 0958",
        "",
        "O'Brien & Sons Ltd.",
        "Could you quote 12 ball valves?",
        "+442079460958",
    ),
    ("Tom Hughes", "020 7946 0958", "GB", "", "What is your MOQ?", "+442079460958"),
    (
        "Mary-Jane Watson",
        "+1 (415) 555-2671",
        "",
        "",
        "Need a quote for flow meters, 3 units.",
        "+14155552671",
    ),
    (
        "John Smith Jr.",
        "415.555.2671",
        "US",
        "Smith & Co",
        "Do you ship to Oakland?",
        "+14155552671",
    ),
    (
        "Émilie Tremblay",
        "+1 416 555 0199",
        "",
        "",
        "Bonjour, avez-vous un distributeur au Canada ?",
        "+14165550199",
    ),
    (
        "François Lefèvre",
        "+33 1 42 68 53 00",
        "",
        "Lefèvre SARL",
        "Pouvez-vous envoyer une fiche technique ?",
        "+33142685300",
    ),
    ("Zoé Martin", "01 42 68 53 00", "FR", "", "Délai de livraison pour Lyon ?", "+33142685300"),
    (
        "محمد العلي",
        "+971 50 123 4567",
        "",
        "شركة الخليج للمياه",
        "نحتاج إلى عرض سعر لـ 40 صماماً.",
        "+971501234567",
    ),
    ("فاطمة الزهراء", "+٩٧١ ٥٠ ١٢٣ ٤٥٦٧", "", "", "هل يمكن الشحن إلى دبي؟", "+971501234567"),
    ("Ahmed Al-Farsi", "050 123 4567", "AE", "", "Please send your catalogue.", "+971501234567"),
    (
        "عبدالله القحطاني",
        "+966 50 123 4567",
        "",
        "",
        "أريد كتالوج المنتجات من فضلكم.",
        "+966501234567",
    ),
    ("أحمد حسن", "+20 10 1234 5678", "", "", "ما هو الحد الأدنى للطلب؟", "+201012345678"),
    (
        "Ayşe Yılmaz",
        "+90 532 123 45 67",
        "",
        "Yılmaz Vana A.Ş.",
        "DN100 sürgülü vana fiyatı nedir?",
        "+905321234567",
    ),
    (
        "Mehmet Öztürk",
        "0532 123 45 67",
        "TR",
        "",
        "İstanbul'a teslimat mümkün mü?",
        "+905321234567",
    ),
    ("علی رضایی", "+98 912 345 6789", "", "", "لطفاً قیمت شیر فلکه را بفرستید.", "+989123456789"),
    ("زهرا\u200cسادات موسوی", "+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹", "", "", "آیا گواهینامه دارید؟", "+989123456789"),
    (
        "राहुल शर्मा",
        "+91 98765 43210",
        "",
        "शर्मा इंडस्ट्रीज़",
        "कृपया 50 वाल्व का कोटेशन भेजें।",
        "+919876543210",
    ),
    ("Priya Nair", "098765 43210", "IN", "", "Do you have ISI certification?", "+919876543210"),
    (
        "Budi Santoso",
        "+62 812-3456-7890",
        "",
        "PT Air Bersih",
        "Mohon penawaran harga katup.",
        "+6281234567890",
    ),
    (
        "Nguyễn Văn An",
        "+84 91 234 56 78",
        "",
        "Công ty Nước Sạch",
        "Xin báo giá van cổng DN100.",
        "+84912345678",
    ),
    ("สมชาย ใจดี", "+66 81 234 5678", "", "", "ขอใบเสนอราคาวาล์ว 20 ตัว", "+66812345678"),
    (
        "김민준",
        "+82 10-1234-5678",
        "",
        "한강수도",
        "DN100 게이트 밸브 견적 부탁드립니다.",
        "+821012345678",
    ),
    (
        "佐藤 花子",
        "+81 90-1234-5678",
        "",
        "佐藤バルブ株式会社",
        "見積もりをお願いします。",
        "+819012345678",
    ),
    (
        "João da Silva",
        "+55 11 91234-5678",
        "",
        "Águas do Sul Ltda.",
        "Preciso de cotação para válvulas.",
        "+5511912345678",
    ),
    ("Maria Conceição", "(11) 91234-5678", "BR", "", "Vocês enviam para Santos?", "+5511912345678"),
    (
        "José Ramírez",
        "+52 55 1234 5678",
        "",
        "",
        "¿Tienen distribuidor en México?",
        "+525512345678",
    ),
    (
        "Chinedu Okafor",
        "+234 803 123 4567",
        "",
        "Okafor Water Works",
        "Kindly send proforma invoice.",
        "+2348031234567",
    ),
    (
        "Wanjiru Kamau",
        "+254 712 345678",
        "",
        "",
        "We need valves for a borehole project.",
        "+254712345678",
    ),
    (
        "Łukasz Wiśniewski",
        "+48 512 345 678",
        "",
        "Wiśniewski Sp. z o.o.",
        "Proszę o ofertę na zasuwy DN100.",
        "+48512345678",
    ),
    ("Олена Шевченко", "+380 67 123 4567", "", "", "Чи є доставка до Львова?", "+380671234567"),
    ("გიორგი ბერიძე", "+995 555 12 34 56", "", "", "გთხოვთ გამოგზავნოთ ფასები.", "+995555123456"),
    ("Արամ Պետրոսյան", "+374 77 123456", "", "", "Խնդրում եմ ուղարկել գնացուցակը։", "+37477123456"),
    (
        "Rəşad Məmmədov",
        "+994 50 123 45 67",
        "",
        "",
        "Bakıya çatdırılma mümkündürmü?",
        "+994501234567",
    ),
    (
        "Батбаяр Дорж",
        "+976 8812 3456",
        "",
        "",
        "Улаанбаатар руу хүргэлт хийдэг үү?",
        "+97688123456",
    ),
    ("Азамат Токтогулов", "+996 555 123 456", "", "", "Бишкекке жеткирүү барбы?", "+996555123456"),
    ("Фарход Раҳимов", "+992 93 123 4567", "", "", "Лутфан нархномаро фиристед.", "+992931234567"),
    ("Merdan Orazow", "+993 65 123456", "", "", "Aşgabada eltip bermek mümkinmi?", "+99365123456"),
    (
        "Wei Chen",
        "+86 139 5550 0123 ext. 12",
        "",
        "",
        "Call me at extension 12 please.",
        "+8613955500123",
    ),
    ("Klaus Becker", "tel:+49-30-12345678", "", "", "Rückruf erbeten.", "+493012345678"),
    ("Olivia Brown", "+61 412 345 678", "", "", "Shipping to Perth possible?", "+61412345678"),
    ("Thabo Nkosi", "+27 82 123 4567", "", "", "Quote for 10 flow meters please.", "+27821234567"),
    (
        "Γιώργος Παπαδόπουλος",
        "+30 691 234 5678",
        "",
        "",
        "Παρακαλώ στείλτε τιμοκατάλογο.",
        "+306912345678",
    ),
    ("יוסי כהן", "+972 50-234-5678", "", "", "אפשר הצעת מחיר למגופים?", "+972502345678"),
]

EMAIL_BUYERS = [
    (
        "Aigerim Nurlanova",
        "aigerim@steppe-water.example",
        "KZ",
        "Steppe Water LLP",
        "Quote 40 DN100 gate valves to Almaty, please.",
    ),
    (
        "Иван Петров",
        "ivan.petrov@vodokanal.example",
        "RU",
        "",
        "Добрый день! Интересуют расходомеры ЭМ-200.",
    ),
    ("王芳", "wangfang@example.cn", "CN", "", "您好，请发送报价单。"),
    (
        "Müller, Hans",
        "h.mueller+valves@armaturen.example",
        "DE",
        "",
        "Datenblatt: https://armaturen.example/spec.pdf",
    ),
    (
        "Ana-Lucía Pérez",
        "ana.lucia@empresa.example",
        "ES",
        "",
        "Dos enlaces: https://a.example/x y https://b.example/y",
    ),
    ("Ivan", "ivan@пример.рф", "RU", "", "Адрес с кириллическим доменом."),
    ("O'Connor", "o'connor@irish-water.example", "IE", "", "Apostrophe in the address is valid."),
    ("Nguyễn Thị Hoa", "HOA.NGUYEN@EXAMPLE.VN", "VN", "", "Xin cảm ơn!"),
    ("محمد", "m.ali@gulf.example", "", "", "السلام عليكم، نحتاج عرض سعر."),
    ("Kim", "kim@example.co.kr", "", "", "Short."),
    ("a", "a@b.co", "", "", "x"),
    (
        "Dr. Jane Doe (Purchasing)",
        "jane.doe@hospital.example",
        "US",
        "",
        "Prices incl. VAT? 20% off for 1,000+ units?",
    ),
    ("Σοφία", "sofia@example.gr", "GR", "", "Καλησπέρα σας."),
    (
        "Тимур",
        "timur_2026@mail.example",
        "UZ",
        "",
        "Нужна консультация по монтажу; схема во вложении не нужна.",
    ),
    ("Jean-Pierre", "jp@example.fr", "FR", "", "Nous cherchons un fournisseur fiable <urgent>."),
]


@pytest.mark.parametrize(
    ("name", "contact", "country", "company", "message", "e164"),
    PHONE_BUYERS,
    ids=[f"phone-{i}" for i in range(len(PHONE_BUYERS))],
)
def test_buyers_with_a_phone_number_are_accepted_unflagged(
    client, name, contact, country, company, message, e164
):
    data = inquiry_data(
        name=name, contact=contact, country=country, company=company, message=message
    )
    response = post_inquiry(client, data, as_json=True)
    assert response.status_code == 201, response.content.decode()
    inquiry = Inquiry.objects.get()
    assert (inquiry.name, inquiry.contact, inquiry.message) == (name, contact, message)
    assert inquiry.contact_kind == ContactKind.PHONE
    assert inquiry.contact_phone == e164
    assert not inquiry.is_spam and inquiry.spam_reasons == []


@pytest.mark.parametrize(
    ("name", "contact", "country", "company", "message"),
    EMAIL_BUYERS,
    ids=[f"email-{i}" for i in range(len(EMAIL_BUYERS))],
)
def test_buyers_with_an_email_address_are_accepted_unflagged(
    client, name, contact, country, company, message
):
    data = inquiry_data(
        name=name, contact=contact, country=country, company=company, message=message
    )
    response = post_inquiry(client, data)
    assert response.status_code == 303, response.content.decode()[:2000]
    inquiry = Inquiry.objects.get()
    assert (inquiry.name, inquiry.contact, inquiry.message) == (name, contact, message)
    assert inquiry.contact_kind == ContactKind.EMAIL and inquiry.contact_phone == ""
    assert not inquiry.is_spam and inquiry.spam_reasons == []


def test_the_table_is_large_and_varied():
    import unicodedata

    import phonenumbers

    assert len(PHONE_BUYERS) + len(EMAIL_BUYERS) >= 50
    calling_codes = {phonenumbers.parse(row[5]).country_code for row in PHONE_BUYERS}
    assert len(calling_codes) >= 30
    scripts = {
        unicodedata.name(ch).split()[0]
        for row in PHONE_BUYERS + EMAIL_BUYERS
        for ch in row[0]
        if ch.isalpha()
    }
    assert len(scripts) >= 10  # Latin, Cyrillic, CJK, Arabic, Devanagari, Hangul, Thai...
