"""A URLconf with a view that fails, for the tests of what visitors see on errors."""

from django.urls import path

from caravan.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("A deliberate failure for the error-reporting test")


urlpatterns = [path("fail/", fail), *site_urlpatterns]

handler500 = "caravan.operations.views.server_error"
