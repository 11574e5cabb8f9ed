"""Periodic jobs of the core app."""

from django.core.management import call_command

from .periodic import periodic


@periodic(seconds=60)
def publish_scheduled_pages():
    """Publish pages whose scheduled go-live time has passed, unpublish expired ones."""
    call_command("publish_scheduled", verbosity=0)
