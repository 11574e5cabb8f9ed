"""The inquiry endpoint: the dynamic inquiry page (works without JavaScript), the token
the dialog fetches when it opens, and the confirmation page."""

from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import DisallowedHost, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Locale

from caravan.products.models import ProductPage

from . import attribution, tokens, uploads
from .countries import country_choices, currency_choices
from .forms import InquiryForm, has_items, item_formset, parse_line_quantity, product_page
from .models import ContactKind, Incoterm, Inquiry, Unit
from .submission import RateLimitedError, check_rate_limits, score, store

SENT_SALT = "caravan.inquiries.sent"
SENT_MAX_AGE = 7 * 24 * 3600


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _private(response):
    """Dynamic inquiry responses: never cached anywhere, never indexed."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


DEFAULT_PORTS = {"http": 80, "https": 443}


def web_origin(url):
    """(scheme, host, port) of an http(s) address, the port filled in when it is the
    scheme's default; None for anything else."""
    try:
        parts = urlsplit(url or "")
        port = parts.port
    except ValueError:  # a port that is not a number or out of range
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def _trusted(origin, request):
    """True when `origin` is exactly the request's own origin (scheme, host and port; the
    scheme as the proxy reports it, SECURE_PROXY_SSL_HEADER) or one allowed by
    CSRF_TRUSTED_ORIGINS, with Django's meaning: exact, or `https://*.example.com` for
    that domain and its subdomains under the same scheme and port."""
    if origin is None:
        return False
    try:
        own = web_origin(f"{request.scheme}://{request.get_host()}")
    except DisallowedHost:
        return False
    if origin == own:
        return True
    scheme, host, port = origin
    for entry in getattr(settings, "CSRF_TRUSTED_ORIGINS", []):
        trusted = web_origin(entry)
        if trusted is None or trusted[0] != scheme or trusted[2] != port:
            continue
        if trusted[1].startswith("*."):
            domain = trusted[1][2:]
            if host == domain or host.endswith("." + domain):
                return True
        elif trusted[1] == host:
            return True
    return False


def origin_is_ours(request):
    """True when the browser says the POST comes from one of our own pages: the Origin
    header (every current browser sends it with a POST), or, when Origin is absent or
    'null', the Referer. Scheme, host and port must all match: `http://localhost:9999`
    is not `http://localhost`."""
    origin = request.headers.get("Origin", "")
    if origin and origin != "null":
        return _trusted(web_origin(origin), request)
    referer = request.headers.get("Referer", "")
    return bool(referer) and _trusted(web_origin(referer), request)


def _product_choices(selected=()):
    """[(id, title, translation_key)] of the products in the page's language, and any
    product a row names from another language (so it stays selected)."""
    products = list(
        ProductPage.objects.live()
        .public()
        .filter(locale=Locale.get_active())
        .order_by("title")
        .values_list("pk", "title", "translation_key")
    )
    known = {pk for pk, _t, _k in products}
    for page in selected:
        if page is not None and page.pk not in known:
            products.insert(0, (page.pk, page.title, page.translation_key))
            known.add(page.pk)
    return products


def _initial_lines(request):
    """Row 0 filled from a product page's inquiry link (?product=<id>&quantity=N)."""
    product = _requested_product(request)
    if product is None:
        return [], None
    line = {"product": str(product.pk), "unit": Unit.PIECE}
    try:
        quantity = parse_line_quantity(request.GET.get("quantity", ""))
    except ValidationError:
        quantity = None
    if quantity is not None:
        line["quantity"] = format(quantity.normalize(), "f")
    return [line], product


def _row_products(formset):
    pages = []
    for form in formset.forms:
        value = form["product"].value()
        if value:
            pages.append(product_page(value))
    return pages


def _requested_product(request):
    return product_page(request.GET.get("product"))


def _render_page(
    request,
    form,
    *,
    token,
    page_url,
    status=200,
    form_error="",
    product=None,
    formset=None,
    file_errors=(),
):
    if formset is None:
        formset = item_formset()
    selected = [product, *_row_products(formset)]
    context = {
        "form": form,
        "formset": formset,
        "token": token,
        "page_url": page_url,
        "products": _product_choices(selected),
        "units": Unit.choices,
        "incoterms": Incoterm.choices,
        "currencies": currency_choices(get_language()),
        "countries": country_choices(get_language()),
        "selected_product": str(product.pk) if product else (form["product"].value() or ""),
        "form_error": form_error,
        "file_errors": file_errors,
        "upload": {
            "accept": uploads.ACCEPT_ATTRIBUTE,
            "hint": uploads.limits_hint(),
        },
        "hide_inquiry_dialog": True,
    }
    return _private(render(request, "inquiries/inquiry_page.html", context, status=status))


