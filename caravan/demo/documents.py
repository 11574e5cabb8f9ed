"""Documents for the demo company, written at load time: a one-page PDF datasheet made
by a tiny PDF writer (standard Helvetica, no embedded fonts), so nothing is downloaded
and no binary file lives in the repository."""

import io

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56

# Characters outside the standard fonts' WinAnsi encoding, written the way a typewriter would.
_PLAIN = str.maketrans(
    {"–": "-", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "×": "x", "…": "..."}
)


def _pdf_text(text):
    """A PDF string literal: WinAnsi bytes with (, ) and \\ escaped."""
    data = str(text).translate(_PLAIN).encode("cp1252", errors="replace")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def datasheet_pdf(title, subtitle, sections, footer=""):
    """A one-page A4 PDF: a coloured band with `title` and `subtitle`, then `sections`,
    a list of (heading, [(label, value)]) printed as two columns, and a `footer` line."""
    ops = []
    # Header band
    ops.append(b"0.043 0.361 0.549 rg")
    ops.append(f"0 {PAGE_HEIGHT - 110} {PAGE_WIDTH} 110 re f".encode())
    ops.append(b"1 1 1 rg")
    ops.append(b"BT /F2 20 Tf " + f"{MARGIN} {PAGE_HEIGHT - 60} Td ".encode())
    ops.append(_pdf_text(title) + b" Tj ET")
    ops.append(b"BT /F1 11 Tf " + f"{MARGIN} {PAGE_HEIGHT - 84} Td ".encode())
    ops.append(_pdf_text(subtitle) + b" Tj ET")
    ops.append(b"0.106 0.141 0.188 rg")
    y = PAGE_HEIGHT - 150
    for heading, rows in sections:
        ops.append(b"BT /F2 13 Tf " + f"{MARGIN} {y} Td ".encode() + _pdf_text(heading) + b" Tj ET")
        y -= 8
        ops.append(b"0.835 0.859 0.890 RG 0.8 w")
        ops.append(f"{MARGIN} {y} m {PAGE_WIDTH - MARGIN} {y} l S".encode())
        y -= 16
        for label, value in rows:
            ops.append(
                b"BT /F1 10 Tf " + f"{MARGIN} {y} Td ".encode() + _pdf_text(label) + b" Tj ET"
            )
            ops.append(
                b"BT /F2 10 Tf " + f"{MARGIN + 200} {y} Td ".encode() + _pdf_text(value) + b" Tj ET"
            )
            y -= 16
            if y < 90:
                break
        y -= 14
        if y < 90:
            break
    if footer:
        ops.append(b"0.29 0.333 0.396 rg")
        ops.append(b"BT /F1 8 Tf " + f"{MARGIN} 40 Td ".encode() + _pdf_text(footer) + b" Tj ET")
    content = b"\n".join(ops)

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            "/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>"
        ).encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def save_document(title, filename, data):
    """Store `data` as a Wagtail document (reusing one with the same title)."""
    document_model = get_document_model()
    existing = document_model.objects.filter(title=title).first()
    if existing:
        return existing
    document = document_model(title=title)
    document.file.save(filename, ContentFile(data), save=False)
    document._set_document_file_metadata()
    document.save()
    return document
