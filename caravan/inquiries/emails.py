"""The two e-mails an inquiry causes: the notification to the sales team and the
confirmation (auto-reply) to the buyer.

Everything the buyer typed goes into bodies only (plain text, and HTML escaped by the
template engine). Where it must appear in a header (the subject, the Reply-To name) it is
first reduced to one line of printable characters, so header injection is impossible and
Django's BadHeaderError can never make an inquiry undeliverable."""

import re
import unicodedata
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import punycode
from django.utils.translation import gettext as _

from caravan.core.models import CompanyProfile

from .countries import country_name
from .models import Channel, ContactKind, Unit

ADMIN_URL_NAME = "inquiry_admin:inspect"


class NoRecipientsError(Exception):
    """The company profile names no sales address to notify."""


_JOINERS = {"\u200c", "\u200d"}  # zero-width (non-)joiner: part of Persian, Indic spelling


def _header_char(ch):
    category = unicodedata.category(ch)
    if category in ("Cc", "Zl", "Zp", "Zs"):
        return " "
    if category == "Cf" and ch not in _JOINERS:  # bidi overrides and other invisibles
        return ""
    return ch


def header_text(value, limit=120):
    """`value` as a single header-safe line: control characters and line or paragraph
    separators become spaces, invisible formatting characters go, runs of spaces
    collapse, long text is cut."""
    text = "".join(_header_char(ch) for ch in str(value or ""))
    text = re.sub(r" +", " ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


# What may stay in a name the auto-reply greets: letters and marks, spaces, and the few
# signs that names use. No digits, "@", "/", ":" or brackets; a dot only before a space
# ("J. Smith"), never inside a word ("evil.example").
_NAME_SIGNS = frozenset(" '’-.") | _JOINERS
_DOT_IN_WORD = re.compile(r"\.\S")


def greeting_name(name, limit=60):
    """The buyer's name as the auto-reply may greet them, or "" (then the greeting has no
    name). The auto-reply goes to whatever address was typed, so it must not be able to
    carry a stranger's text: the name is reduced to one line, and dropped altogether when
    it is longer than `limit` or holds anything but a name could (a digit, a link, an
    address, a domain)."""
    text = header_text(unicodedata.normalize("NFKC", str(name or "")), limit + 1)
    if len(text) > limit or _DOT_IN_WORD.search(text):
        return ""
    for ch in text:
        if ch not in _NAME_SIGNS and unicodedata.category(ch)[0] not in "LM":
            return ""
    return text


def recipient_domain(address):
    """The domain of an e-mail address, lower-cased and in ASCII, so that one domain
    written in Unicode or in punycode counts as one."""
    domain = address.strip().rpartition("@")[2].strip().lower()
    try:
        return punycode(domain).lower()
    except UnicodeError:
        return domain


def mailbox(name, address):
    """'Name <address>' with the name made header-safe and the domain in ASCII."""
    local, _sep, domain = address.strip().rpartition("@")
    return formataddr((header_text(name, 80), f"{local}@{punycode(domain)}"), charset="utf-8")


def _from_address():
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@localhost"


def message_id(inquiry, channel):
    """One Message-ID per inquiry and e-mail, so that if a send is ever repeated (a worker
    killed after the server accepted the message) mail systems see the same message."""
    domain = _from_address().rpartition("@")[2] or "localhost"
    return f"<inquiry-{inquiry.reference}-{channel}@{punycode(domain)}>"


def admin_url(inquiry):
    base = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    return base + reverse(ADMIN_URL_NAME, args=[inquiry.pk])


def company_for(inquiry):
    """The company profile of the site the inquiry was sent on (or the only one)."""
    profiles = CompanyProfile.objects.select_related("site")
    profile = None
    if inquiry.site_id:
        profile = profiles.filter(site_id=inquiry.site_id).first()
    if profile is None:
        profile = profiles.filter(site__is_default_site=True).first() or profiles.first()
    return profile or CompanyProfile(name="")


def _product_url(inquiry):
    if inquiry.product_id and inquiry.product:
        try:
            return inquiry.product.get_full_url() or ""
        except Exception:  # noqa: BLE001 - a product outside every site has no URL
            return ""
    return ""


def _page_full_url(page):
    try:
        return page.get_full_url() or ""
    except Exception:  # noqa: BLE001 - a product outside every site has no URL
        return ""


def request_lines(inquiry):
    """The request's lines for the notification, or [] when it is one product in pieces
    with no note (then the Product and Quantity rows say it all)."""
    lines = list(inquiry.lines.select_related("product"))
    if len(lines) == 1 and lines[0].unit == Unit.PIECE and not lines[0].note:
        return []
    return [
        {
            "title": line.display_product,
            "url": _page_full_url(line.product) if line.product_id and line.product else "",
            "quantity": line.quantity_display,
            "unit": line.get_unit_display(),
            "note": line.note,
        }
        for line in lines
    ]


def _context(inquiry, company):
    digits = inquiry.contact_phone.lstrip("+")
    lines = request_lines(inquiry)
    return {
        "lines": lines,
        "files": list(inquiry.files.all()),
        "destination_country": country_name(inquiry.destination_country, translation.get_language())
        if inquiry.destination_country
        else "",
        "inquiry": inquiry,
        "company": company,
        "country": country_name(inquiry.country, translation.get_language()),
        "product_title": "" if lines else inquiry.display_product,
        "product_url": _product_url(inquiry),
        "admin_url": admin_url(inquiry),
        "whatsapp_url": f"https://wa.me/{digits}" if digits else "",
        "is_email": inquiry.contact_kind == ContactKind.EMAIL,
    }


def notification_recipients(inquiry, company):
    """The lead's assignee when it has one (with an e-mail address), else the sales team."""
    assignee = inquiry.assignee if inquiry.assignee_id else None
    if assignee is not None and assignee.is_active and assignee.email:
        return [assignee.email]
    return company.sales_email_list


def build_notification(inquiry, company=None):
    company = company or company_for(inquiry)
    recipients = notification_recipients(inquiry, company)
    if not recipients:
        raise NoRecipientsError(
            "No sales e-mail address in the company profile (Settings › Company profile)."
        )
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(inquiry, company)
        who = header_text(inquiry.name, 60)
        if inquiry.company:
            who = f"{who} ({header_text(inquiry.company, 60)})"
        subject = _("[%(reference)s] Inquiry from %(who)s") % {
            "reference": inquiry.reference,
            "who": who,
        }
        if context["product_title"]:
            subject += f": {header_text(context['product_title'], 80)}"
        text = render_to_string("inquiries/email/notification.txt", context)
        html = render_to_string("inquiries/email/notification.html", context)
    message = EmailMultiAlternatives(
        subject=header_text(subject, 200),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=[mailbox(inquiry.name, inquiry.reply_email)] if inquiry.reply_email else [],
        headers={
            "Message-ID": message_id(inquiry, Channel.NOTIFICATION),
            "Content-Language": settings.LANGUAGE_CODE,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def build_autoreply(inquiry, company=None):
    """The buyer's confirmation, in the language of the page they wrote from. It quotes
    nothing they typed but their name, and that only when it looks like a name
    (`greeting_name`), so it cannot carry a spammer's text to a stranger's mailbox."""
    company = company or company_for(inquiry)
    language = inquiry.language or settings.LANGUAGE_CODE
    with translation.override(language):
        company = company.localized(language)
        context = _context(inquiry, company)
        context["greeting_name"] = greeting_name(inquiry.name)
        subject = _("We received your inquiry %(reference)s") % {"reference": inquiry.reference}
        if company.name:
            subject += f" · {header_text(company.name, 80)}"
        text = render_to_string("inquiries/email/autoreply.txt", context)
    return EmailMessage(
        subject=header_text(subject, 200),
        body=text,
        from_email=mailbox(company.name or "", _from_address())
        if company.name
        else settings.DEFAULT_FROM_EMAIL,
        to=[inquiry.reply_email],
        reply_to=[company.public_email] if company.public_email else [],
        headers={
            "Message-ID": message_id(inquiry, Channel.AUTOREPLY),
            "Content-Language": language,
            # RFC 3834: an automatic reply; other robots must not answer it.
            "Auto-Submitted": "auto-replied",
            "X-Auto-Response-Suppress": "All",
        },
    )


BUILDERS = {Channel.NOTIFICATION: build_notification, Channel.AUTOREPLY: build_autoreply}