# Compressed: its country and currency lists make the page ~64 KB of HTML, over the
# 60 KB a page may cost a phone; gzip makes it ~13 KB. Django's gzip adds random padding
# against BREACH, and the page holds no session secret (no cookie, no CSRF token).
@gzip_page
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def inquiry(request):
    """The inquiry page (GET) and the one endpoint every inquiry is posted to (POST).

    Why not Django's CSRF protection: CSRF tokens need a cookie, and our public pages
    carry no per-visitor state so that a cache or CDN can serve them whole. Nor would a
    CSRF token protect anything here: the endpoint acts for no logged-in user, so a forged
    request cannot borrow anyone's authority. What a cross-site POST could do is use other
    people's browsers to send spam from many addresses. So, instead:

    - the POST must come from one of our pages: its Origin header (or, when a browser
      sends none or 'null', its Referer) must be this request's own origin (scheme,
      host and port) or one CSRF_TRUSTED_ORIGINS allows, as Django's CSRF check has
      it. Browsers set these headers themselves and a page on another site cannot
      change them, so a cross-site POST is refused with 403 and a clear message, and
      nothing is stored;
    - the signed time token (fetched by the dialog when it opens, embedded in this
      page) shows the form was ours and how long it was open; rate limits cap what any
      one address or contact can send. Both feed the spam score rather than refuse, so a
      real buyer whose token went stale is stored and reviewed, never turned away.
    """
    if request.method == "POST":
        return _submit(request)
    initial, product = _initial_lines(request)
    form = InquiryForm(initial={"product": product.pk if product else ""})
    page_url = attribution.same_site_url(request, request.headers.get("Referer", ""))
    return _render_page(
        request,
        form,
        token=tokens.issue_token(),
        page_url=page_url,
        product=product,
        formset=item_formset(initial=initial),
    )


def _refused(request):
    message = _(
        "This inquiry was not sent from our website, so it was refused. Please open our "
        "website and send it from there."
    )
    if wants_json(request):
        return _private(JsonResponse({"error": message}, status=403))
    return _private(
        render(request, "inquiries/inquiry_refused.html", {"message": message}, status=403)
    )


def _too_large(request):
    """The body is larger than an inquiry with its files may be: refused unread (413)."""
    message = _(
        "Your inquiry was not sent: with its files it is larger than %(max)s. Go back (your "
        "browser keeps what you typed), remove or shrink files (each at most %(file_max)s) "
        "and send it again."
    ) % {
        "max": filesizeformat(uploads.MAX_TOTAL_SIZE),
        "file_max": filesizeformat(uploads.MAX_FILE_SIZE),
    }
    if wants_json(request):
        response = JsonResponse({"error": message}, status=413)
    else:
        response = render(
            request, "inquiries/inquiry_refused.html", {"message": message}, status=413
        )
    response["Connection"] = "close"
    return _private(response)


def _legacy_lines(cleaned):
    """The single-product form's product and quantity as the request's one line."""
    if cleaned.get("product") is None and cleaned.get("quantity") is None:
        return []
    quantity = cleaned.get("quantity")
    return [
        {
            "product": cleaned.get("product"),
            "quantity": Decimal(quantity) if quantity is not None else None,
            "unit": Unit.PIECE,
            "note": "",
        }
    ]


def _submit(request):
    if not origin_is_ours(request):
        return _refused(request)
    if uploads.body_too_large(request):
        return _too_large(request)
    limiter = uploads.install_upload_handlers(request)
    data = request.POST
    if limiter.too_large:
        return _too_large(request)
    form = InquiryForm(data)
    formset = item_formset(data) if has_items(data) else None
    files = request.FILES.getlist("attachments")
    accepted, file_errors = uploads.check_files(files)
    form_ok = form.is_valid()
    formset_ok = formset is None or formset.is_valid()
    if not (form_ok and formset_ok and not file_errors):
        return _invalid(request, form, formset, files, file_errors)
    try:
        check_rate_limits(request, form.cleaned_data)
    except RateLimitedError as exc:
        return _rate_limited(request, form, exc, formset)
    lines = formset.lines() if formset is not None else _legacy_lines(form.cleaned_data)
    verdict = score(form.cleaned_data, data, lines)
    inquiry = store(request, form.cleaned_data, verdict, data, lines=lines, files=accepted)
    if wants_json(request):
        html = render_to_string(
            "inquiries/includes/confirmation.html",
            {"inquiry": inquiry, "in_dialog": True, **_confirmation_context(inquiry)},
            request=request,
        )
        return _private(JsonResponse({"reference": inquiry.reference, "html": html}, status=201))
    signed = signing.TimestampSigner(salt=SENT_SALT).sign(str(inquiry.pk))
    response = HttpResponseRedirect(reverse("inquiries:sent", args=[signed]))
    response.status_code = 303  # See Other: reloading the confirmation never re-posts
    return response


