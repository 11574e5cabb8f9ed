"""The site's URLs plus one endpoint for the scale-out test: enqueue a probe task."""

import os

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from caravan.operations.tasks import probe
from caravan.urls import urlpatterns as site_urlpatterns


@csrf_exempt
@require_POST
def enqueue_probe(request):
    result = probe.enqueue(request.POST["token"], request.POST.get("email_to", ""))
    return JsonResponse({"task": str(result.id), "server_pid": os.getpid()}, status=202)


urlpatterns = [path("scaleout/probe/", enqueue_probe), *site_urlpatterns]
handler500 = "caravan.operations.views.server_error"
