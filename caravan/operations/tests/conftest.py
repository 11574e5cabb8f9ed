"""Fixtures of the operations tests: scratch PostgreSQL databases and process helpers."""

import uuid

import pytest

from caravan.testing import services


@pytest.fixture(scope="session")
def postgres_server():
    """URL of a reachable PostgreSQL server's maintenance database (see
    caravan.testing.services.postgres_server_url); skips (or fails in CI) without one."""
    url, problem = services.postgres_server_url()
    if problem:
        services.skip_or_fail(problem)
    return url


@pytest.fixture
def scratch_postgres(postgres_server):
    """A factory of empty PostgreSQL databases, dropped after the test; returns URLs."""
    import psycopg

    created = []

    def make():
        name = f"caravan_scratch_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return postgres_server.rsplit("/", 1)[0] + f"/{name}"

    yield make
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        for name in created:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory):
    """A migrated, empty SQLite database file, made once per session (migrating takes
    about twenty seconds); tests copy it rather than migrate again."""
    from caravan.testing.processes import clean_environment, manage

    directory = tmp_path_factory.mktemp("sqlite-template")
    path = directory / "template.sqlite3"
    manage(
        "migrate",
        "--verbosity=0",
        env=clean_environment(
            DJANGO_SETTINGS_MODULE="caravan.settings.test",
            DATABASE_URL=f"sqlite:///{path}",
            CARAVAN_VAR_DIR=directory,
        ),
    )
    return path


@pytest.fixture
def fresh_sqlite(migrated_sqlite_template, tmp_path):
    """The URL of a migrated, empty SQLite database of this test's own."""
    import shutil

    path = tmp_path / "fresh.sqlite3"
    shutil.copyfile(migrated_sqlite_template, path)
    return f"sqlite:///{path}"
