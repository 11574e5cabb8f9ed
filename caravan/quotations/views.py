"""The buyer's page of a quotation: opened from the signed link, no account and no cookie
needed; never cached, never indexed, never written to the public file tree (it is not a
page of the site's tree). It shows the latest revision that was sent, its PDF, and lets
the buyer accept it or ask for changes (for a new quotation once it has expired)."""

from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from caravan.inquiries.views import origin_is_ours

from . import services
from .forms import AcceptForm, ChangesForm
from .links import public_id_from
from .models import Status


def _private(response):
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The link's token never leaves the site in a Referer; same-origin keeps the Origin of
    # the page's own forms (no-referrer would make browsers send "Origin: null").
    response["Referrer-Policy"] = "same-origin"
    return response


def _not_found(request):
    response = TemplateResponse(
        request,
        "quotations/buyer_invalid.html",
        {
            "message": _(
                "This quotation link is not valid. Please check that you copied all of it, or ask us for a new one."
            )
        },
        status=404,
    )
    return _private(response)


def _quotation(token):
    public_id = public_id_from(token)
    return services.buyer_quotation(public_id) if public_id else None


# No CSRF cookie (the page sets no cookie at all): the link's signed token is the secret,
# and a post must come from this site's own origin.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def quotation_page(request, token):
    quotation = _quotation(token)
    if quotation is None:
        return _not_found(request)
    accept_form = AcceptForm(prefix="accept")
    changes_form = ChangesForm(prefix="changes")
    error = ""
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if not origin_is_ours(request):
            error = _(
                "Your answer could not be accepted from this page. Please open the link again and resend it."
            )
            status = 403
        elif action == "accept":
            accept_form = AcceptForm(request.POST, prefix="accept")
            if accept_form.is_valid():
                try:
                    services.accept_quotation(
                        quotation,
                        name=accept_form.cleaned_data["name"],
                        purchase_order=accept_form.cleaned_data["purchase_order"],
                    )
                except services.NotOpenError:
                    error = _("This quotation can no longer be accepted.")
                    status = 409
                else:
                    return _private(HttpResponseRedirect("?done=accepted"))
            else:
                status = 400
        elif action == "changes":
            changes_form = ChangesForm(request.POST, prefix="changes")
            if changes_form.is_valid():
                try:
                    services.ask_for_changes(
                        quotation, message=changes_form.cleaned_data["message"]
                    )
                except services.NotOpenError:
                    error = _("This quotation has been accepted already.")
                    status = 409
                else:
                    return _private(HttpResponseRedirect("?done=changes"))
            else:
                status = 400
        else:
            error = _("Please choose one of the answers below.")
            status = 400
        quotation.refresh_from_db()
    context = {
        "quotation": quotation,
        "lines": list(quotation.lines.all()),
        "previous": quotation.previous_revision(),
        "expired": quotation.is_expired(),
        "accepted": quotation.status == Status.ACCEPTED,
        "accept_form": accept_form,
        "changes_form": changes_form,
        "error": error,
        "done": request.GET.get("done", ""),
        "token": token,
    }
    for line in context["lines"]:
        line.amount_value = line.amount(quotation.currency)
    return _private(TemplateResponse(request, "quotations/buyer.html", context, status=status))


def _pdf_response(data, filename):
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return _private(response)


@require_safe
def quotation_pdf(request, token):
    quotation = _quotation(token)
    if quotation is None:
        return _not_found(request)
    return _pdf_response(quotation.pdf(), f"{quotation.number}.pdf")


@require_safe
def proforma_pdf(request, token):
    quotation = _quotation(token)
    if quotation is None or quotation.status != Status.ACCEPTED:
        return _not_found(request)
    return _pdf_response(quotation.proforma_pdf(), f"{quotation.number}-proforma.pdf")
