from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The original, fictional demo company that `make run` loads into an empty database."""

    name = "caravan.demo"
    label = "demo"
    verbose_name = _("Demo company")
