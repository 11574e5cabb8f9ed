"""Existing inquiries get their status (Spam for suspected spam) and buyer thread; the
"Sales" group is created: it sees the lead inbox and works leads, and has no page
permissions, so its members cannot edit pages."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SALES_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("inquiries", "inquiry", "view_inquiry"),
    ("inquiries", "inquiry", "change_inquiry"),
    ("inquiries", "inquiry", "delete_inquiry"),
    ("inquiries", "assignmentrule", "view_assignmentrule"),
    ("inquiries", "assignmentrule", "add_assignmentrule"),
    ("inquiries", "assignmentrule", "change_assignmentrule"),
    ("inquiries", "assignmentrule", "delete_assignmentrule"),
    ("inquiries", "inboxsettings", "change_inboxsettings"),
]


def contact_key(row):
    if row.contact_kind == "phone" and row.contact_phone:
        return row.contact_phone
    return (row.contact or "").strip().lower()


def backfill(apps, schema_editor):
    Inquiry = apps.get_model("inquiries", "Inquiry")
    Inquiry.objects.filter(is_spam=True).update(status="spam")
    last_by_key = {}
    for row in Inquiry.objects.order_by("created_at", "pk").only(
        "pk", "contact", "contact_kind", "contact_phone"
    ):
        key = contact_key(row)
        Inquiry.objects.filter(pk=row.pk).update(
            contact_key=key, earlier_inquiry_id=last_by_key.get(key)
        )
        if key:
            last_by_key[key] = row.pk


def create_sales_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="Sales")
    for app_label, model, codename in SALES_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        ).first()
        if permission:
            group.permissions.add(permission)


def remove_sales_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Sales").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0002_lead_inbox"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_sales_group, remove_sales_group),
    ]
