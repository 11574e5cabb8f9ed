"""The buyer's link to a quotation: /<language>/quotation/<token>/, where the token is the
quotation's random public id (shared by its revisions) signed with SECRET_KEY. Nobody can
guess a link (122 random bits) or make one from another (the signature), and no account
or cookie is needed to open it."""

import uuid

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

SALT = "caravan.quotations.buyer-link"


def token_for(quotation):
    return signing.Signer(salt=SALT).sign(quotation.public_id.hex)


def public_id_from(token):
    """The public id a token carries, or None when it was forged or altered."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
        return uuid.UUID(hex=value)
    except (signing.BadSignature, ValueError):
        return None


def _base_url():
    return (getattr(settings, "CARAVAN_BASE_URL", "") or "").rstrip("/")


def buyer_url(quotation, name="quotation_buyer", full=True):
    language = quotation.language or settings.LANGUAGE_CODE
    with translation.override(language):
        path = reverse(name, args=[token_for(quotation)])
    return (_base_url() if full else "") + path
