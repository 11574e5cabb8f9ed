"""The scheduler of periodic jobs (`manage.py run_periodic`): each job declared with
`@periodic` runs when it is due, and one failing job does not stop the others."""

import io

import pytest
from django.core.management import call_command

from caravan.core import periodic
from caravan.operations import scheduler


@pytest.fixture
def declared(monkeypatch):
    """Two jobs declared the way apps declare theirs (and nothing else)."""
    monkeypatch.setattr(periodic, "REGISTRY", {})
    monkeypatch.setattr(scheduler, "REGISTRY", periodic.REGISTRY)
    monkeypatch.setattr(scheduler, "_next_run", {})
    ran = []

    @periodic.periodic(seconds=60)
    def every_minute():
        ran.append("minute")

    @periodic.periodic(seconds=10)
    def every_ten_seconds():
        ran.append("ten")
        raise RuntimeError("this job fails")

    return ran


@pytest.mark.django_db
def test_each_job_runs_when_it_is_due_and_a_failing_one_stops_no_other(declared):
    assert scheduler.run_due(now=1000.0) == 2
    assert sorted(declared) == ["minute", "ten"]
    assert scheduler.run_due(now=1005.0) == 0
    assert scheduler.run_due(now=1010.0) == 1
    assert scheduler.run_due(now=1060.0) == 2
    assert declared.count("minute") == 2 and declared.count("ten") == 3


@pytest.mark.django_db
def test_run_periodic_once_runs_every_declared_job(declared):
    out = io.StringIO()
    call_command("run_periodic", once=True, stdout=out)
    assert out.getvalue().strip() == "Ran 2 periodic job(s)."
    assert sorted(declared) == ["minute", "ten"]
