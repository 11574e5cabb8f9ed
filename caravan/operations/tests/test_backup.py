"""Backup and restore: a backup of the demo site plus new content, restored into a fresh
database (SQLite, and PostgreSQL when one is reachable), gives back every page, every
image file, every user and every waiting task.

Once the Inquiry model exists (issue 5), add inquiries to `extra_content` and check in
VERIFY that every one comes back, with its delivery state."""

import json
import sqlite3
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.test import override_settings
from wagtail.documents import get_document_model
from wagtail.models import Page

from caravan.core.models import CaravanImage, CaravanRendition, HomePage, StandardPage
from caravan.demo.images import scene_image
from caravan.demo.steps import stream
from caravan.inquiries.models import Inquiry
from caravan.operations import backup
from caravan.operations.tasks import probe
from caravan.testing.processes import clean_environment, database_url, manage, python

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

PRIVATE_NAME = "mail/2026/12/drawing-DN100.txt"
PRIVATE_TEXT = "A buyer's drawing, never public"

VERIFY = (
    f"PRIVATE_NAME = {PRIVATE_NAME!r}\n"
    + """
import django, json
django.setup()
from django.core.files.storage import default_storage, storages
from django.contrib.auth import get_user_model
from django.test import Client
from django_tasks_db.models import DBTaskResult
from wagtail.documents import get_document_model
from wagtail.models import Page
from caravan.core.models import CaravanImage, CaravanRendition
from caravan.inquiries.models import Inquiry
client = Client()
pages = {}
for page in Page.objects.live().filter(depth__gt=1).specific():
    response = client.get(page.url)
    pages[page.url] = [response.status_code, page.title in response.content.decode()]
def files(model):
    return {
        obj.file.name: default_storage.size(obj.file.name) if default_storage.exists(obj.file.name) else None
        for obj in model.objects.all()
    }
print(json.dumps({
    "pages": pages,
    "images": files(CaravanImage),
    "renditions": files(CaravanRendition),
    "documents": files(get_document_model()),
    "users": sorted(get_user_model().objects.values_list("username", flat=True)),
    "waiting_tasks": sorted(DBTaskResult.objects.ready().values_list("args_kwargs__args", flat=True)),
    "search": client.get("/en/search/", {"q": "crate"}).content.decode().count("Export packaging"),
    "inquiries": list(Inquiry.objects.values_list("reference", "name", "message", "notification_status")),
    "private": storages["private"].open(PRIVATE_NAME).read().decode() if storages["private"].exists(PRIVATE_NAME) else None,
}))
"""
)


def extra_content(django_user_model):
    """Content a supplier adds after the demo: a page with a new picture, a document,
    an editor, a notification task still waiting for a worker, and an inquiry whose
    e-mails are not sent yet."""
    home = HomePage.objects.get(locale__language_code="en")
    picture = scene_image(
        "Crates ready for the block train", "rail", "Wooden crates stacked beside a container"
    )
    page = StandardPage(
        title="Export packaging",
        slug="export-packaging",
        introduction="How we crate valves for the long rail journey.",
        listing_image=picture,
        body=stream(
            ("heading", {"text": "Sea-worthy crates", "level": "h2"}),
            ("figure", {"image": picture.pk, "alt_text": "", "caption": "Crates", "credit": ""}),
        ),
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    get_document_model().objects.create(
        title="Packing list template",
        file=ContentFile(b"item;quantity\nvalve;12\n", name="packing-list.csv"),
    )
    django_user_model.objects.create_user("restored-editor", password="pw-restored-editor")
    with override_settings(TASKS=DB_TASKS):
        probe.enqueue("waiting-through-the-restore")
    Inquiry.objects.create(
        reference="Q-BKUP-01",
        name="Ольга Петрова",
        contact="olga@teplo-set.example",
        contact_kind="email",
        message="Нужны задвижки DN100 — 40 штук, доставка в Алматы.",
        language="ru",
        country="KZ",
    )
    if storages["private"].exists(PRIVATE_NAME):  # left by the other database's run
        storages["private"].delete(PRIVATE_NAME)
    storages["private"].save(PRIVATE_NAME, ContentFile(PRIVATE_TEXT.encode()))


def source_state(client):
    """What the source installation shows: every live page's status and title, every
    file, after each page was rendered once (so renditions exist)."""
    pages = {}
    for page in Page.objects.live().filter(depth__gt=1).specific():
        response = client.get(page.url)
        pages[page.url] = [response.status_code, page.title in response.content.decode()]

    def files(model):
        return {obj.file.name: default_storage.size(obj.file.name) for obj in model.objects.all()}

    return {
        "pages": pages,
        "images": files(CaravanImage),
        "renditions": files(CaravanRendition),
        "documents": files(get_document_model()),
    }


def restore_into(database_url, archive, tmp_path, *args):
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="caravan.settings.test",
        DATABASE_URL=database_url,
        MEDIA_ROOT=tmp_path / "restored-media",
        CARAVAN_PRIVATE_ROOT=tmp_path / "restored-private",
        CARAVAN_VAR_DIR=tmp_path,
    )
    return env, manage("restore", str(archive), *args, env=env, timeout=600, check=False)


