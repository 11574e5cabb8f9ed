"""Backup and restore of a whole installation: database, media and private files in one archive.

The database goes into the archive as Django fixtures (JSON lines; primary keys kept,
content types and permissions referred to by natural key because `migrate` numbers
them afresh in the target), taken from a consistent snapshot:

- PostgreSQL: one READ ONLY transaction at REPEATABLE READ isolation, so every table
  is read as of the same instant while the site keeps taking writes;
- SQLite: SQLite's online backup API copies the file to a private snapshot first
  (readers and writers carry on; WAL mode), and the fixtures are read from that copy.

Why fixtures rather than pg_dump: one format for both engines, so a small supplier's
SQLite installation can move to PostgreSQL by backup and restore; no client binary
whose version must match the server's; and the restore checks every row count against
the manifest. For very large databases, add the database's own tools (pg_dump, WAL
archiving) on top; docs/deploy.md says how.

Archive layout (``.tar.gz``, written with mode 0600 — it holds password hashes and
the visitors' messages)::

    manifest.json   format, time, engine, snapshot method, applied migrations,
                    row count per model, media file count and bytes
    data.jsonl      the fixtures
    media/...       every file of the media storage (uploads, renditions, documents)
    private/...     every file of the private storage (attachments of the buyers'
                    e-mails and inquiries; never under a public address)
"""

import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import unicodedata
import zlib
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import File
from django.core.files.storage import InvalidStorageError, default_storage, storages
from django.core.management import call_command
from django.core.serializers import jsonl
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import post_save

FORMAT = "caravan-backup/1"

# Rebuilt or recreated on their own, or only meaningful while the site runs.
EXCLUDED_APPS = {
    "contenttypes",  # recreated by migrate; rows refer to them by natural key
    "sessions",  # sign-ins do not survive a restore
    "axes",  # sign-in throttling state
    "wagtailsearch",  # the search index (and SQLite's FTS table): rebuilt after restore
    "modelsearch",  # likewise, where Wagtail's search runs on django-modelsearch
}
EXCLUDED_MODELS = {
    "auth.permission",  # recreated by migrate, like content types
    "operations.heartbeat",
    "operations.taskprobe",
}
SNAPSHOT_ALIAS = "caravan_backup_snapshot"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


class FixtureSerializer(jsonl.Serializer):
    """JSON-lines fixtures that keep every primary key and name only content types and
    permissions by natural key. (Django's `dumpdata --natural-foreign` would follow every
    foreign key to a model with a natural key, and fails on the dangling page references
    Wagtail's logs keep on purpose.)"""

    NATURAL = (ContentType, Permission)

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = issubclass(field.remote_field.model, self.NATURAL)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = issubclass(field.remote_field.model, self.NATURAL)
        super().handle_m2m_field(obj, field)


def backed_up_models(using):
    """The models whose rows go into a backup, in a stable order."""
    from django.db import router

    chosen = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not router.allow_migrate_model(using, model):
            continue
        if meta.app_label in EXCLUDED_APPS or meta.label_lower in EXCLUDED_MODELS:
            continue
        chosen.append(model)
    return sorted(chosen, key=lambda m: m._meta.label_lower)


def dump_fixtures(alias, out):
    """Write every backed-up row of database `alias` to the text stream `out`; return
    the row count per model label."""
    counts = {}
    serializer = FixtureSerializer()
    for model in backed_up_models(alias):
        queryset = model._base_manager.using(alias).order_by(model._meta.pk.name)
        counted = CountingIterator(queryset.iterator(chunk_size=2000))
        serializer.serialize(counted, stream=out)
        if counted.count:
            counts[model._meta.label] = counted.count
    return counts


class CountingIterator:
    def __init__(self, iterable):
        self.iterable = iterable
        self.count = 0

    def __iter__(self):
        for item in self.iterable:
            self.count += 1
            yield item


def default_archive_path(directory):
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(directory) / f"caravan-backup-{stamp}.tar.gz"


