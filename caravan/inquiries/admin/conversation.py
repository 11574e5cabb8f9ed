"""The conversation on a lead in the admin: replying from the lead, downloading a received
attachment, and the received e-mails that matched no lead (attach one to a lead by its
reference, or dismiss it). The lead's page shows the conversation through the template
includes/conversation.html (template tag `lead_conversation`)."""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from .. import mailbox, replies
from ..models import Inquiry, InquiryAttachment, LeadAttachment, LeadMessage, MailboxState
from .lead import LeadChangeView
from .permissions import CHANGE, VIEW, require


class ReplyForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Reply to the buyer"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000
    )


class ReplyView(LeadChangeView):
    """Send the buyer a reply from the lead (through the task worker)."""

    form_class = ReplyForm

    def change(self, data):
        if not replies.can_reply(self.inquiry):
            messages.error(self.request, gettext("This buyer left no e-mail address to reply to."))
            return None
        replies.queue_reply(self.inquiry, data["subject"], data["text"], self.request.user)
        return gettext("Reply queued: it is sent in the background; its state is shown below.")


@require(CHANGE)
@require_POST
def resend_reply_view(request, pk, reply_pk):
    reply = get_object_or_404(LeadMessage, pk=reply_pk, inquiry_id=pk)
    if replies.resend(reply, request.user):
        messages.success(request, gettext("Reply queued for sending again."))
    else:
        messages.error(request, gettext("This reply cannot be sent again."))
    return HttpResponseRedirect(reverse("inquiry_admin:inspect", args=[pk]))


@require(VIEW)
@require_safe
def attachment_view(request, pk):
    """A received attachment, always as a download (never shown inline by the browser)."""
    attachment = get_object_or_404(LeadAttachment.objects.select_related("message"), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type="application/octet-stream",
    )


@require(VIEW)
@require_safe
def inquiry_file_view(request, pk, file_pk):
    """A file the buyer sent with the inquiry, always as a download; a suspected spam's
    files stay quarantined (404) until the lead is marked as not spam."""
    attachment = get_object_or_404(
        InquiryAttachment.objects.select_related("inquiry"), pk=file_pk, inquiry_id=pk
    )
    if attachment.inquiry.is_spam:
        return HttpResponseForbidden(
            gettext(
                "This file is quarantined: the inquiry is flagged as spam. Mark it as not spam "
                "to download its files."
            )
        )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


class AttachForm(forms.Form):
    reference = forms.CharField(label=_("Lead reference"), max_length=20)

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().upper()
        inquiry = Inquiry.objects.filter(reference=reference).first()
        if inquiry is None:
            raise forms.ValidationError(
                _("No lead has the reference %(reference)s."), params={"reference": reference}
            )
        return inquiry


@require(VIEW)
@require_safe
def unmatched_view(request):
    """The received e-mails no lead claimed, newest first."""
    unmatched = LeadMessage.objects.unmatched().prefetch_related("attachments")
    unmatched = unmatched.order_by("-created_at", "-pk")[:200]
    return TemplateResponse(
        request,
        "inquiries/admin/unmatched_mail.html",
        {
            "page_title": gettext("E-mails to attach"),
            "header_title": gettext("E-mails to attach"),
            "unmatched": unmatched,
            "mailboxes": MailboxState.objects.order_by("mailbox"),
            "can_change": request.user.has_perm(CHANGE),
            "form": AttachForm(),
        },
    )


@require(CHANGE)
@require_POST
def attach_view(request, pk):
    message = get_object_or_404(LeadMessage.objects.unmatched(), pk=pk)
    form = AttachForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(form.errors["reference"]))
        return HttpResponseRedirect(reverse("inquiry_mail:unmatched"))
    inquiry = form.cleaned_data["reference"]
    mailbox.attach(message, inquiry, request.user)
    messages.success(
        request, gettext("E-mail attached to %(reference)s.") % {"reference": inquiry.reference}
    )
    return HttpResponseRedirect(reverse("inquiry_mail:unmatched"))


@require(CHANGE)
@require_POST
def dismiss_view(request, pk):
    LeadMessage.objects.unmatched().filter(pk=pk).update(ignored=True)
    messages.success(request, gettext("E-mail dismissed; it stays in the mailbox."))
    return HttpResponseRedirect(reverse("inquiry_mail:unmatched"))


urlpatterns = [
    path("unmatched/", unmatched_view, name="unmatched"),
    path("unmatched/<int:pk>/attach/", attach_view, name="attach"),
    path("unmatched/<int:pk>/dismiss/", dismiss_view, name="dismiss"),
    path("attachments/<int:pk>/", attachment_view, name="attachment"),
    path("lead/<int:pk>/files/<int:file_pk>/", inquiry_file_view, name="inquiry_file"),
    path("lead/<int:pk>/reply/", ReplyView.as_view(), name="reply"),
    path("lead/<int:pk>/reply/<int:reply_pk>/resend/", resend_reply_view, name="resend_reply"),
]


def admin_urls():
    """The admin URLs of the conversation (registered by wagtail_hooks.py)."""
    return [path("inquiry-mail/", include((urlpatterns, "inquiry_mail")))]
