"""Spam rules: each one flags an inquiry on its own; flagged inquiries are stored, never
e-mailed about, never dropped, and the sender sees the ordinary confirmation."""

import time

import pytest
from django.core import mail

from caravan.inquiries.models import DeliveryStatus, Inquiry
from caravan.inquiries.tokens import issue_token
from caravan.testing import inquiry_data, inquiry_token, post_inquiry

pytestmark = pytest.mark.django_db

CLEAN = {
    "message": "We need 40 gate valves DN100 PN16. Datasheet: https://steppe-water.example/spec.pdf",
}


def forged_token():
    token = inquiry_token()
    value, stamp, signature = token.split(":")
    return f"{value}:{stamp}:{'A' * len(signature)}"


RULES = [
    ("honeypot", {"website": "https://cheap-links.example"}),
    ("token_missing", {"token": ""}),
    ("token_invalid", {"token": "made-up-token"}),
    ("token_invalid", {"token": "FORGED"}),
    ("token_expired", {"token": "EXPIRED"}),
    ("too_fast", {"token": "FRESH"}),
    ("link_in_name", {"name": "Best prices www.cheap-valves.example"}),
    (
        "too_many_links",
        {"message": "See http://a.example http://b.example and www.c.example for offers"},
    ),
    ("blocked_word", {"message": "Increase your traffic with our SEO services today."}),
    ("blocked_word", {"company": "Lucky Casino Ltd"}),
]


def _resolve(fields):
    fields = dict(fields)
    if fields.get("token") == "FORGED":
        fields["token"] = forged_token()
    elif fields.get("token") == "EXPIRED":
        fields["token"] = issue_token(issued_at=time.time() - 25 * 3600)
    elif fields.get("token") == "FRESH":
        fields["token"] = issue_token(issued_at=time.time() - 1)
    return fields


def test_a_clean_inquiry_is_not_flagged(client):
    assert post_inquiry(client, inquiry_data(**CLEAN)).status_code == 303
    inquiry = Inquiry.objects.get()
    assert not inquiry.is_spam and inquiry.spam_score == 0 and inquiry.spam_reasons == []
    assert len(mail.outbox) == 2  # the notification and the buyer's confirmation


@pytest.mark.parametrize(
    ("rule", "fields"), RULES, ids=[f"{r}-{i}" for i, (r, _f) in enumerate(RULES)]
)
@pytest.mark.parametrize("as_json", [False, True], ids=["form", "dialog"])
def test_each_rule_on_its_own_flags_stores_and_never_notifies(client, rule, fields, as_json):
    response = post_inquiry(client, inquiry_data(**{**CLEAN, **_resolve(fields)}), as_json=as_json)
    # The sender cannot tell: the same confirmation as everyone.
    assert response.status_code == (201 if as_json else 303)
    inquiry = Inquiry.objects.get()
    assert inquiry.is_spam
    assert [reason.split(":")[0] for reason in inquiry.spam_reasons] == [rule]
    assert inquiry.spam_score >= 50
    assert inquiry.notification_status == DeliveryStatus.SKIPPED
    assert inquiry.autoreply_status == DeliveryStatus.SKIPPED
    assert mail.outbox == []
    assert Inquiry.objects.spam().count() == 1 and Inquiry.objects.not_spam().count() == 0
    assert not Inquiry.objects.undelivered().exists()


def test_a_reused_token_is_flagged_the_second_time(client):
    token = inquiry_token()
    post_inquiry(client, inquiry_data(token=token, contact="one@buyer.example"))
    post_inquiry(client, inquiry_data(token=token, contact="two@buyer.example"))
    first, second = Inquiry.objects.order_by("pk")
    assert not first.is_spam
    assert second.is_spam and second.spam_reasons == ["token_reused"]


def test_a_form_that_was_open_long_enough_is_not_too_fast(client, settings):
    settings.CARAVAN_INQUIRY_MIN_SECONDS = 3
    post_inquiry(client, inquiry_data(token=issue_token(issued_at=time.time() - 3.5)))
    assert not Inquiry.objects.get().is_spam


def test_blocked_words_come_from_the_setting_and_match_whole_words(client, settings):
    settings.CARAVAN_INQUIRY_BLOCKED_WORDS = ["bitcoin", "быстрый заработок"]
    post_inquiry(client, inquiry_data(message="Pay in Bitcoin?", contact="a@b.example"))
    post_inquiry(
        client, inquiry_data(message="Предлагаем БЫСТРЫЙ  заработок", contact="c@d.example")
    )
    post_inquiry(
        client, inquiry_data(message="Casino valves for our casino?", contact="e@f.example")
    )
    post_inquiry(
        client, inquiry_data(message="We use bitcoins-free payment", contact="g@h.example")
    )
    flagged = dict(Inquiry.objects.values_list("contact", "is_spam"))
    assert flagged == {
        "a@b.example": True,
        "c@d.example": True,
        "e@f.example": False,  # no longer on the list
        "g@h.example": False,  # "bitcoins-free" is not the word "bitcoin"
    }


def test_raising_the_threshold_turns_a_rule_into_a_hint(client, settings):
    settings.CARAVAN_INQUIRY_SPAM_THRESHOLD = 110
    post_inquiry(client, inquiry_data(message="We offer SEO services", contact="a@b.example"))
    post_inquiry(
        client,
        inquiry_data(message="SEO services", token="", contact="c@d.example"),
    )
    hint, both = Inquiry.objects.order_by("pk")
    assert not hint.is_spam and hint.spam_score == 50
    assert both.is_spam and both.spam_score == 110


def test_links_up_to_the_limit_are_fine(client, settings):
    settings.CARAVAN_INQUIRY_MAX_LINKS = 2
    message = "Drawing: https://buyer.example/a.pdf and www.buyer.example/b"
    post_inquiry(client, inquiry_data(message=message))
    assert not Inquiry.objects.get().is_spam
