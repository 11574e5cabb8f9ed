"""A system check (shown by `manage.py check`, `make run` and `make test`): tells in
one line what to install when the quotation PDFs cannot be made here."""

from django.core import checks


@checks.register()
def pdf_support(app_configs=None, **kwargs):
    from .documents import DEBIAN_PACKAGES, weasyprint_problem

    problem = weasyprint_problem()
    if problem:
        return [
            checks.Warning(
                problem,
                hint=f"apt-get install -y {DEBIAN_PACKAGES}",
                id="quotations.W001",
            )
        ]
    return []
