"""The sales team's quotation screens: make one from a lead, look at it (every revision,
the e-mail's delivery), change it (a sent one gets a new revision), send it, download its
PDF and proforma invoice. They call caravan.quotations.services like any script would.
Everyone needs the lead inbox's permissions (403 otherwise)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from caravan.inquiries.admin.permissions import CHANGE, VIEW, require
from caravan.inquiries.models import Inquiry

from .. import services
from ..models import Quotation, Status
from .forms import LineFormSet, QuotationForm, default_terms, initial_from, lines_from


def detail_url(quotation):
    return reverse("quotations_admin:detail", args=[quotation.pk])


def _get(pk):
    return get_object_or_404(
        Quotation.objects.select_related("inquiry", "inquiry__assignee", "created_by"), pk=pk
    )


def _edit_page(request, inquiry, form, formset, quotation=None, status=200):
    title = (
        _("Change %(number)s") % {"number": quotation.number}
        if quotation
        else _("New quotation for %(reference)s") % {"reference": inquiry.reference}
    )
    return TemplateResponse(
        request,
        "quotations/admin/edit.html",
        {
            "inquiry": inquiry,
            "quotation": quotation,
            "form": form,
            "formset": formset,
            "page_title": title,
            "header_title": title,
            "lead_url": reverse("inquiry_admin:inspect", args=[inquiry.pk]),
            "makes_revision": quotation is not None and quotation.status != Status.DRAFT,
        },
        status=status,
    )


def _save(request, inquiry, quotation=None):
    form = QuotationForm(request.POST)
    formset = LineFormSet(request.POST, prefix="lines")
    if form.is_valid() and formset.is_valid():
        try:
            if quotation is None:
                saved = services.create_quotation(
                    inquiry, lines=lines_from(formset), user=request.user, **form.terms()
                )
            else:
                saved = services.revise_quotation(
                    quotation, lines=lines_from(formset), user=request.user, **form.terms()
                )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(number)s saved.") % {"number": saved.number})
            return HttpResponseRedirect(detail_url(saved))
    return _edit_page(request, inquiry, form, formset, quotation, status=400)


@require(CHANGE)
def new_view(request, inquiry_pk):
    inquiry = get_object_or_404(Inquiry.objects.select_related("product"), pk=inquiry_pk)
    if request.method == "POST":
        return _save(request, inquiry)
    form = QuotationForm(initial=default_terms(inquiry))
    formset = LineFormSet(prefix="lines", initial=services.initial_lines(inquiry))
    return _edit_page(request, inquiry, form, formset)


@require(CHANGE)
def edit_view(request, pk):
    quotation = _get(pk)
    if request.method == "POST":
        return _save(request, quotation.inquiry, quotation)
    form = QuotationForm(instance=quotation)
    formset = LineFormSet(prefix="lines", initial=initial_from(quotation))
    return _edit_page(request, quotation.inquiry, form, formset, quotation)


@require(VIEW)
@require_safe
def detail_view(request, pk):
    quotation = _get(pk)
    lines = list(quotation.lines.select_related("product"))
    for line in lines:
        line.amount_value = line.amount(quotation.currency)
    return TemplateResponse(
        request,
        "quotations/admin/detail.html",
        {
            "quotation": quotation,
            "lines": lines,
            "revisions": quotation.revisions(),
            "emails": quotation.emails.all(),
            "buyer_url": quotation.buyer_url() if quotation.status != Status.DRAFT else "",
            "can_change": request.user.has_perm(CHANGE),
            "is_latest": quotation.revisions().first().pk == quotation.pk,
            "page_title": quotation.number,
            "header_title": quotation.number,
            "lead_url": reverse("inquiry_admin:inspect", args=[quotation.inquiry_id]),
        },
    )


@require(CHANGE)
@require_POST
def send_view(request, pk):
    quotation = _get(pk)
    try:
        services.send_quotation(quotation, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(number)s is being sent to the buyer.") % {"number": quotation.number}
        )
    return HttpResponseRedirect(detail_url(quotation))


@require(CHANGE)
@require_POST
def resend_view(request, pk):
    quotation = _get(pk)
    if quotation.status == Status.DRAFT or not quotation.inquiry.reply_email:
        messages.error(request, _("This quotation cannot be e-mailed."))
    else:
        services.resend_quotation(quotation, user=request.user)
        messages.success(request, _("The e-mail is queued for sending again."))
    return HttpResponseRedirect(detail_url(quotation))


def _pdf(data, filename):
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require(VIEW)
@require_safe
def pdf_view(request, pk):
    quotation = _get(pk)
    return _pdf(quotation.pdf(), f"{quotation.number}.pdf")


@require(VIEW)
@require_safe
def proforma_view(request, pk):
    quotation = _get(pk)
    if quotation.status != Status.ACCEPTED:
        messages.error(request, _("A proforma invoice is made from an accepted quotation."))
        return HttpResponseRedirect(detail_url(quotation))
    return _pdf(quotation.proforma_pdf(), f"{quotation.number}-proforma.pdf")
