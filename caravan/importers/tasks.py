"""The background task of an import started in the admin (django-tasks; `manage.py
db_worker` runs it): it records its progress and, at the end, its report."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def run_wordpress_import(run_id):
    from .models import ImportRun
    from .wordpress import WordPressImport
    from .wxr import WXRError

    run = ImportRun.objects.get(pk=run_id)
    ImportRun.objects.filter(pk=run_id).update(status=ImportRun.Status.RUNNING, progress=0)
    last = [-1]

    def progress(share, label):
        percent = int(share * 100)
        if percent != last[0]:
            last[0] = percent
            ImportRun.objects.filter(pk=run_id).update(progress=percent)

    options = run.options
    try:
        report = WordPressImport(
            options.get("export") or None,
            media_url=options.get("media_url") or None,
            dry_run=bool(options.get("dry_run")),
            fetch_posters=bool(options.get("fetch_posters")),
            products_csv=options.get("products") or None,
            leads_csv=options.get("leads") or None,
            progress=progress,
        ).run()
    except (WXRError, OSError) as exc:
        ImportRun.objects.filter(pk=run_id).update(status=ImportRun.Status.FAILED, error=str(exc))
        return "failed"
    except Exception as exc:
        logger.exception("WordPress import %s failed", run_id)
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportRun.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"
        )
        raise
    ImportRun.objects.filter(pk=run_id).update(
        status=ImportRun.Status.DONE,
        progress=100,
        report={**report.as_dict(), "lines": report.lines()},
    )
    return "done"
