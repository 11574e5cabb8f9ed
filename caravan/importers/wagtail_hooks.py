from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import urls


class AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("import/wordpress/", include(urls, namespace="wordpress_import"))]


@hooks.register("register_settings_menu_item")
def register_import_menu_item():
    return AdministratorMenuItem(
        _("Import from WordPress"),
        reverse("wordpress_import:start"),
        icon_name="download",
        order=900,
    )
