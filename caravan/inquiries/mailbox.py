"""Reading the sales mailbox over IMAP: the buyers' answers land on their leads.

`poll()` (a periodic job, jobs.py) opens the folder named by INBOUND_IMAP_URL read-only
(EXAMINE) and fetches every message it has not read yet with BODY.PEEK[], so nothing in
the mailbox changes: no flag is set, nothing is deleted or expunged. How far it has read
is kept per folder (UIDVALIDITY and the highest UID, `MailboxState`); each stored message
also carries its Message-ID, which is unique, so a message is never attached twice, even
when the folder is rebuilt or two schedulers overlap.

A message is attached to a lead (`match`) when its In-Reply-To or References name one of
our e-mails (the notification, the confirmation, a reply sent from the lead, or a message
already on the lead), else when its subject carries a lead's reference, else when its
sender is a lead's e-mail contact (the newest such lead). Anything else is kept as
unmatched, for a person to attach by hand. A message from the team's own address (a
reply sent from a mail program with the sales mailbox in copy) is recorded as ours. Our own e-mails that come back to the mailbox
(the notification to sales, a copy of a reply) are skipped."""

import contextlib
import hashlib
import imaplib
import ipaddress
import logging
import re
import ssl
from dataclasses import dataclass
from email import message_from_bytes
from email.policy import default as default_policy
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from pathlib import PurePath
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from .emails import header_text
from .models import (
    ContactKind,
    DeliveryStatus,
    Inquiry,
    LeadAttachment,
    LeadEvent,
    LeadMessage,
    MailboxState,
)

logger = logging.getLogger(__name__)

REFERENCE_RE = re.compile(r"\bQ-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}\b", re.IGNORECASE)
MESSAGE_ID_RE = re.compile(r"<[^<>\s]+>")
# The Message-IDs of an inquiry's own e-mails (emails.message_id).
INQUIRY_ID_RE = re.compile(r"^<inquiry-(Q-[0-9A-Z]{4}-[0-9A-Z]{2})-[a-z]+@", re.IGNORECASE)
OUR_ID_RE = re.compile(r"^<(?:inquiry-Q-[0-9A-Z]{4}-[0-9A-Z]{2}-[a-z]+|lead-reply-[0-9a-f]+)@")
MAX_TEXT = 50_000
BATCH = 200


@dataclass(frozen=True)
class ImapConfig:
    """Where the sales mailbox is: INBOUND_IMAP_URL taken apart."""

    secure: bool
    host: str
    port: int
    user: str
    password: str
    folder: str


