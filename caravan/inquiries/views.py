"""The inquiry endpoint: the dynamic inquiry page (works without JavaScript), the token
the dialog fetches when it opens, and the confirmation page."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Locale

from caravan.products.models import ProductPage

from . import attribution, tokens
from .countries import country_choices
from .forms import InquiryForm, product_page
from .models import ContactKind, Inquiry
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


def _product_choices(selected=None):
    products = list(
        ProductPage.objects.live()
        .public()
        .filter(locale=Locale.get_active())
        .order_by("title")
        .values_list("pk", "title")
    )
    if selected is not None and all(pk != selected.pk for pk, _t in products):
        products.insert(0, (selected.pk, selected.title))
    return products


def _requested_product(request):
    return product_page(request.GET.get("product"))


def _render_page(request, form, *, token, page_url, status=200, form_error="", product=None):
    context = {
        "form": form,
        "token": token,
        "page_url": page_url,
        "products": _product_choices(product),
        "countries": country_choices(get_language()),
        "selected_product": str(product.pk) if product else (form["product"].value() or ""),
        "form_error": form_error,
        "hide_inquiry_dialog": True,
    }
    return _private(render(request, "inquiries/inquiry_page.html", context, status=status))


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
    product = _requested_product(request)
    form = InquiryForm(initial={"product": product.pk if product else ""})
    page_url = attribution.same_site_url(request, request.headers.get("Referer", ""))
    return _render_page(
        request, form, token=tokens.issue_token(), page_url=page_url, product=product
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


def _submit(request):
    if not origin_is_ours(request):
        return _refused(request)
    data = request.POST
    form = InquiryForm(data)
    if not form.is_valid():
        if wants_json(request):
            return _private(JsonResponse({"errors": form.errors_by_field()}, status=400))
        # Keep the token the visitor's form was opened with (so correcting a field is not
        # "too fast"), unless it is unusable.
        check = tokens.check_token(data.get("token"))
        token = data.get("token") if check.valid else tokens.issue_token()
        return _render_page(
            request,
            form,
            token=token,
            page_url=attribution.same_site_url(request, data.get("page", "")),
            status=400,
            form_error=_("Please correct the fields marked below; everything you typed is kept."),
        )
    try:
        check_rate_limits(request, form.cleaned_data)
    except RateLimitedError as exc:
        return _rate_limited(request, form, exc)
    verdict = score(form.cleaned_data, data)
    inquiry = store(request, form.cleaned_data, verdict, data)
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


def _rate_limited(request, form, exc):
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
        )
    response["Retry-After"] = str(exc.retry_after)
    return _private(response)


def _confirmation_context(inquiry):
    return {
        "is_email": inquiry.contact_kind == ContactKind.EMAIL,
        "product_title": inquiry.display_product,
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