@contextmanager
def _snapshot(using):
    """Yield (alias, method): a database alias whose contents stand still while the
    fixtures are read, and how that was achieved."""
    connection = connections[using]
    if connection.in_atomic_block:
        # The caller's own transaction is the snapshot (tests, or a caller that knows).
        yield using, "caller-transaction"
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield using, "postgresql-repeatable-read"
        return
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory(prefix="caravan-snapshot-") as tmp:
            path = Path(tmp) / "snapshot.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(path)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            settings_dict = dict(connections.settings[using])
            settings_dict.update(NAME=str(path), OPTIONS={}, TEST={})
            connections.settings[SNAPSHOT_ALIAS] = settings_dict
            try:
                yield SNAPSHOT_ALIAS, "sqlite-online-backup"
            finally:
                connections[SNAPSHOT_ALIAS].close()
                del connections[SNAPSHOT_ALIAS]
                del connections.settings[SNAPSHOT_ALIAS]
        return
    with transaction.atomic(using=using):
        yield using, "transaction"


def _media_files(storage, directory=""):
    """Every file name in `storage`, walking directories."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # a media directory nothing was uploaded to yet
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(directories):
        yield from _media_files(storage, f"{directory}/{sub}" if directory else sub)


def _by_app(migration_keys):
    by_app = {}
    for app_label, name in sorted(migration_keys):
        by_app.setdefault(app_label, []).append(name)
    return by_app


def _add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def write_backup(path, *, using="default", storage=None, stdout=None):
    """Write database and media into the archive at `path`; return the manifest."""
    storage = storage or default_storage
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    say = stdout.write if stdout else (lambda message: None)

    with tempfile.TemporaryDirectory(prefix="caravan-backup-") as tmp:
        data_path = Path(tmp) / "data.jsonl"
        with _snapshot(using) as (alias, method):
            with data_path.open("w", encoding="utf-8") as out:
                counts = dump_fixtures(alias, out)
            applied = sorted(MigrationRecorder(connections[alias]).applied_migrations())
        say(f"Database: {sum(counts.values())} rows of {len(counts)} models ({method}).")

        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        totals = {}
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(data_path, arcname="data.jsonl")
            for directory, files_storage in _file_storages(storage).items():
                totals[directory] = _add_storage(archive, directory, files_storage)
            manifest = {
                "format": FORMAT,
                "created_at": datetime.now(UTC).isoformat(),
                "database": {"vendor": connections[using].vendor, "snapshot": method},
                "migrations": _by_app(applied),
                "objects": dict(sorted(counts.items())),
                **totals,
            }
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
    say(f"Media: {totals[MEDIA_DIR]['files']} files, {totals[MEDIA_DIR]['bytes']} bytes.")
    if PRIVATE_DIR in totals:
        private = totals[PRIVATE_DIR]
        say(f"Private files: {private['files']} files, {private['bytes']} bytes.")
    return manifest


def _file_storages(media_storage):
    """The storages a backup holds, by their directory in the archive: the media
    (uploads, renditions, documents) and, where configured, the private storage (files
    that came with the buyers' e-mails and inquiries, never public)."""
    found = {MEDIA_DIR: media_storage}
    with suppress(InvalidStorageError):
        found[PRIVATE_DIR] = storages["private"]
    return found


def _add_storage(archive, directory, storage):
    files = size = 0
    for name in _media_files(storage):
        info = tarfile.TarInfo(f"{directory}/{name}")
        info.size = storage.size(name)
        info.mode = 0o600
        info.mtime = int(storage.get_modified_time(name).timestamp())
        with storage.open(name, "rb") as handle:
            archive.addfile(info, handle)
        files += 1
        size += info.size
    return {"files": files, "bytes": size}


def installation_contents(using="default"):
    """What an installation holds beyond what migrations create: {kind: count}."""
    from django.contrib.auth import get_user_model
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    basic_page = Page.objects.using(using).filter(depth=2, content_type__model="page")
    basic_page = basic_page.filter(content_type__app_label="wagtailcore")
    contents = {
        "pages": Page.objects.using(using)
        .filter(depth__gte=2)
        .exclude(pk__in=basic_page.values("pk")),
        "users": get_user_model().objects.using(using),
        "images": get_image_model().objects.using(using),
        "documents": get_document_model().objects.using(using),
    }
    return {kind: qs.count() for kind, qs in contents.items() if qs.exists()}


TOP_LEVEL_FILES = ("manifest.json", "data.jsonl")
MEDIA_DIR = "media"
PRIVATE_DIR = "private"
FILE_DIRS = (MEDIA_DIR, PRIVATE_DIR)


def _member_problem(member):
    """Why this archive member cannot be part of a Caravan backup, or "" when it can:
    a regular file or a directory, named `manifest.json`, `data.jsonl`, `media/...` or
    `private/...`,
    by a plain relative path (no absolute path, no `..`, no control characters)."""
    if member.issym() or member.islnk():
        return f"is a link (to {member.linkname!r})"
    if member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.DIRTYPE):
        return "is neither a regular file nor a directory"
    name = member.name
    if name.startswith("/") or "\\" in name:
        return "is not a relative path"
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return "has a control character in its name"
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "is not a plain path (empty, '.' or '..' parts)"
    if member.isdir():
        if parts[0] not in FILE_DIRS:
            return "is a directory outside media/ and private/"
    elif not (
        (len(parts) == 1 and name in TOP_LEVEL_FILES) or (len(parts) > 1 and parts[0] in FILE_DIRS)
    ):
        return (
            "is not a file a Caravan backup holds "
            "(manifest.json, data.jsonl, media/..., private/...)"
        )
    return ""


