"""The inquiry endpoint."""

from django.shortcuts import render


def inquiry(request):
    return render(
        request, "inquiries/inquiry_page.html", {"product_id": request.GET.get("product")}
    )
