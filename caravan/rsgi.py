"""RSGI entry point for granian (`--interface rsgi caravan.rsgi:application`), what
`runsite` serves: public files are sent by granian itself (caravan/static_site/rsgi.py),
everything else by Django in WEB_THREADS threads (8). CARAVAN_STATIC_FAST_PATH=0 sends
every request to Django. caravan.wsgi serves the same site to any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caravan.settings.base")

django_application = get_wsgi_application()

from caravan.static_site.rsgi import RSGIApplication  # noqa: E402
from caravan.static_site.serve import wrap  # noqa: E402

application = RSGIApplication(
    django_application,
    files=wrap(django_application)
    if os.environ.get("CARAVAN_STATIC_FAST_PATH", "1") != "0"
    else None,
    threads=int(os.environ.get("WEB_THREADS", "8")),
)
