"""The privacy actions on a buyer, from a lead's page: export everything stored about
their contact (e-mail or phone) as JSON, and erase it."""

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from .. import privacy
from ..models import Inquiry
from .permissions import DELETE, VIEW, require


@require(VIEW)
def contact_export_view(request, pk):
    inquiry = get_object_or_404(Inquiry, pk=pk)
    data = privacy.export_contact(inquiry.contact_key)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="contact-{inquiry.reference}.json"'
    return response


@require(DELETE)
def contact_erase_view(request, pk):
    inquiry = get_object_or_404(Inquiry, pk=pk)
    matching = (
        Inquiry.objects.filter(contact_key=inquiry.contact_key)
        if inquiry.contact_key
        else Inquiry.objects.filter(pk=inquiry.pk)
    )
    if request.method == "POST":
        counts = privacy.erase_contact(inquiry)
        messages.success(
            request,
            gettext(
                "Erased everything about %(contact)s: %(leads)d inquiries, %(tasks)d queued "
                "e-mails."
            )
            % {"contact": inquiry.contact, "leads": counts["inquiries"], "tasks": counts["tasks"]},
        )
        return HttpResponseRedirect(reverse("inquiry_admin:index"))
    return TemplateResponse(
        request,
        "inquiries/admin/contact_erase.html",
        {"inquiry": inquiry, "leads": matching, "page_title": gettext("Erase contact")},
    )
