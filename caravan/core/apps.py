from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Company profile, base page types, site chrome and the SEO shared by every page."""

    name = "caravan.core"
    label = "core"
    verbose_name = _("Caravan core")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import jobs  # noqa: F401  (registers the periodic jobs)
        from .imaging import use_faster_avif_encoding
        from .pagecache import connect_signals

        connect_signals()
        use_faster_avif_encoding()
        checks.register(check_catalogues_compiled, checks.Tags.translation, deploy=True)


def check_catalogues_compiled(app_configs=None, **kwargs):
    """The interface translations are build output (.mo, git-ignored): warn when one is
    missing or older than its catalogue, so `check --deploy` catches a forgotten
    `compile_catalogues`."""
    from .catalogues import uncompiled

    return [
        checks.Warning(
            f"The translation catalogue {po.parent.parent.name} is not compiled.",
            hint="Run `manage.py compile_catalogues` (`make run` does it).",
            id="caravan.W001",
        )
        for po in uncompiled()
    ]
