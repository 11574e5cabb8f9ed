"""The signed time token of the inquiry form.

A token is a random nonce signed together with the moment it was issued (Django's
TimestampSigner, keyed by SECRET_KEY). The dialog fetches one when it opens and the
dynamic inquiry page embeds one, so a submission tells us how long the form was open and
that it came through our form at all. It is not a secret and not per-visitor state in any
public page: it is handed out on request and only ever scored, never required."""

import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache

from . import conf

SALT = "caravan.inquiries.form-token"


class _Signer(signing.TimestampSigner):
    def __init__(self, issued_at=None):
        super().__init__(salt=SALT)
        self._issued_at = issued_at

    def timestamp(self):
        moment = time.time() if self._issued_at is None else self._issued_at
        return signing.b62_encode(int(moment))


def issue_token(issued_at=None):
    """A fresh token; `issued_at` (a UNIX time) is for tests that need an older one."""
    return _Signer(issued_at).sign(secrets.token_urlsafe(9))


@dataclass(frozen=True)
class TokenCheck:
    """What a submitted token says: status is ok, missing, invalid or expired."""

    status: str
    age: float | None = None
    nonce: str = ""

    @property
    def valid(self):
        return self.status == "ok"


def check_token(token, now=None):
    token = (token or "").strip()
    if not token:
        return TokenCheck("missing")
    signer = _Signer()
    try:
        nonce = signer.unsign(token, max_age=None)
    except signing.BadSignature:
        return TokenCheck("invalid")
    issued = signing.b62_decode(token.rsplit(signer.sep, 2)[1])
    age = (time.time() if now is None else now) - issued
    if age > conf.token_max_age():
        return TokenCheck("expired", age, nonce)
    return TokenCheck("ok", age, nonce)


def claim_token(check):
    """Record that the token's nonce was used for a stored inquiry; False if it already
    was (a script replaying one token)."""
    if not check.nonce:
        return True
    return cache.add(f"caravan:inquiry-token:{check.nonce}", 1, timeout=conf.token_max_age())
