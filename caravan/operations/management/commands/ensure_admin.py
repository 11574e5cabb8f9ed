import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure a superuser exists. The first time, create one with a generated password "
        "and print it; with --reset-password, give the admin account a new password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--reset-password", action="store_true")

    def handle(self, *args, username, reset_password, **options):
        user_model = get_user_model()
        admin_url = f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/{settings.CARAVAN_ADMIN_PATH}/"
        user = user_model.objects.filter(username=username).first()
        if (
            user is None
            and not reset_password
            and user_model.objects.filter(is_superuser=True).exists()
        ):
            return
        password = secrets.token_urlsafe(12)
        if user is None:
            user_model.objects.create_superuser(
                username=username, email="", password=password, first_name="Site", last_name="Admin"
            )
            action = "Created the admin account"
        elif reset_password:
            user.set_password(password)
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
            action = "New password for the admin account"
        else:
            return
        self.stdout.write(
            self.style.SUCCESS(f"{action}.")
            + f"\n  Admin:     {admin_url}\n  User name: {username}\n  Password:  {password}\n"
            "  (shown once; `make admin-password` sets a new one)"
        )
