"""The e-mails of a quotation: the quotation to the buyer (in their language, the PDF
attached, the link in the body) and the buyer's answer to the lead's assignee."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from caravan.inquiries.emails import (
    NoRecipientsError,
    admin_url,
    company_for,
    header_text,
    mailbox,
    notification_recipients,
)
from caravan.inquiries.emails import _from_address as from_address
from caravan.inquiries.models import person_name

from .models import QuotationEmail


def _message_id(email):
    domain = from_address().rpartition("@")[2] or "localhost"
    return f"<quotation-{email.quotation.number}-{email.kind}-{email.pk}@{domain}>"


def build_to_buyer(email):
    quotation = email.quotation
    inquiry = quotation.inquiry
    company = company_for(inquiry)
    language = quotation.language or settings.LANGUAGE_CODE
    assignee = inquiry.assignee if inquiry.assignee_id else None
    with translation.override(language):
        company = company.localized(language)
        context = {
            "quotation": quotation,
            "company": company,
            "url": quotation.buyer_url(),
            "sender": person_name(assignee) if assignee else "",
        }
        subject = _("Quotation %(number)s") % {"number": quotation.number}
        if company.name:
            subject += f" · {header_text(company.name, 80)}"
        body = render_to_string("quotations/email/to_buyer.txt", context)
        pdf = quotation.pdf()
    reply_to = assignee.email if assignee and assignee.email else company.public_email
    message = EmailMessage(
        subject=header_text(subject, 200),
        body=body,
        from_email=mailbox(company.name, from_address())
        if company.name
        else settings.DEFAULT_FROM_EMAIL,
        to=[inquiry.reply_email],
        reply_to=[reply_to] if reply_to else [],
        headers={"Message-ID": _message_id(email), "Content-Language": language},
    )
    message.attach(f"{quotation.number}.pdf", pdf, "application/pdf")
    return message


def build_to_sales(email):
    quotation = email.quotation
    inquiry = quotation.inquiry
    company = company_for(inquiry)
    recipients = notification_recipients(inquiry, company)
    if not recipients:
        raise NoRecipientsError(
            "No sales e-mail address in the company profile (Settings › Company profile)."
        )
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "quotation": quotation,
            "inquiry": inquiry,
            "email": email,
            "accepted": email.kind == QuotationEmail.Kind.ACCEPTED,
            "admin_url": admin_url(inquiry),
        }
        # The sales team reads the admin's language (as the inquiry notification).
        if email.kind == QuotationEmail.Kind.ACCEPTED:
            name = header_text(quotation.accepted_by_name, 60)
            subject = f"[{inquiry.reference}] {quotation.number} accepted by {name}"
        else:
            subject = f"[{inquiry.reference}] Changes asked for on {quotation.number}"
        body = render_to_string("quotations/admin/email_to_sales.txt", context)
    return EmailMessage(
        subject=header_text(subject, 200),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=[inquiry.reply_email] if inquiry.reply_email else [],
        headers={"Message-ID": _message_id(email)},
    )


def build_email(email):
    if email.kind == QuotationEmail.Kind.TO_BUYER:
        return build_to_buyer(email)
    return build_to_sales(email)
