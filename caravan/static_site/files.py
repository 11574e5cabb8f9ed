"""The file tree: where an address's file lives, and writing it atomically with its
compressed variants beside it."""

import gzip
import hashlib
import os
import tempfile
from pathlib import Path

try:
    import brotli
except ImportError:  # pragma: no cover — whitenoise[brotli] installs it
    brotli = None

# The file name of an address ending in "/" says its type, so nginx's `types` map and the
# embedded fast path send the right Content-Type without a second lookup.
INDEX_NAMES = {
    "text/html": "index.html",
    "application/rss+xml": "index.rss",
    "application/atom+xml": "index.atom",
    "application/xml": "index.xml",
    "text/xml": "index.xml",
}
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
SUFFIX_OF = {"text/plain": ".txt", "application/xml": ".xml", "text/xml": ".xml"}
GZIP_LEVEL = 9
BROTLI_QUALITY = 11  # for the few files a publish re-renders: the smallest result
BUILD_BROTLI_QUALITY = 5  # for a full rebuild: 40 times faster, about 10% larger
LARGE_BYTES = 512 * 1024
COMPRESS_MIN_BYTES = 256  # below this a compressed copy saves nothing worth a file


def relative_path(url, content_type):
    """The file of a site-relative address, or None when it cannot be a file (a query
    string, a path that escapes the tree, or a type with no file name)."""
    kind = content_type.split(";")[0].strip().lower()
    if "?" in url or not url.startswith("/") or "\x00" in url:
        return None
    parts = [p for p in url.split("/") if p]
    if any(p in (".", "..") or p.startswith(".") for p in parts):
        return None
    if url.endswith("/"):
        name = INDEX_NAMES.get(kind)
        return "/".join([*parts, name]) if name else None
    suffix = SUFFIX_OF.get(kind)
    if suffix and parts and parts[-1].endswith(suffix):
        return "/".join(parts)
    return None


def digest(body):
    return hashlib.sha256(body).hexdigest()


def etag(stat):
    """The entity tag of a file as nginx makes it (and WhiteNoise, for /static/): its
    modification time in whole seconds and its size, in hex. The embedded fast path sends
    the same, so a browser or CDN revalidates alike whichever of the two answers; `_replace`
    keeps it a strong tag (new bytes never keep an old tag)."""
    return f'"{int(stat.st_mtime):x}-{stat.st_size:x}"'


def _replace(target, data):
    """Write `data` to a temporary file beside `target`, then rename it over `target`:
    a reader sees the old bytes or the new ones, never half of them.

    Files are rewritten only when their bytes change, and the new file is always dated
    at least a second after the old one (two publishes within a second): its
    Last-Modified and its ETag (size and time, see `etag`) change with its bytes."""
    try:
        before = os.stat(target)
    except OSError:
        before = None
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        if before is not None and int(os.stat(tmp).st_mtime) <= int(before.st_mtime):
            later = int(before.st_mtime) + 1
            os.utime(tmp, (later, later))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def replace_if_changed(target, data):
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        if target.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    _replace(target, data)


def write(root, rel, body, brotli_quality=BROTLI_QUALITY):
    """Write one file and its .gz and .br variants. Returns False (and touches nothing)
    when the file already holds exactly these bytes."""
    target = Path(root) / rel
    try:
        if target.read_bytes() == body:
            return False
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    gz = Path(f"{target}.gz")
    br = Path(f"{target}.br")
    if len(body) >= COMPRESS_MIN_BYTES:
        # The variants first: while they are replaced, the old plain file still matches
        # the old variants, and afterwards all three match.
        _replace(gz, gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0))
        if brotli is not None:
            # Brotli's best quality costs seconds on a large file (a sitemap of 20,000
            # pages): those get the fast setting.
            quality = brotli_quality if len(body) < LARGE_BYTES else BUILD_BROTLI_QUALITY
            _replace(br, brotli.compress(body, quality=quality))
        else:
            br.unlink(missing_ok=True)
    else:
        gz.unlink(missing_ok=True)
        br.unlink(missing_ok=True)
    _replace(target, body)
    return True


def remove(root, rel):
    """Delete a file, its variants and the directories left empty."""
    root = Path(root)
    target = root / rel
    for path in (target, Path(f"{target}.gz"), Path(f"{target}.br")):
        path.unlink(missing_ok=True)
    parent = target.parent
    while parent != root and root in parent.parents:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent
