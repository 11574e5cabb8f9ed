"""One lead in the inbox: its page (everything the buyer typed, attribution, delivery,
the buyer's thread, history) and the small views its forms post to, one per change
(status, assignee, note, spam flag, resending an e-mail). The page itself posts
everything through its one form (WorkView), so a note is saved with whatever button is
pressed; the single-purpose views stay for the bulk actions' and scripts' sake. Each
change view needs the change permission and answers with a redirect back to the lead's
page."""

from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from django.views.generic import FormView

from .. import leads
from ..grouping import attach_product_names, localized_titles
from ..models import Channel, ContactKind, Inquiry, LeadEvent, LeadStatus, person_name
from .forms import AssignForm, LeadForm, NoteForm, ResendForm, StatusForm
from .permissions import CHANGE, DELETE, VIEW, InboxPermissionRequiredMixin, require


def reply_links(inquiry):
    """One-click replies: mailto with the reference in the subject for an e-mail
    contact; WhatsApp and tel: for a phone number."""
    links = []
    if inquiry.contact_kind == ContactKind.EMAIL and inquiry.reply_email:
        # The buyer reads the subject: their language, not the admin's.
        with translation.override(inquiry.language or settings.LANGUAGE_CODE):
            subject = gettext("Re: your inquiry %(reference)s") % {"reference": inquiry.reference}
        if inquiry.display_product:
            subject += f" · {inquiry.display_product}"
        links.append(
            (
                gettext("Reply by e-mail"),
                f"mailto:{quote(inquiry.reply_email, safe='@')}?subject={quote(subject)}",
            )
        )
    if inquiry.contact_phone:
        digits = inquiry.contact_phone.lstrip("+")
        links.append((gettext("WhatsApp"), f"https://wa.me/{digits}"))
        links.append((gettext("Call"), f"tel:{inquiry.contact_phone}"))
    return links


def _delivery_rows(inquiry):
    rows = []
    for channel in Channel:
        rows.append(
            {
                "channel": channel,
                "label": channel.label,
                "status": getattr(inquiry, f"get_{channel}_status_display")(),
                "status_value": getattr(inquiry, f"{channel}_status"),
                "attempts": getattr(inquiry, f"{channel}_attempts"),
                "delivered_at": getattr(inquiry, f"{channel}_delivered_at"),
                "next_attempt_at": getattr(inquiry, f"{channel}_next_attempt_at"),
                "last_error": getattr(inquiry, f"{channel}_last_error"),
                "can_resend": leads.can_resend(inquiry, channel),
            }
        )
    return rows


def _product_admin_url(inquiry, user):
    if inquiry.product_id and inquiry.product.permissions_for_user(user).can_edit():
        return reverse("wagtailadmin_pages:edit", args=[inquiry.product_id])
    return ""


def _page_live_url(page):
    if page is not None and page.live:
        try:
            return page.get_url() or ""
        except Exception:  # noqa: BLE001 - a product outside every site has no URL
            return ""
    return ""


def _product_live_url(inquiry):
    return _page_live_url(inquiry.product if inquiry.product_id else None)


def _lines(inquiry, user):
    """The request's lines as the lead page shows them: the product in the reader's
    language with its public address (and its editor's, for those who may edit it)."""
    lines = list(inquiry.lines.select_related("product"))
    titles = localized_titles(line.product for line in lines if line.product_id)
    rows = []
    for line in lines:
        page = line.product if line.product_id else None
        rows.append(
            {
                "title": (titles.get(page.translation_key) if page else "") or line.product_title,
                "live_url": _page_live_url(page),
                "admin_url": (
                    reverse("wagtailadmin_pages:edit", args=[page.pk])
                    if page and page.permissions_for_user(user).can_edit()
                    else ""
                ),
                "quantity": line.quantity_display,
                "unit": line.get_unit_display(),
                "note": line.note,
            }
        )
    return rows


def _history(inquiry):
    """Everything that happened to the lead, oldest first, as one list: its arrival, the
    e-mails delivered about it, and every LeadEvent (notes, status changes, assignments,
    resends, imports, e-mails with the buyer, and any kind added later, shown with its
    label and text) with who and when."""
    labels = dict(LeadStatus.choices)
    entries = [
        {
            "at": inquiry.created_at,
            "label": gettext("Inquiry received"),
            "text": (
                gettext("follows %(reference)s") % {"reference": inquiry.earlier_inquiry.reference}
                if inquiry.earlier_inquiry_id
                else ""
            ),
            "kind": "received",
        }
    ]
    for channel in Channel:
        delivered = getattr(inquiry, f"{channel}_delivered_at")
        if delivered:
            entries.append(
                {
                    "at": delivered,
                    "label": gettext("%(what)s delivered") % {"what": channel.label},
                    "kind": f"delivered-{channel}",
                }
            )
    for event in inquiry.events.select_related("user"):
        old, new = event.old_value, event.new_value
        if event.kind == LeadEvent.Kind.STATUS:
            old, new = labels.get(old, old), labels.get(new, new)
        entries.append(
            {
                "at": event.created_at,
                "user": event.user,
                "by": person_name(event.user) if event.user_id else gettext("system"),
                "label": event.kind_label,
                "old": old,
                "new": new,
                "text": event.text,
                "kind": event.kind,
                "is_note": event.kind == LeadEvent.Kind.NOTE,
            }
        )
    # Stable: entries of one moment keep the order above (events come newest first).
    entries.sort(key=lambda entry: entry["at"])
    return entries


def get_lead(pk):
    return get_object_or_404(
        Inquiry.objects.select_related("product", "assignee", "site", "earlier_inquiry"), pk=pk
    )


