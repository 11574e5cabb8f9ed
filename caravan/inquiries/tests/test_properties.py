"""Property-based tests (Hypothesis) of the inquiry form and endpoint: whatever a client
posts (any Unicode, control characters, any length, fields missing or sent twice, extra
fields, multipart or urlencoded, as the dialog or the plain form, from our origin or
not) the answer is never a 5xx; and when it is a success (2xx/3xx) the inquiry is stored
with what the visitor typed, nothing lost."""

import re
import unicodedata
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from caravan.inquiries.emails import greeting_name
from caravan.inquiries.forms import InquiryForm
from caravan.inquiries.models import Inquiry
from caravan.testing import inquiry_token

pytestmark = pytest.mark.django_db

PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TEXT_FIELDS = ("name", "contact", "message", "company")

# The form's length limits; arbitrary values are drawn short, and around each limit.
LIMITS = {"name": 100, "contact": 254, "message": 5000, "company": 200, "quantity": 40}
SPECIAL = ["", " ", "\x00", "\r\n", "\u2028", "\ufeff", "a\x00b", "%00", "\u202e"]


def any_text(field):
    """Any text, control characters included (Hypothesis leaves out only surrogates,
    which no form encoding can carry): short, just under or over the field's limit, or
    one of the usual suspects."""
    limit = LIMITS.get(field, 300)
    return st.one_of(
        st.text(max_size=40),
        st.text(min_size=max(limit - 8, 0), max_size=limit + 2),
        st.sampled_from(SPECIAL),
    )


valid = {
    "name": st.sampled_from(["Aigerim Nurlanova", "Ерлан", "李伟", "José\tMaría"]),
    "contact": st.sampled_from(
        ["buyer@steppe-water.example", "+49 30 1234 5678", " X@Y.example ", "00 7 701 234 5678"]
    ),
    "message": st.sampled_from(["Please quote 40 valves.", "Цена?\r\nСрок поставки?", "价格"]),
    "company": st.sampled_from(["", "Steppe Water LLP"]),
    "country": st.sampled_from(["", "KZ", "de", "XX", "KZ\r\n"]),
    "product": st.sampled_from(["", "1", "abc", "-1", "99999999999", "٣", "9" * 5000]),
    "quantity": st.sampled_from(["", "40", "1,000", "0", "-5", "1e9", "12 500", "٤٠"]),
    "website": st.sampled_from(["", "http://bot.example"]),
    "token": st.sampled_from(["", "garbage"]) | st.builds(inquiry_token),
    "page": st.sampled_from(["", "http://testserver/en/about/", "javascript:alert(1)"]),
}
FIELDS = tuple(valid) + ("referrer", "landing", "utm_source", "utm_campaign")


@st.composite
def submissions(draw):
    """A POST body as a list of (name, value) pairs: each field missing, sent once or
    several times, with a plausible or an arbitrary value; plus arbitrary extra fields."""
    pairs = []
    for field in FIELDS:
        how = draw(st.sampled_from(["valid"] * 3 + ["any"] * 2 + ["missing", "twice"]))
        plausible = valid.get(field, st.sampled_from(["", "expo", "https://search.example/"]))
        arbitrary = any_text(field)
        if how == "missing":
            continue
        if how == "twice":  # the field sent twice: the last value counts
            pairs.append((field, draw(arbitrary | plausible)))
        pairs.append((field, draw(arbitrary if how == "any" else plausible)))
    # Extra fields; their names avoid what the test client would write unescaped into a
    # multipart header (quotes, line breaks), which would change the body it sends.
    extra_name = st.text(
        alphabet=st.characters(exclude_categories=("Cs", "Cc"), exclude_characters='"\\'),
        max_size=10,
    )
    pairs += draw(st.lists(st.tuples(extra_name, st.text(max_size=20)), max_size=3))
    return pairs


def post(client, pairs, *, multipart, as_json, origin):
    headers = {"HTTP_ACCEPT": "application/json"} if as_json else {}
    if origin:
        headers["HTTP_ORIGIN"] = origin
    if multipart:
        data = {}
        for name, value in pairs:
            data.setdefault(name, []).append(value)
        return client.post("/en/inquiry/", data, **headers)
    body = urlencode(pairs)
    return client.post(
        "/en/inquiry/", body, content_type="application/x-www-form-urlencoded", **headers
    )