def _invalid(request, form, formset, files, file_errors):
    """The form back with every problem marked and everything typed kept; files cannot be
    put back into a file input, so the message asks for them again."""
    file_errors = list(file_errors)
    if files and not file_errors:
        file_errors = [_("Your files were not sent with the form: please choose them again.")]
    elif files:
        file_errors.append(_("Please choose your files again: a browser cannot keep them."))
    if wants_json(request):
        errors = form.errors_by_field() if form.is_bound else {}
        if formset is not None:
            errors |= formset.errors_by_field()
        if file_errors:
            errors["attachments"] = file_errors
        return _private(JsonResponse({"errors": errors}, status=400))
    # Keep the token the visitor's form was opened with (so correcting a field is not
    # "too fast"), unless it is unusable.
    data = request.POST
    check = tokens.check_token(data.get("token"))
    token = data.get("token") if check.valid else tokens.issue_token()
    return _render_page(
        request,
        form,
        token=token,
        page_url=attribution.same_site_url(request, data.get("page", "")),
        status=400,
        form_error=_("Please correct the fields marked below; everything you typed is kept."),
        formset=formset if formset is not None else _formset_from_legacy(form),
        file_errors=file_errors,
    )


def _formset_from_legacy(form):
    """The rows of the page for a single-product POST that came back with errors: its
    product and quantity in row 0, checked, so a wrong quantity is marked there."""
    product, quantity = form["product"].value(), form["quantity"].value()
    if not (product or quantity):
        return item_formset()
    data = {
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-product": product or "",
        "items-0-quantity": quantity or "",
        "items-0-unit": Unit.PIECE,
    }
    formset = item_formset(data)
    formset.is_valid()
    row = formset.forms[0]
    if not product and "product" in row.errors:
        del row.errors["product"]  # that form may name a quantity without a product
    return formset


def _rate_limited(request, form, exc, formset=None):
    minutes = max(round(exc.retry_after / 60), 1)
    message = ngettext(
        "We have received several inquiries from you in a short time, so this one was not "
        "sent. Please try again in about %(minutes)d minute, or write to us directly.",
        "We have received several inquiries from you in a short time, so this one was not "
        "sent. Please try again in about %(minutes)d minutes, or write to us directly.",
        minutes,
    ) % {"minutes": minutes}
    if wants_json(request):
        response = JsonResponse({"error": message, "retry_after": exc.retry_after}, status=429)
    else:
        data = request.POST
        response = _render_page(
            request,
            form,
            token=data.get("token") or tokens.issue_token(),
            page_url=attribution.same_site_url(request, data.get("page", "")),
            status=429,
            form_error=message,
            formset=formset,
            file_errors=(
                [_("Please choose your files again: a browser cannot keep them.")]
                if request.FILES
                else ()
            ),
        )
    response["Retry-After"] = str(exc.retry_after)
    return _private(response)


def _confirmation_context(inquiry):
    lines = list(inquiry.lines.select_related("product"))
    return {
        "is_email": inquiry.contact_kind == ContactKind.EMAIL,
        "product_title": inquiry.display_product if len(lines) <= 1 else "",
        "lines": lines if len(lines) > 1 or (lines and lines[0].quantity) else [],
        "files": list(inquiry.files.all()),
    }


@require_GET
def inquiry_sent(request, token):
    """The confirmation after a plain (no-JavaScript) submission, reached by the 303
    redirect. The address is signed and expires, so references cannot be enumerated."""
    try:
        pk = signing.TimestampSigner(salt=SENT_SALT).unsign(token, max_age=SENT_MAX_AGE)
    except signing.BadSignature:
        raise Http404("Unknown or expired confirmation") from None
    inquiry = get_object_or_404(Inquiry.objects.select_related("product"), pk=pk)
    context = {
        "inquiry": inquiry,
        "back_url": attribution.same_site_url(request, inquiry.page_url),
        "in_dialog": False,
        **_confirmation_context(inquiry),
    }
    return _private(render(request, "inquiries/inquiry_sent.html", context))


@require_GET
def token(request):
    """A fresh form token (and the country list in the visitor's language) for the
    dialog, fetched each time it opens; never cached."""
    data = {"token": tokens.issue_token(), "countries": country_choices(get_language())}
    return _private(JsonResponse(data))
