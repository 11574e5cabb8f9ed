"""`manage.py restore` on crafted archives: every member is checked before anything is
written, so links, absolute names, `..` and names a backup does not hold are refused with
a clear message, and nothing lands outside the restore's own scratch directory (nor in
the media storage). Includes the 2025 tarfile filter bypass (chained long directory names
and symlinks that make `os.path.realpath` stop resolving)."""

import io
import json
import os
import tarfile
import tempfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from caravan.operations import backup

pytestmark = pytest.mark.django_db

PATH_MAX = 4096


def _add(archive, name, data=b"", kind=tarfile.REGTYPE, linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    if kind in (tarfile.REGTYPE, tarfile.AREGTYPE):
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    else:
        archive.addfile(info)


def _backup_with(path, *members):
    """A .tar.gz that holds a valid manifest and data file and then `members`, each
    (name, data, kind, linkname)."""
    manifest = {"format": backup.FORMAT, "migrations": {}, "objects": {}, "media": {}}
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as archive:
        _add(archive, "manifest.json", json.dumps(manifest).encode())
        _add(archive, "data.jsonl", b"")
        for member in members:
            _add(archive, *member)
    return path


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """The restore's scratch directory lives in tmp_path/work (so that a name that
    climbs out of it lands where the test can look) and tmp_path/outside is the place an
    attack aims at, holding one file it would like to overwrite."""
    work = tmp_path / "work"
    work.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("untouched")
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    return work, outside


def _written_outside(tmp_path, work):
    """Every file under tmp_path except the archives, the victim and the scratch
    directory's (which must be gone too)."""
    found = []
    for root, dirs, files in os.walk(tmp_path, followlinks=False):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            path = os.path.join(root, name)
            if name.endswith(".tar.gz") or name == "victim.txt":
                continue
            found.append(os.path.relpath(path, tmp_path))
    return found


def _restore_refused(archive):
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive))
    return str(refused.value)


def _chained_symlink_escape(work, target):
    """The members of CVE-2025-4517's archive: symlinks a, b, c… through directories
    with names so long that the resolved path passes PATH_MAX; there `os.path.realpath`
    gives up resolving and answers a path inside the destination, which the kernel,
    following the links for real, does not. `media/escape` then leads to `target`
    (relative to the parent of the restore's scratch directory)."""
    dest_length = len(str(work)) + len("/caravan-restore-") + 8 + len("/media")
    steps = "abcdefghijklmnop"
    # Resolved, the chain of directories stays just under PATH_MAX; one more name of
    # 254 characters passes it.
    length = (PATH_MAX - 200 - dest_length) // len(steps) - 1
    assert 100 < length < 255
    component = "d" * length
    members = []
    path = "media/"
    for step in steps:
        members.append((f"{path}{component}", b"", tarfile.DIRTYPE))
        members.append((f"{path}{step}", b"", tarfile.SYMTYPE, component))
        path = f"{path}{component}/"
    link = "/".join(steps) + "/" + "l" * 254
    members.append((f"media/{link}", b"", tarfile.SYMTYPE, "../" * len(steps)))  # → media/
    members.append(("media/escape", b"", tarfile.SYMTYPE, f"{link}/../../../{target}"))
    members.append(("media/escape/planted.txt", b"written through the escape"))
    return members


@pytest.mark.parametrize(
    ("attack", "expected"),
    [
        pytest.param(
            lambda work, outside: [
                ("media/original_images", b"", tarfile.SYMTYPE, str(outside)),
                ("media/original_images/planted.txt", b"x"),
            ],
            "'media/original_images' is a link",
            id="symlink",
        ),
        pytest.param(
            lambda work, outside: [("media/rel", b"", tarfile.SYMTYPE, "../../../outside")],
            "'media/rel' is a link",
            id="relative-symlink",
        ),
        pytest.param(
            lambda work, outside: [
                ("media/hard", b"", tarfile.LNKTYPE, str(outside / "victim.txt")),
                ("media/hard", b"overwritten"),
            ],
            "'media/hard' is a link",
            id="hard-link",
        ),
        pytest.param(
            lambda work, outside: [("media/../../planted.txt", b"x")],
            "'media/../../planted.txt' is not a plain path",
            id="dot-dot",
        ),
        pytest.param(
            lambda work, outside: [("../planted.txt", b"x")],
            "'../planted.txt' is not a plain path",
            id="dot-dot-top",
        ),
        pytest.param(
            lambda work, outside: [(str(outside / "planted.txt"), b"x")],
            "is not a relative path",
            id="absolute",
        ),
        pytest.param(
            lambda work, outside: [("media/pipe", b"", tarfile.FIFOTYPE)],
            "'media/pipe' is neither a regular file nor a directory",
            id="fifo",
        ),
        pytest.param(
            lambda work, outside: [("static/site.css", b"x")],
            "'static/site.css' is not a file a Caravan backup holds",
            id="foreign-name",
        ),
        pytest.param(
            lambda work, outside: _chained_symlink_escape(work, "outside"),
            "'media/a' is a link",
            id="cve-2025-4517-chained-symlinks",
        ),
    ],
)
def test_a_crafted_archive_is_refused_before_anything_is_written(
    tmp_path, scratch, attack, expected
):
    work, outside = scratch
    archive = _backup_with(tmp_path / "crafted.tar.gz", *attack(work, outside))
    message = _restore_refused(archive)
    assert "is not a Caravan backup" in message and expected in message, message
    assert "Nothing was restored." in message
    assert (outside / "victim.txt").read_text() == "untouched"
    assert _written_outside(tmp_path, work) == []
    assert list(work.iterdir()) == []  # the scratch directory is gone as well
    assert not default_storage.exists("original_images/planted.txt")
    assert not default_storage.exists("hard")


def test_a_member_named_twice_or_a_file_inside_a_file_is_refused(tmp_path, scratch):
    twice = _backup_with(tmp_path / "twice.tar.gz", ("media/a.jpg", b"1"), ("media/a.jpg", b"2"))
    assert "'media/a.jpg' occurs twice" in _restore_refused(twice)
    nested = _backup_with(tmp_path / "nested.tar.gz", ("media/a", b"1"), ("media/a/b", b"2"))
    assert "'media/a/b' lies inside the file 'media/a'" in _restore_refused(nested)


def test_a_manifest_that_is_not_json_gets_a_clear_message(tmp_path, scratch):
    path = tmp_path / "broken.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        _add(archive, "manifest.json", b"{not json")
        _add(archive, "data.jsonl", b"")
    message = _restore_refused(path)
    assert "is not a Caravan backup (manifest.json:" in message
