"""WSGI entry point for granian, gunicorn or any WSGI server.

Public pages rendered to files (caravan/static_site) are answered from the file tree
before Django is entered; CARAVAN_STATIC_FAST_PATH=0 turns that off (production with
nginx in front serves the files itself and may leave it on or off)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caravan.settings.base")

application = get_wsgi_application()

if os.environ.get("CARAVAN_STATIC_FAST_PATH", "1") != "0":
    from caravan.static_site.serve import wrap

    application = wrap(application)