def last(pairs, field):
    values = [value for name, value in pairs if name == field]
    return values[-1] if values else ""


@pytest.fixture
def unlimited(settings):
    """No rate limits: every valid submission must be stored."""
    settings.CARAVAN_INQUIRY_RATE_LIMIT_IP = "0"
    settings.CARAVAN_INQUIRY_RATE_LIMIT_CONTACT = "0"


@PROPERTY_SETTINGS
@given(
    pairs=submissions(),
    multipart=st.booleans(),
    as_json=st.booleans(),
    origin=st.sampled_from(["http://testserver"] * 4 + ["", "https://evil.example"]),
)
def test_no_post_gets_a_server_error_and_every_success_is_stored_as_typed(
    unlimited, pairs, multipart, as_json, origin
):
    client = Client(raise_request_exception=False)
    before = Inquiry.objects.count()
    response = post(client, pairs, multipart=multipart, as_json=as_json, origin=origin)
    assert response.status_code < 500, (response.status_code, pairs)
    event(f"answered {response.status_code}")
    stored = Inquiry.objects.count() - before
    if response.status_code >= 400:
        assert stored == 0
        return
    assert response.status_code == (201 if as_json else 303)
    assert stored == 1
    inquiry = Inquiry.objects.order_by("-pk").first()
    if as_json:
        assert response.json()["reference"] == inquiry.reference
    for field in TEXT_FIELDS:
        assert getattr(inquiry, field) == last(pairs, field).strip(), field


def within(field):
    """Any text a valid field may hold: not blank, no NUL, at most the field's limit
    (counted after Django strips the surrounding white space)."""
    limit = LIMITS[field]
    return st.one_of(
        st.text(min_size=1, max_size=40), st.text(min_size=limit - 10, max_size=limit)
    ).filter(lambda text: "\x00" not in text and 0 < len(text.strip()) <= limit)


@PROPERTY_SETTINGS
@given(
    name=within("name"),
    message=within("message"),
    company=within("company") | st.just(""),
    contact=valid["contact"],
    multipart=st.booleans(),
    as_json=st.booleans(),
)
def test_any_text_within_the_limits_is_accepted_and_stored_as_typed(
    unlimited, name, message, company, contact, multipart, as_json
):
    pairs = [
        ("name", name),
        ("contact", contact),
        ("message", message),
        ("company", company),
        ("token", inquiry_token()),
    ]
    client = Client(raise_request_exception=False)
    response = post(client, pairs, multipart=multipart, as_json=as_json, origin="http://testserver")
    assert response.status_code == (201 if as_json else 303), response.content[:300]
    inquiry = Inquiry.objects.order_by("-pk").first()
    for field in TEXT_FIELDS:
        assert getattr(inquiry, field) == last(pairs, field).strip(), field


@PROPERTY_SETTINGS
@given(
    query=st.lists(
        st.tuples(
            st.sampled_from(["product", "page", "x"]) | st.text(max_size=8),
            st.text(max_size=40),
        ),
        max_size=4,
    )
)
def test_the_inquiry_page_answers_any_query_without_a_server_error(query):
    client = Client(raise_request_exception=False)
    response = client.get(f"/en/inquiry/?{urlencode(query)}")
    assert response.status_code == 200, (response.status_code, query)


@PROPERTY_SETTINGS
@given(data=st.fixed_dictionaries({}, optional={f: any_text(f) for f in FIELDS}))
def test_the_form_either_validates_or_explains_every_error(data):
    form = InquiryForm(data)
    if form.is_valid():
        for field in ("name", "contact", "message"):
            assert form.cleaned_data[field] == data[field].strip()
    else:
        errors = form.errors_by_field()
        assert errors and all(messages for messages in errors.values())


@PROPERTY_SETTINGS
@given(name=st.text(max_size=120) | st.from_regex(r"[\w .@/:-]{1,80}", fullmatch=True))
def test_the_confirmation_greets_only_one_short_line_that_cannot_be_a_link(name):
    greeted = greeting_name(name)
    assert len(greeted) <= 60 and greeted == greeted.strip()
    assert not any(ch.isdigit() or ch in "@/:\\<>()[]" for ch in greeted)
    assert not re.search(r"\.\S", greeted)
    assert all(unicodedata.category(ch)[0] in "LMZ" or ch in "'’-.\u200c\u200d" for ch in greeted)