def _checked_members(archive, path):
    """Every member of the archive, once each has been checked: (files, directories).
    Raises BackupError naming the first member that a Caravan backup cannot hold."""
    files, directories = {}, set()
    for member in archive:
        problem = _member_problem(member)
        name = member.name.rstrip("/")
        if not problem and (name in files or (member.isdir() and name in directories)):
            problem = "occurs twice"
        if problem:
            raise BackupError(
                f"{path} is not a Caravan backup: its member {member.name!r} {problem}. "
                "Nothing was restored."
            )
        if member.isdir():
            directories.add(name)
        else:
            files[name] = member
    for name in files:
        parents = name.split("/")[:-1]
        for depth in range(1, len(parents) + 1):
            if "/".join(parents[:depth]) in files:
                raise BackupError(
                    f"{path} is not a Caravan backup: {name!r} lies inside the file "
                    f"{'/'.join(parents[:depth])!r}. Nothing was restored."
                )
        if name in directories:
            raise BackupError(
                f"{path} is not a Caravan backup: {name!r} is both a file and a directory. "
                "Nothing was restored."
            )
    return files


def _copy_out(archive, files, tmp):
    """Write the checked regular files under `tmp`, which this process created empty and
    where it makes only directories and regular files: no link can be there for a name
    to lead through, and O_EXCL | O_NOFOLLOW refuse any that somehow were."""
    root = Path(tmp)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for name, member in files.items():
        target = root.joinpath(*name.split("/"))
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        source = archive.extractfile(member)
        with source, os.fdopen(os.open(target, flags, 0o600), "wb") as out:
            shutil.copyfileobj(source, out)


def _read_archive(path, tmp):
    """Check every member of the archive at `path`, then copy its files into `tmp`
    (only then is anything written); return the manifest. tarfile's own extraction is
    not used: its filters have been bypassed (2025) and Python 3.11 may lack them."""
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            files = _checked_members(archive, path)
            if not all(name in files for name in TOP_LEVEL_FILES):
                raise BackupError(
                    f"{path} is not a Caravan backup (no manifest.json or data.jsonl)."
                )
            _copy_out(archive, files, tmp)
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BackupError(f"{path} is not a readable Caravan backup ({exc}).") from exc
    try:
        manifest = json.loads((Path(tmp) / "manifest.json").read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BackupError(f"{path} is not a Caravan backup (manifest.json: {exc}).") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupError(f"{path} has format {found!r}; this version reads {FORMAT!r}.")
    if not all(isinstance(manifest.get(key), dict) for key in ("migrations", "objects")):
        raise BackupError(f"{path} is not a Caravan backup (manifest.json is incomplete).")
    return manifest


def _check_migrations(manifest):
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        (app_label, name)
        for app_label, names in manifest["migrations"].items()
        for name in names
        if (app_label, name) not in known
    ]
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            "The backup was made by a newer version of Caravan (unknown migrations: "
            f"{names}{', …' if len(unknown) > 5 else ''}). Restore it with that version."
        )


