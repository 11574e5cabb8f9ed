"""Settings › Import from WordPress: upload the export file (and, if wanted, the
products and inquiries CSV files), choose the options, and follow the import running
as a background task until its report is there. For administrators only."""

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import ImportRun
from .tasks import run_wordpress_import

MAX_UPLOAD_BYTES = 1024 * 1024 * 1024  # the export of a large site is a few hundred MB


def upload_dir():
    """Uploaded export files are kept out of the public media, under var/imports/."""
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


class ImportForm(forms.Form):
    export = forms.FileField(
        label=_("WordPress export file"),
        help_text=_("In WordPress: Tools › Export › All content › Download Export File (.xml)."),
    )
    products = forms.FileField(
        label=_("WooCommerce products (CSV)"),
        required=False,
        help_text=_(
            "Optional: WooCommerce › Products › Export, if the products are not in the export file."
        ),
    )
    leads = forms.FileField(
        label=_("Past inquiries (Flamingo CSV)"),
        required=False,
        help_text=_("Optional: Flamingo › Inbound Messages › Export. They are never e-mailed."),
    )
    media_url = forms.URLField(
        label=_("Fetch pictures and files from"),
        required=False,
        assume_scheme="https",
        help_text=_("The old site's address; empty: the address written in the export file."),
    )
    fetch_posters = forms.BooleanField(
        label=_("Fetch the videos' posters from YouTube and Vimeo"),
        required=False,
        help_text=_("Otherwise a video shows the post's featured image, or no poster."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: only show the report, change nothing"), required=False
    )

    def clean_export(self):
        return self._checked(self.cleaned_data["export"], (".xml",))

    def clean_products(self):
        return self._checked(self.cleaned_data.get("products"), (".csv",))

    def clean_leads(self):
        return self._checked(self.cleaned_data.get("leads"), (".csv",))

    @staticmethod
    def _checked(upload, suffixes):
        if not upload:
            return upload
        if not upload.name.lower().endswith(suffixes):
            raise forms.ValidationError(
                gettext("Choose a %(kind)s file.") % {"kind": " / ".join(suffixes)}
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(gettext("The file is larger than 1 GB."))
        return upload


def _store(upload, suffix):
    target = upload_dir() / f"{uuid.uuid4().hex}{suffix}"
    with open(target, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return str(target)


def _require_admin(request):
    if not request.user.is_superuser:
        raise PermissionDenied


def import_view(request):
    _require_admin(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        options = {
            "export": _store(data["export"], ".xml"),
            "products": _store(data["products"], ".csv") if data.get("products") else "",
            "leads": _store(data["leads"], ".csv") if data.get("leads") else "",
            "media_url": data.get("media_url") or "",
            "dry_run": bool(data.get("dry_run")),
            "fetch_posters": bool(data.get("fetch_posters")),
        }
        with transaction.atomic():
            run = ImportRun.objects.create(
                created_by=request.user,
                export_file=options["export"],
                original_name=data["export"].name[:255],
                options=options,
            )
            transaction.on_commit(lambda: run_wordpress_import.enqueue(run.pk))
        return HttpResponseRedirect(reverse("wordpress_import:run", args=[run.pk]))
    return TemplateResponse(
        request,
        "importers/admin/import.html",
        {
            "form": form,
            "runs": ImportRun.objects.all()[:10],
            "page_title": gettext("Import from WordPress"),
        },
    )


def run_view(request, pk):
    _require_admin(request)
    run = get_object_or_404(ImportRun, pk=pk)
    return TemplateResponse(
        request,
        "importers/admin/run.html",
        {
            "run": run,
            "running": run.status in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING),
            "lines": run.report.get("lines", []),
            "page_title": gettext("Import from WordPress"),
        },
    )
