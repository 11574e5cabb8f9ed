from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in to the admin: editors, the sales team, site admins.

    Its own model from the first migration, so fields can be added later without the
    painful switch away from Django's built-in user."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
