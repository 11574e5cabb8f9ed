"""What an import remembers: which WordPress record became which Caravan object (so a
second run updates instead of duplicating), and the runs started from the admin."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedItemQuerySet(models.QuerySet):
    def find(self, kind, key):
        return self.filter(kind=kind, key=str(key)).first()

    def objects_of(self, kind):
        """WordPress key → object id of every imported record of one kind."""
        return dict(self.filter(kind=kind).values_list("key", "object_id"))


class ImportedItem(models.Model):
    """One WordPress record (post, page, product, attachment, term, lead) and the
    Caravan object it became. `key` is the WordPress ID, the SKU of a product from
    WooCommerce's CSV, or the Flamingo message's own fingerprint; `fingerprint` is a hash
    of the record as last imported, so an unchanged record is skipped on a re-run."""

    kind = models.CharField(_("kind"), max_length=20)
    key = models.CharField(_("WordPress key"), max_length=200)
    guid = models.CharField(_("WordPress GUID"), max_length=500, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(_("object id"))
    fingerprint = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    objects = ImportedItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("imported WordPress record")
        verbose_name_plural = _("imported WordPress records")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="importers_item_kind_key_unique")
        ]

    def __str__(self):
        return f"{self.kind} {self.key}"

    @property
    def target(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)


class ImportRun(models.Model):
    """An import started from the admin (Settings › Import from WordPress): the uploaded
    file, the options chosen, the progress of its background task and its report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    export_file = models.CharField(_("export file"), max_length=500)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("WordPress import")
        verbose_name_plural = _("WordPress imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"