def lead_url(inquiry):
    return reverse("inquiry_admin:inspect", args=[inquiry.pk])


def render_lead(request, inquiry, lead_form=None, status=200):
    """The lead's page; `lead_form` brings back what was typed when it was not valid."""
    context = {
        "inquiry": inquiry,
        "page_title": f"{inquiry.reference} · {inquiry.name}",
        "header_title": inquiry.reference,
        "can_change": request.user.has_perm(CHANGE),
        "can_delete": request.user.has_perm(DELETE),
        "lead_form": lead_form
        or LeadForm(initial={"status": inquiry.status, "assignee": inquiry.assignee_id}),
        "history": _history(inquiry),
        "thread": attach_product_names(inquiry.thread()[:50]),
        "reply_links": reply_links(inquiry),
        "delivery": _delivery_rows(inquiry),
        "product_admin_url": _product_admin_url(inquiry, request.user),
        "product_live_url": _product_live_url(inquiry),
        "lines": _lines(inquiry, request.user),
        "files": list(inquiry.files.all()),
        "index_url": reverse("inquiry_admin:index"),
    }
    return TemplateResponse(request, "inquiries/admin/lead.html", context, status=status)


@require(VIEW)
@require_safe
def lead_view(request, pk):
    return render_lead(request, get_lead(pk))


class LeadChangeView(InboxPermissionRequiredMixin, FormView):
    """A change to one lead, posted by a form on its page. Subclasses say which form it
    takes and what `change` does; a valid change goes back to the lead's page with the
    message `change` returns (None: nothing changed, nothing to say), an invalid form goes
    back with the form's errors."""

    permission_required = CHANGE
    http_method_names = ["post"]
    form_class = forms.Form

    def post(self, request, *args, **kwargs):
        self.inquiry = get_lead(kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def change(self, data):
        raise NotImplementedError

    def form_valid(self, form):
        message = self.change(form.cleaned_data)
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(lead_url(self.inquiry))

    def form_invalid(self, form):
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(self.request, errors)
        return HttpResponseRedirect(lead_url(self.inquiry))


class StatusView(LeadChangeView):
    form_class = StatusForm

    def change(self, data):
        if leads.change_status(self.inquiry, data["status"], self.request.user):
            return gettext("Status changed to %(status)s.") % {
                "status": self.inquiry.get_status_display()
            }
        return None


class AssignView(LeadChangeView):
    form_class = AssignForm

    def change(self, data):
        if leads.assign(self.inquiry, data["assignee"], self.request.user):
            return gettext("Assignee changed.")
        return None


class NoteView(LeadChangeView):
    form_class = NoteForm

    def change(self, data):
        leads.add_note(self.inquiry, data["text"], self.request.user)
        return gettext("Note added.")

    def form_invalid(self, form):
        # The lead's page again, with the note and what is wrong with it.
        lead_form = LeadForm(self.request.POST)
        lead_form.is_valid()
        for error in form.errors.get("text", []):
            lead_form.add_error("text", error)
        return render_lead(self.request, self.inquiry, lead_form=lead_form, status=400)


class WorkView(LeadChangeView):
    """The lead page's one form: note, status and assignee saved together, then the
    action of the button that was pressed (save, spam, not spam, resend an e-mail)."""

    form_class = LeadForm

    def change(self, data):
        user, inquiry = self.request.user, self.inquiry
        assignee = data["assignee"] if "assignee" in self.request.POST else leads.UNCHANGED
        said = []
        changed = leads.work(
            inquiry, user, status=data.get("status"), assignee=assignee, note=data["text"]
        )
        if "note" in changed:
            said.append(gettext("Note added."))
        if "status" in changed:
            said.append(
                gettext("Status changed to %(status)s.") % {"status": inquiry.get_status_display()}
            )
        if "assignee" in changed:
            said.append(gettext("Assignee changed."))
        action = data.get("action") or "save"
        if action in ("spam", "notspam"):
            queued_before = inquiry.events.filter(kind=LeadEvent.Kind.DELIVERY).count()
            if leads.mark_spam(inquiry, user, spam=action == "spam"):
                said.append(gettext("Spam flag changed."))
            if inquiry.events.filter(kind=LeadEvent.Kind.DELIVERY).count() > queued_before:
                said.append(gettext("The e-mails held back as spam are being sent."))
        elif action.startswith("resend:"):
            channel = Channel(action.split(":", 1)[1])
            if leads.resend(inquiry, channel, user):
                said.append(
                    gettext("%(what)s queued for sending again.")
                    % {"what": channel.label.capitalize()}
                )
            else:
                messages.error(self.request, gettext("This e-mail cannot be sent again."))
        return " ".join(said) or None

    def form_invalid(self, form):
        # The lead's page again with everything typed and what is wrong with it.
        return render_lead(self.request, self.inquiry, lead_form=form, status=400)


class SpamView(LeadChangeView):
    """Mark the lead as spam (`spam = True`) or as not spam."""

    spam = True

    def change(self, data):
        if leads.mark_spam(self.inquiry, self.request.user, spam=self.spam):
            return gettext("Spam flag changed.")
        return None


class ResendView(LeadChangeView):
    form_class = ResendForm

    def change(self, data):
        channel = Channel(data["channel"])
        if leads.resend(self.inquiry, channel, self.request.user):
            return gettext("%(what)s queued for sending again.") % {
                "what": channel.label.capitalize()
            }
        messages.error(self.request, gettext("This e-mail cannot be sent again."))
        return None

    def form_invalid(self, form):
        messages.error(self.request, gettext("This e-mail cannot be sent again."))
        return HttpResponseRedirect(lead_url(self.inquiry))