def _model_counts(using, labels):
    return {label: apps.get_model(label)._base_manager.using(using).count() for label in labels}


def _permissions(using):
    """The installation's permissions, so that those a migration made (e.g.
    wagtail-localize's "Can submit translations") can be put back after `flush`, which
    recreates only the permissions that models declare, before the groups that hold
    them are loaded."""
    return list(
        Permission.objects.using(using).values_list(
            "content_type__app_label", "content_type__model", "codename", "name"
        )
    )


def _recreate_permissions(using, permissions):
    for app_label, model, codename, name in permissions:
        content_type, _ = ContentType.objects.db_manager(using).get_or_create(
            app_label=app_label, model=model
        )
        Permission.objects.db_manager(using).get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
    # Natural-key look-ups go through ContentType's cache, which still holds the ids
    # from before the flush.
    ContentType.objects.clear_cache()


@contextmanager
def _without_tree_sync():
    """wagtail-localize synchronises the language trees whenever a LocaleSynchronization
    row is saved, even by loaddata (its receiver ignores `raw`), and then reads locales
    that may not be loaded yet. The backup holds the synchronised pages already."""
    from wagtail_localize.models import LocaleSynchronization, sync_trees_on_locale_sync_save

    post_save.disconnect(sync_trees_on_locale_sync_save, sender=LocaleSynchronization)
    try:
        yield
    finally:
        post_save.connect(sync_trees_on_locale_sync_save, sender=LocaleSynchronization)


def restore_backup(path, *, using="default", storage=None, force=False, stdout=None):
    """Restore the archive at `path` into this installation; return the manifest.

    Refuses an installation that holds content unless `force` (then everything in the
    database is replaced; media files of the same name are overwritten)."""
    storage = storage or default_storage
    say = stdout.write if stdout else (lambda message: None)
    with tempfile.TemporaryDirectory(prefix="caravan-restore-") as tmp:
        manifest = _read_archive(path, tmp)
        _check_migrations(manifest)
        call_command("migrate", database=using, interactive=False, verbosity=0)
        contents = installation_contents(using)
        if contents and not force:
            held = ", ".join(f"{count} {kind}" for kind, count in contents.items())
            raise BackupError(
                f"This installation is not empty ({held}); restoring would replace it. "
                "Restore into an empty installation, or pass --force to replace everything."
            )
        with transaction.atomic(using=using):
            kept = _permissions(using)
            call_command("flush", database=using, interactive=False, verbosity=0)
            _recreate_permissions(using, kept)
            with _without_tree_sync():
                call_command("loaddata", str(Path(tmp) / "data.jsonl"), database=using, verbosity=0)
            found = _model_counts(using, manifest["objects"])
            wrong = {
                label: (found[label], expected)
                for label, expected in manifest["objects"].items()
                if found[label] != expected
            }
            if wrong:
                raise BackupError(f"Row counts differ after loading (found, expected): {wrong}")
        say(f"Database: {sum(manifest['objects'].values())} rows restored.")

        for directory, files_storage in _file_storages(storage).items():
            restored = _restore_storage(Path(tmp) / directory, files_storage)
            label = "Media" if directory == MEDIA_DIR else "Private files"
            say(f"{label}: {restored} files restored.")
    call_command("update_index", verbosity=0)
    say("Search index rebuilt.")
    return manifest


def _restore_storage(root, storage):
    restored = 0
    for file_path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = file_path.relative_to(root).as_posix()
        if storage.exists(name):
            storage.delete(name)
        with file_path.open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"File {root.name}/{name} was stored as {saved}.")
        restored += 1
    return restored
