"""The chat hand-off: a product page's "Chat on WhatsApp" link leads here first, so that
the click is counted (per product, page, channel and day, first-party, no cookie, nothing
about the person), then on to the company's own WhatsApp number with the product's name
and address already typed. The link works without JavaScript.

The destination is never read from the request: it is always wa.me with the number from
the company profile, so this address cannot be used to send anyone elsewhere."""

from urllib.parse import quote, urlsplit

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from caravan.core.models import CompanyProfile

from .forms import product_page
from .models import ChatChannel, ChatClick

PAGE_PATH_LENGTH = ChatClick._meta.get_field("page_path").max_length


def local_path(value):
    """The path of a page of this site as sent in `?page=`, or "" for anything else (an
    absolute or scheme-relative address, a backslash trick, not a path at all)."""
    value = (value or "").strip()
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return ""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return ""
    return parts.path[:PAGE_PATH_LENGTH]


def count_click(product, page_path, channel):
    """One more click on today's counter for this product, page and channel."""
    key = {
        "product": product,
        "page_path": page_path,
        "channel": channel,
        "day": timezone.localdate(),
    }
    if ChatClick.objects.filter(**key).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            ChatClick.objects.create(count=1, **key)
    except IntegrityError:  # another click created today's counter in the meantime
        ChatClick.objects.filter(**key).update(count=F("count") + 1)


def whatsapp_url(digits, product, request):
    text = _("Hello, I would like to ask about %(product)s: %(url)s") % {
        "product": product.title,
        "url": product.get_full_url(request),
    }
    return f"https://wa.me/{digits}?text={quote(text)}"


@require_GET
def chat(request, channel):
    if channel != ChatChannel.WHATSAPP:
        raise Http404("Unknown chat channel")
    digits = CompanyProfile.for_request(request).whatsapp_digits
    product = product_page(request.GET.get("product"))
    if not digits or product is None:
        raise Http404("No chat for this product")
    count_click(product, local_path(request.GET.get("page")), channel)
    response = HttpResponseRedirect(whatsapp_url(digits, product, request))
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response
