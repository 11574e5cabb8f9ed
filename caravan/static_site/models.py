"""The record of the rendered file tree: one row per file, with what it read."""

from django.db import models


class PublicFile(models.Model):
    """A public address rendered to a file under CARAVAN_PUBLIC_DIR."""

    url = models.CharField(max_length=1000, unique=True)  # site-relative, e.g. /en/news/
    path = models.CharField(max_length=1000)  # relative to the public directory
    page_id = models.IntegerField(null=True, db_index=True)  # the page whose route it is
    content_type = models.CharField(max_length=100)
    digest = models.CharField(max_length=64)  # sha256 of the bytes
    rendered_at = models.DateTimeField()

    def __str__(self):
        return self.url


class PublicFileDependency(models.Model):  # noqa: DJ008
    """One thing a file showed when it was rendered (see caravan/core/tracking.py for the keys)."""

    file = models.ForeignKey(PublicFile, on_delete=models.CASCADE, related_name="dependencies")
    key = models.CharField(max_length=120, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["file", "key"], name="static_site_dependency_once")
        ]