@pytest.fixture
def target(request, tmp_path):
    """The URL of a fresh database: a migrated, empty SQLite file, or a brand-new
    (not even migrated) PostgreSQL database."""
    if request.param == "sqlite":
        return request.getfixturevalue("fresh_sqlite")
    return request.getfixturevalue("scratch_postgres")()


@pytest.mark.parametrize("target", ["sqlite", pytest.param("postgres")], indirect=True)
def test_a_backup_restores_every_page_file_user_and_waiting_task(
    client, django_user_model, tmp_path, target
):
    extra_content(django_user_model)
    expected = source_state(client)
    assert len(expected["pages"]) >= 5
    assert all(status == 200 and titled for status, titled in expected["pages"].values())

    archive = tmp_path / "site.tar.gz"
    manifest = backup.write_backup(archive)
    assert archive.stat().st_mode & 0o777 == 0o600
    assert manifest["media"]["files"] >= len(expected["images"]) + len(expected["renditions"])
    # (The private storage of a test process may hold other tests' files too.)
    assert manifest["private"]["files"] >= 1
    assert manifest["private"]["bytes"] >= len(PRIVATE_TEXT.encode())

    env, result = restore_into(target, archive, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Search index rebuilt." in result.stdout
    verify = python(VERIFY, env={**env, "ALLOWED_HOSTS": "testserver"})
    assert verify.returncode == 0, verify.stderr[-3000:]
    restored = json.loads(verify.stdout.strip().splitlines()[-1])

    assert restored["pages"] == expected["pages"]
    assert restored["images"] == expected["images"]
    # Renditions the source had are back with their files (rendering pages in the new
    # installation may add more: Wagtail may have served some from its cache).
    assert expected["renditions"].items() <= restored["renditions"].items()
    assert None not in restored["renditions"].values()
    assert restored["documents"] == expected["documents"]
    # The buyer's private file is back in the private storage, not among the media.
    assert restored["private"] == PRIVATE_TEXT
    assert "restored-editor" in restored["users"]
    assert [
        args for args in restored["waiting_tasks"] if "waiting-through-the-restore" in args
    ] == [["waiting-through-the-restore"]]
    assert restored["search"] >= 1  # the search index was rebuilt on the new engine
    # The inquiry is back as the buyer wrote it, still waiting for its e-mails to go out.
    assert restored["inquiries"] == [
        [
            "Q-BKUP-01",
            "Ольга Петрова",
            "Нужны задвижки DN100 — 40 штук, доставка в Алматы.",
            "pending",
        ]
    ]

    # A second restore into what is now a full installation is refused…
    _, again = restore_into(target, archive, tmp_path)
    assert again.returncode != 0
    assert "This installation is not empty" in again.stderr
    assert "--force" in again.stderr
    # …unless forced, which replaces everything.
    _, forced = restore_into(target, archive, tmp_path, "--force")
    assert forced.returncode == 0, forced.stderr[-3000:]


def test_a_restore_refuses_what_is_not_a_backup(tmp_path, fresh_sqlite):
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as archive:
        archive.add(__file__, arcname="notes.txt")
    _, result = restore_into(fresh_sqlite, bogus, tmp_path)
    assert result.returncode != 0
    assert "is not a Caravan backup" in result.stderr


def test_a_restore_refuses_a_backup_from_a_newer_version(tmp_path, fresh_sqlite):
    archive = tmp_path / "site.tar.gz"
    backup.write_backup(archive)
    with tarfile.open(archive, "r:gz") as original:
        original.extractall(tmp_path / "unpacked", filter="data")
    manifest_path = tmp_path / "unpacked" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["migrations"]["core"].append("9999_from_the_future")
    manifest_path.write_text(json.dumps(manifest))
    newer = tmp_path / "newer.tar.gz"
    with tarfile.open(newer, "w:gz") as repacked:
        for item in sorted((tmp_path / "unpacked").iterdir()):
            repacked.add(item, arcname=item.name)
    _, result = restore_into(fresh_sqlite, newer, tmp_path)
    assert result.returncode != 0
    assert (
        "newer version of Caravan" in result.stderr and "core.9999_from_the_future" in result.stderr
    )


def test_sqlite_backup_is_an_online_snapshot_that_does_not_wait_for_writers(tmp_path, fresh_sqlite):
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="caravan.settings.test",
        DATABASE_URL=fresh_sqlite,
        MEDIA_ROOT=tmp_path / "media",
        CARAVAN_VAR_DIR=tmp_path,
    )
    manage("load_demo", env=env)
    # A writer holds the write lock with an uncommitted row while the backup runs.
    writer = sqlite3.connect(fresh_sqlite.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO taggit_tag (name, slug) VALUES ('uncommitted', 'uncommitted')")
    try:
        archive = tmp_path / "online.tar.gz"
        result = manage("backup", "--output", str(archive), env=env, timeout=120)
        assert "Backup written" in result.stdout
    finally:
        writer.execute("COMMIT")
        writer.close()
    with tarfile.open(archive, "r:gz") as packed:
        manifest = json.load(packed.extractfile("manifest.json"))
        data = packed.extractfile("data.jsonl").read().decode()
    assert manifest["database"] == {"vendor": "sqlite", "snapshot": "sqlite-online-backup"}
    assert manifest["objects"]["core.HomePage"] == 5  # the demo home in five languages
    assert '"uncommitted"' not in data  # the snapshot holds committed rows only
    assert manifest["media"]["files"] >= 4


@pytest.mark.postgres
def test_postgresql_backup_reads_one_repeatable_read_snapshot(tmp_path):
    # The suite's PostgreSQL database (the demo, committed), backed up by the command
    # operators run, from another process.
    from django.db import connection

    env = clean_environment(
        DJANGO_SETTINGS_MODULE="caravan.settings.test",
        DATABASE_URL=database_url(connection.settings_dict),
        MEDIA_ROOT=tmp_path / "media",
        CARAVAN_VAR_DIR=tmp_path,
    )
    archive = tmp_path / "pg.tar.gz"
    manage("backup", "--output", str(archive), env=env)
    with tarfile.open(archive, "r:gz") as packed:
        manifest = json.load(packed.extractfile("manifest.json"))
    assert manifest["database"] == {
        "vendor": "postgresql",
        "snapshot": "postgresql-repeatable-read",
    }
    assert manifest["objects"]["core.HomePage"] == 5  # the demo home in five languages
