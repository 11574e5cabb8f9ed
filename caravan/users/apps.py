from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    """The people who sign in to the admin: editors, the sales team, site admins."""

    name = "caravan.users"
    label = "users"
    verbose_name = _("Users")
    default_auto_field = "django.db.models.BigAutoField"
