"""Settings of the static public pages, with their defaults."""

from pathlib import Path

from django.conf import settings


def public_dir():
    """Where the rendered files live (CARAVAN_PUBLIC_DIR, default var/public/)."""
    configured = getattr(settings, "CARAVAN_PUBLIC_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "public"


def auto_refresh():
    """Whether publishing re-renders the affected files (CARAVAN_STATIC_PUBLISH)."""
    return bool(getattr(settings, "CARAVAN_STATIC_PUBLISH", True))