def parse_url(url):
    """imap://user:password@host:port/FOLDER or imaps://… → ImapConfig; "" → None.
    The user and password are percent-decoded (write "@" in a user name as %40)."""
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ImproperlyConfigured(
            "INBOUND_IMAP_URL must look like imaps://user:password@host:993/INBOX "
            "(or imap:// for a server on this machine)."
        )
    secure = parts.scheme == "imaps"
    return ImapConfig(
        secure=secure,
        host=parts.hostname,
        port=parts.port or (993 if secure else 143),
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def _is_loopback(host):
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def connect(config, timeout=30):
    """A logged-in IMAP connection: TLS for imaps://; for imap://, STARTTLS, or plain
    text only to a server on this machine."""
    if config.secure:
        imap = imaplib.IMAP4_SSL(
            config.host, config.port, ssl_context=ssl.create_default_context(), timeout=timeout
        )
    else:
        imap = imaplib.IMAP4(config.host, config.port, timeout=timeout)
        if "STARTTLS" in imap.capabilities:
            imap.starttls(ssl.create_default_context())
        elif not _is_loopback(config.host):
            imap.shutdown()
            raise imaplib.IMAP4.error(
                f"{config.host} offers no STARTTLS: the password would cross the network "
                "in clear; use imaps:// (INBOUND_IMAP_URL)"
            )
    imap.login(config.user, config.password)
    return imap


def _quoted(folder):
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def poll(url=None, batch=BATCH):
    """Read what is new in the sales mailbox; return how many messages were stored (None
    when no mailbox is configured). Safe to run twice at once."""
    config = parse_url(settings.INBOUND_IMAP_URL if url is None else url)
    if config is None:
        return None
    state, _created = MailboxState.objects.get_or_create(mailbox=config.folder)
    stored = 0
    try:
        imap = connect(config)
        try:
            stored = _read_folder(imap, config.folder, state, batch)
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                imap.logout()
    except (OSError, imaplib.IMAP4.error) as exc:
        error = f"{type(exc).__name__}: {exc}"[:1000]
        MailboxState.objects.filter(pk=state.pk).update(checked_at=timezone.now(), last_error=error)
        logger.error("Reading the sales mailbox %s failed: %s", config.folder, error)
        raise
    MailboxState.objects.filter(pk=state.pk).update(checked_at=timezone.now(), last_error="")
    return stored


def _read_folder(imap, folder, state, batch):
    kind, _data = imap.select(_quoted(folder), readonly=True)  # EXAMINE: changes nothing
    if kind != "OK":
        raise imaplib.IMAP4.error(f"cannot open the folder {folder!r}")
    uidvalidity = int(imap.response("UIDVALIDITY")[1][0])
    last_uid = state.last_uid if state.uidvalidity == uidvalidity else 0
    if state.uidvalidity != uidvalidity:
        MailboxState.objects.filter(pk=state.pk).update(uidvalidity=uidvalidity, last_uid=0)
    kind, data = imap.uid("SEARCH", None, f"UID {last_uid + 1}:*")
    uids = sorted(int(uid) for uid in (data[0] or b"").split() if int(uid) > last_uid)
    uids = uids[:batch]
    sizes = _sizes(imap, uids)
    limit = int(getattr(settings, "INBOUND_MAX_MESSAGE_MB", 25) * 1024 * 1024)
    stored = 0
    for uid in uids:
        too_large = sizes.get(uid, 0) > limit
        # A message over the limit: its headers only (it stays whole in the mailbox).
        part = "BODY.PEEK[HEADER]" if too_large else "BODY.PEEK[]"
        kind, data = imap.uid("FETCH", str(uid), f"({part})")
        raw = next((item[1] for item in data if isinstance(item, tuple)), None)
        if kind == "OK" and raw is not None:
            size = sizes[uid] if too_large else None
            try:
                if store_message(raw, folder, uidvalidity, uid, too_large=size):
                    stored += 1
            except Exception:  # one unreadable message must not stop the rest
                logger.exception(
                    "Sales mailbox: message UID %s of %s could not be read", uid, folder
                )
        # Only forward: an earlier, slower run must not move the mark back.
        MailboxState.objects.filter(pk=state.pk, last_uid__lt=uid).update(last_uid=uid)
    return stored


def _sizes(imap, uids):
    """{uid: size in bytes} of these messages, in one request."""
    if not uids:
        return {}
    kind, data = imap.uid("FETCH", ",".join(map(str, uids)), "(RFC822.SIZE)")
    sizes = {}
    for line in data if kind == "OK" else []:
        text = line.decode() if isinstance(line, bytes) else ""
        uid, size = re.search(r"UID (\d+)", text), re.search(r"RFC822\.SIZE (\d+)", text)
        if uid and size:
            sizes[int(uid.group(1))] = int(size.group(1))
    return sizes


# Reading one message -----------------------------------------------------------------


def message_ids(value):
    """The <message-id>s in a header value, in order."""
    return MESSAGE_ID_RE.findall(str(value or ""))


def _our_domain():
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@localhost"
    return address.rpartition("@")[2].lower()


def is_ours(message_id, from_address=""):
    """An e-mail this site sent (its notification, confirmation or a reply)."""
    if (
        from_address
        and from_address.lower() == (parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "").lower()
    ):
        return True
    return bool(OUR_ID_RE.match(message_id)) and message_id.lower().endswith(f"@{_our_domain()}>")


def team_addresses():
    """The sales team's own addresses (the company profiles' sales addresses and the
    e-mail of every active user): a message from one of them, with the sales mailbox in
    copy, is a reply the team sent from its mail program."""
    from django.contrib.auth import get_user_model

    from caravan.core.models import CompanyProfile

    addresses = {
        address.lower()
        for profile in CompanyProfile.objects.all()
        for address in profile.sales_email_list
    }
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    addresses.update(email.lower() for email in users.values_list("email", flat=True))
    return addresses


def html_to_text(html):
    """The readable text of an HTML e-mail: no script, style or markup survives (the text
    is shown escaped in any case)."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "head", "title", "template"]):
        tag.decompose()
    for tag in soup.find_all("br"):
        tag.replace_with("\n")
    for tag in soup.find_all(["p", "div", "tr", "li", "h1", "h2", "h3", "h4", "blockquote"]):
        tag.append("\n")
    text = soup.get_text()
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _part_text(part):
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        content = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    if part.get_content_type() == "text/html":
        content = html_to_text(content)
    return content.replace("\r\n", "\n").strip()


def body_text(message):
    """The message's text: its plain-text part, else (missing or empty) its HTML part as
    text."""
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        text = _part_text(part) if part is not None else ""
        if text:
            return text[:MAX_TEXT]
    return ""


def attachments(message):
    """(file name, content type, bytes) of every attachment of the message."""
    found = []
    for part in message.iter_attachments():
        data = part.get_payload(decode=True)
        if data is None:  # an attached e-mail (message/rfc822)
            data = part.as_bytes()
        name = PurePath(str(part.get_filename() or "").replace("\\", "/")).name
        name = get_valid_filename(header_text(name, 150)) if name.strip(". ") else ""
        found.append((name or "attachment", part.get_content_type(), data))
    return found


def match(message, from_address):
    """The lead this message belongs to and why: (inquiry, LeadMessage.Match) or
    (None, "")."""
    ids = message_ids(message.get("In-Reply-To")) + message_ids(message.get("References"))
    if ids:
        known = (
            LeadMessage.objects.filter(message_id__in=ids, inquiry__isnull=False)
            .select_related("inquiry")
            .order_by("-created_at")
            .first()
        )
        if known is not None:
            return known.inquiry, LeadMessage.Match.HEADERS
        references = [m.group(1).upper() for m in map(INQUIRY_ID_RE.match, ids) if m]
        inquiry = Inquiry.objects.filter(reference__in=references).first()
        if inquiry is not None:
            return inquiry, LeadMessage.Match.HEADERS
    references = [r.upper() for r in REFERENCE_RE.findall(str(message.get("Subject") or ""))]
    if references:
        inquiry = Inquiry.objects.filter(reference__in=references).first()
        if inquiry is not None:
            return inquiry, LeadMessage.Match.SUBJECT
    if from_address:
        inquiry = (
            Inquiry.objects.not_spam()
            .filter(contact_kind=ContactKind.EMAIL, contact_key=from_address.lower())
            .order_by("-created_at", "-pk")
            .first()
        )
        if inquiry is not None:
            return inquiry, LeadMessage.Match.SENDER
    return None, ""


def is_automatic(message):
    """Sent by a program: an out-of-office answer or a delivery report (RFC 3834's
    Auto-Submitted, the older Precedence and X-Autoreply headers, a report's type)."""
    auto = str(message.get("Auto-Submitted") or "no").strip().lower()
    precedence = str(message.get("Precedence") or "").strip().lower()
    return (
        auto != "no"
        or precedence in ("auto_reply", "bulk", "junk", "list")
        or bool(message.get("X-Autoreply") or message.get("X-Autorespond"))
        or message.get_content_type() == "multipart/report"
    )


def _sent_at(message):
    try:
        moment = parsedate_to_datetime(str(message.get("Date") or ""))
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None or timezone.is_naive(moment):
        return None
    return moment


def store_message(raw, mailbox="", uidvalidity=None, uid=None, too_large=None):
    """Store one received e-mail (bytes as the mailbox holds them), attached to its lead
    when one matches; return the LeadMessage, or None when it is one of ours or is stored
    already. `too_large`: the size of a message of which only the headers were read."""
    message = message_from_bytes(raw, policy=default_policy)
    ids = message_ids(message.get("Message-ID"))
    message_id = ids[0] if ids else f"<sha256-{hashlib.sha256(raw).hexdigest()}@caravan.invalid>"
    from_name, from_address = parseaddr(str(message.get("From") or ""))
    if is_ours(message_id, from_address):
        return None
    if LeadMessage.objects.filter(message_id=message_id[:255]).exists():
        return None
    inquiry, how = match(message, from_address)
    from_team = from_address.lower() in team_addresses()
    if from_team and how == LeadMessage.Match.SENDER:
        inquiry, how = None, ""
    subject = header_text(message.get("Subject"), 255)
    text = body_text(message)
    if too_large:
        text = (
            f"[{too_large / 1024 / 1024:.0f} MB: larger than INBOUND_MAX_MESSAGE_MB allows, "
            "so only its headers were read. Open it in the sales mailbox.]"
        )
    recipients = getaddresses(
        [str(v) for v in message.get_all("To", []) + message.get_all("Cc", [])]
    )
    # Received "now", unless the message says it is older (never in the future).
    now = timezone.now()
    sent_at = _sent_at(message)
    created_at = min(sent_at, now) if sent_at else now
    try:
        with transaction.atomic():
            stored = LeadMessage.objects.create(
                inquiry=inquiry,
                direction=LeadMessage.Direction.OUT if from_team else LeadMessage.Direction.IN,
                status=DeliveryStatus.SENT if from_team else "",
                matched_by=how,
                created_at=created_at,
                message_id=message_id[:255],
                in_reply_to=" ".join(message_ids(message.get("In-Reply-To")))[:255],
                references=" ".join(message_ids(message.get("References"))),
                from_address=from_address[:254],
                from_name=header_text(from_name, 200),
                to=", ".join(address for _name, address in recipients if address),
                subject=subject,
                text=text,
                automatic=is_automatic(message),
                mailbox=mailbox,
                uidvalidity=uidvalidity,
                uid=uid,
            )
            for name, content_type, data in attachments(message):
                LeadAttachment.objects.create(
                    message=stored,
                    file=ContentFile(data, name=name),
                    filename=name,
                    content_type=content_type[:100],
                    size=len(data),
                )
            if inquiry is not None:
                record_event(stored)
                if from_team and not inquiry.first_response_at:
                    Inquiry.objects.filter(pk=inquiry.pk).update(first_response_at=created_at)
    except IntegrityError:  # another run stored it meanwhile
        return None
    logger.info(
        "Sales mailbox: %s from %s %s",
        message_id,
        from_address,
        f"attached to {inquiry.reference} ({how})" if inquiry else "matches no lead",
    )
    return stored


def record_event(message, user=None):
    """The message in the lead's history: from and to, its subject and text."""
    kind = (
        LeadEvent.Kind.EMAIL_IN
        if message.direction == LeadMessage.Direction.IN
        else LeadEvent.Kind.EMAIL_OUT
    )
    # From → to, as the history shows a change ("e-mail received: buyer@… → sales@…").
    return LeadEvent.objects.create(
        inquiry_id=message.inquiry_id,
        user=user,
        created_at=message.created_at if user is None else timezone.now(),
        kind=kind,
        old_value=message.from_address[:200],
        new_value=message.to[:200],
        text=f"{message.subject}\n\n{message.text}".strip()[:10000],
    )


@transaction.atomic
def attach(message, inquiry, user):
    """Attach an unmatched received message to `inquiry` by hand."""
    updated = LeadMessage.objects.filter(pk=message.pk, inquiry__isnull=True).update(
        inquiry=inquiry, matched_by=LeadMessage.Match.HAND, ignored=False
    )
    if not updated:
        return False
    message.inquiry, message.matched_by = inquiry, LeadMessage.Match.HAND
    record_event(message, user=user)
    return True
