"""The files a buyer sends with an inquiry (drawings, specifications, lists): how many, how
large, which kinds, and how the request body is kept from growing past the limit.

The kind of a file is read from its content (its first bytes, a ZIP's directory), never
from its name: an `.exe` or an HTML page renamed `drawing.pdf` is refused. The limits are
enforced while the body arrives: a body announced larger than the total is refused before
a byte is read, and the upload handler stops reading at the limit, so no request can make
the server hold more than the limit in memory or on disk."""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MB = 1024 * 1024
MAX_FILES = 5
MAX_FILE_SIZE = 10 * MB
MAX_TOTAL_SIZE = 25 * MB
# The form's text fields and the multipart framing around the files.
FORM_OVERHEAD = 1 * MB
MAX_BODY_SIZE = MAX_TOTAL_SIZE + FORM_OVERHEAD

HEAD_SIZE = 64 * 1024


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extension: str


PDF = Kind("PDF", "application/pdf", ".pdf")
PNG = Kind("PNG", "image/png", ".png")
JPEG = Kind("JPEG", "image/jpeg", ".jpg")
GIF = Kind("GIF", "image/gif", ".gif")
WEBP = Kind("WebP", "image/webp", ".webp")
DWG = Kind("DWG", "image/vnd.dwg", ".dwg")
DXF = Kind("DXF", "image/vnd.dxf", ".dxf")
STEP = Kind("STEP", "model/step", ".step")
IGES = Kind("IGES", "model/iges", ".igs")
XLSX = Kind("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
CSV = Kind("CSV", "text/csv", ".csv")
ZIP = Kind("ZIP", "application/zip", ".zip")

ACCEPTED_LABEL = "PDF, PNG, JPEG, GIF, WebP, DWG, DXF, STEP, IGES, XLSX, CSV, ZIP"
# What the file input offers in the browser's dialog (a convenience; the content decides).
ACCEPT_ATTRIBUTE = (
    ".pdf,.png,.jpg,.jpeg,.gif,.webp,.dwg,.dxf,.step,.stp,.iges,.igs,.xlsx,.csv,.zip,"
    "application/pdf,image/png,image/jpeg,image/gif,image/webp"
)

_DXF_ASCII = re.compile(rb"^\s*0\s*\r?\n\s*SECTION\s*\r?\n", re.ASCII)
_MARKUP = re.compile(rb"^\s*<", re.ASCII)


def _read_head(upload):
    upload.seek(0)
    head = upload.read(HEAD_SIZE)
    upload.seek(0)
    return head


def _zip_kind(upload):
    """XLSX or ZIP for a readable ZIP archive, None for one that is not."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)
    return XLSX if "xl/workbook.xml" in names and "[Content_Types].xml" in names else ZIP


def _is_iges(head):
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    return len(first) >= 73 and first[72:73] == b"S" and first[73:80].strip().isdigit()


def _is_csv(head):
    """Plain text in rows of values separated by commas, semicolons or tabs; never markup."""
    if b"\x00" in head or _MARKUP.match(head):
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not a character cut at the end of the sample
            return False
        text = head[: exc.start].decode("utf-8")
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return False
    if any(ch < " " and ch not in "\t\r\n" for ch in text):
        return False
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t")
    except csv.Error:
        return False
    rows = list(csv.reader(io.StringIO("\n".join(lines)), dialect))
    return any(len(row) > 1 for row in rows)


def detect_kind(upload):
    """The kind of an uploaded file, from its content; None when it is none we accept."""
    head = _read_head(upload)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if re.match(rb"AC1\d\d\d", head[:6]):
        return DWG
    if head.startswith(b"AutoCAD Binary DXF") or _DXF_ASCII.match(head):
        return DXF
    if head.startswith(b"ISO-10303-21;"):
        return STEP
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(upload)
    if _is_iges(head):
        return IGES
    if _is_csv(head):
        return CSV
    return None


def clean_filename(name):
    """The file's name as the buyer had it, without a path or control characters."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = "".join(ch for ch in base if ch >= " " and ch != "\x7f").strip()
    return base[:200] or "file"


def check_files(files):
    """([(upload, kind), ...], [message, ...]) for the files sent with an inquiry: every
    problem is described so the buyer can fix it in one go."""
    errors = []
    accepted = []
    if len(files) > MAX_FILES:
        errors.append(
            ngettext(
                "You can send at most %(max)d file with an inquiry; you chose %(count)d.",
                "You can send at most %(max)d files with an inquiry; you chose %(count)d.",
                MAX_FILES,
            )
            % {"max": MAX_FILES, "count": len(files)}
        )
    for upload in files:
        name = clean_filename(upload.name)
        size = upload.size or 0
        if size == 0:
            errors.append(_("“%(name)s” is empty (0 bytes).") % {"name": name})
            continue
        if size > MAX_FILE_SIZE:
            errors.append(
                _("“%(name)s” is %(size)s; each file can be at most %(max)s.")
                % {
                    "name": name,
                    "size": filesizeformat(size),
                    "max": filesizeformat(MAX_FILE_SIZE),
                }
            )
            continue
        kind = detect_kind(upload)
        if kind is None:
            errors.append(
                _(
                    "“%(name)s” is not a kind of file we accept, whatever its name says. "
                    "Send %(kinds)s."
                )
                % {"name": name, "kinds": ACCEPTED_LABEL}
            )
            continue
        accepted.append((upload, kind))
    total = sum(upload.size or 0 for upload in files)
    if total > MAX_TOTAL_SIZE:
        errors.append(
            _("Your files are %(size)s together; together they can be at most %(max)s.")
            % {"size": filesizeformat(total), "max": filesizeformat(MAX_TOTAL_SIZE)}
        )
    return accepted, errors


def body_too_large(request):
    """True when the request announces a body larger than an inquiry may have."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > MAX_BODY_SIZE


class LimitedUploadHandler(FileUploadHandler):
    """The first upload handler of the inquiry endpoint: refuses a body announced larger
    than the limit before reading it, and stops reading as soon as the files received
    pass the total limit (the handlers after it keep the files in memory or on disk)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.too_large = False

    def handle_raw_input(self, input_data, meta, content_length, boundary, encoding=None):
        if content_length > MAX_BODY_SIZE:
            from django.http import QueryDict
            from django.utils.datastructures import MultiValueDict

            self.too_large = True
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        # The files may pass the total by the form's allowance and still be read, so that
        # the buyer gets the form back with a message; past it, reading stops.
        if self.received > MAX_BODY_SIZE:
            self.too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def install_upload_handlers(request):
    """Put LimitedUploadHandler before the default handlers; call before request.POST is
    read. Returns the handler, whose `too_large` says whether the body was cut off."""
    limiter = LimitedUploadHandler(request)
    request.upload_handlers.insert(0, limiter)
    return limiter


def limits_hint():
    """What the file input accepts, for the buyer to read beside it."""
    return ngettext(
        "Up to %(count)d file (%(kinds)s), each at most %(file_max)s, %(total_max)s together.",
        "Up to %(count)d files (%(kinds)s), each at most %(file_max)s, %(total_max)s together.",
        MAX_FILES,
    ) % {
        "count": MAX_FILES,
        "kinds": ACCEPTED_LABEL,
        "file_max": filesizeformat(MAX_FILE_SIZE),
        "total_max": filesizeformat(MAX_TOTAL_SIZE),
    }
