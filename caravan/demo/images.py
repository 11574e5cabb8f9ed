"""Pictures for the demo company, drawn with Pillow at load time: nothing is downloaded
and no binary files need to live in the repository."""

import io
import math
import random

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter

from caravan.core.models import CaravanImage

PALETTES = {
    "steel": ((28, 52, 78), (92, 132, 168), (214, 225, 236)),
    "rust": ((92, 40, 20), (186, 98, 46), (244, 222, 200)),
    "forest": ((24, 64, 48), (70, 138, 102), (214, 236, 222)),
    "sand": ((96, 78, 40), (196, 160, 84), (246, 236, 210)),
    "night": ((16, 22, 40), (58, 74, 128), (196, 206, 236)),
}


def _gradient(size, top, bottom):
    width, height = size
    base = PILImage.new("RGB", size, top)
    draw = ImageDraw.Draw(base)
    for y in range(height):
        t = y / max(height - 1, 1)
        colour = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    return base


def draw_scene(kind, size=(1600, 1000), palette="steel", seed=0):
    """An illustrative scene: `valve`, `meter`, `factory`, `rail`, `fair` or `pattern`."""
    rng = random.Random(f"{kind}-{palette}-{seed}")
    dark, mid, light = PALETTES[palette]
    width, height = size
    img = _gradient(size, light, mid)
    draw = ImageDraw.Draw(img)
    unit = min(width, height)

    if kind == "rail":
        horizon = int(height * 0.62)
        draw.rectangle([0, horizon, width, height], fill=dark)
        for i in range(0, width, int(unit * 0.08)):
            draw.rectangle(
                [i, horizon + unit * 0.12, i + unit * 0.03, horizon + unit * 0.15], fill=light
            )
        x = int(width * 0.05)
        for _ in range(rng.randint(5, 8)):
            w = int(unit * rng.uniform(0.22, 0.3))
            colour = rng.choice([(178, 60, 40), (40, 96, 150), (210, 150, 40), (70, 110, 70)])
            draw.rectangle([x, horizon - unit * 0.16, x + w, horizon + unit * 0.02], fill=colour)
            draw.ellipse([x + 10, horizon, x + 40, horizon + 30], fill=(20, 20, 20))
            draw.ellipse([x + w - 40, horizon, x + w - 10, horizon + 30], fill=(20, 20, 20))
            x += w + int(unit * 0.02)
            if x > width:
                break
    elif kind == "factory":
        ground = int(height * 0.7)
        draw.rectangle([0, ground, width, height], fill=dark)
        x = int(width * 0.08)
        while x < width * 0.9:
            w = int(unit * rng.uniform(0.18, 0.3))
            h = int(unit * rng.uniform(0.2, 0.35))
            draw.rectangle([x, ground - h, x + w, ground], fill=mid)
            for k in range(3):
                tx = x + w * (k + 1) // 4
                draw.polygon(
                    [(tx - 30, ground - h), (tx, ground - h - 40), (tx + 30, ground - h)], fill=mid
                )
            if rng.random() > 0.5:
                cx = x + w // 2
                draw.rectangle([cx, ground - h - unit * 0.25, cx + 24, ground - h], fill=dark)
            x += w + int(unit * 0.03)
    elif kind in ("valve", "meter"):
        cx, cy = width // 2, height // 2
        pipe_h = int(unit * 0.14)
        draw.rectangle([0, cy - pipe_h // 2, width, cy + pipe_h // 2], fill=mid)
        for fx in (cx - unit * 0.3, cx + unit * 0.3 - 40):
            draw.rectangle([fx, cy - pipe_h, fx + 40, cy + pipe_h], fill=dark)
        if kind == "valve":
            body = int(unit * 0.22)
            draw.ellipse([cx - body, cy - body, cx + body, cy + body], fill=dark)
            draw.rectangle([cx - 14, cy - body - unit * 0.18, cx + 14, cy - body], fill=dark)
            draw.ellipse(
                [
                    cx - unit * 0.16,
                    cy - body - unit * 0.24,
                    cx + unit * 0.16,
                    cy - body - unit * 0.16,
                ],
                outline=dark,
                width=16,
            )
        else:
            r = int(unit * 0.2)
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=light, outline=dark, width=18)
            for k in range(9):
                ang = 3.6 + k * 0.33
                x1, y1 = cx + math.cos(ang) * r * 0.8, cy + math.sin(ang) * r * 0.8
                x2, y2 = cx + math.cos(ang) * r * 0.65, cy + math.sin(ang) * r * 0.65
                draw.line([(x1, y1), (x2, y2)], fill=dark, width=6)
            draw.line([(cx, cy), (cx + r * 0.55, cy - r * 0.45)], fill=(190, 30, 30), width=10)
    elif kind == "fair":
        floor = int(height * 0.75)
        draw.rectangle([0, floor, width, height], fill=mid)
        for k in range(4):
            x = int(width * (0.05 + k * 0.24))
            w = int(width * 0.2)
            draw.rectangle([x, floor - unit * 0.4, x + w, floor], fill=light, outline=dark, width=6)
            draw.rectangle([x, floor - unit * 0.4, x + w, floor - unit * 0.32], fill=dark)
            for _ in range(3):
                px = x + rng.randint(20, max(w - 40, 21))
                draw.ellipse([px, floor - 90, px + 30, floor - 60], fill=dark)
                draw.rectangle([px + 5, floor - 60, px + 25, floor], fill=dark)
    else:
        for _ in range(40):
            x, y = rng.randint(0, width), rng.randint(0, height)
            r = rng.randint(int(unit * 0.02), int(unit * 0.12))
            draw.ellipse([x - r, y - r, x + r, y + r], outline=dark, width=4)

    return img.filter(ImageFilter.SMOOTH)


def draw_logo(size=256):
    """The demo company's mark: a valve wheel over a rail line."""
    img = PILImage.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle([0, 0, size - 1, size - 1], radius=size // 6, fill=(11, 92, 140, 255))
    c = size // 2
    r = size // 4
    draw.ellipse(
        [c - r, c - r - size // 10, c + r, c + r - size // 10], outline="white", width=size // 16
    )
    draw.line([(c - r, c - size // 10), (c + r, c - size // 10)], fill="white", width=size // 20)
    draw.line([(c, c - r - size // 10), (c, c + r - size // 10)], fill="white", width=size // 20)
    y = int(size * 0.78)
    draw.line([(size * 0.15, y), (size * 0.85, y)], fill="white", width=size // 24)
    for k in range(6):
        x = size * 0.2 + k * size * 0.12
        draw.line([(x, y - size * 0.05), (x, y + size * 0.05)], fill="white", width=size // 40)
    return img


def save_image(title, pil_image, alt_text, *, fmt="JPEG", tags=()):
    """Store a Pillow image as a CaravanImage (reusing one with the same title)."""
    existing = CaravanImage.objects.filter(title=title).first()
    if existing:
        return existing
    buffer = io.BytesIO()
    if fmt == "JPEG":
        pil_image.convert("RGB").save(buffer, "JPEG", quality=82, optimize=True)
        ext = "jpg"
    else:
        pil_image.save(buffer, fmt)
        ext = fmt.lower()
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")[:60]
    image = CaravanImage(title=title, description=alt_text)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name=f"{slug}.{ext}")
    image.save()
    if tags:
        image.tags.add(*tags)
    return image


def scene_image(title, kind, alt_text, *, palette="steel", seed=0, size=(1600, 1000)):
    return save_image(title, draw_scene(kind, size=size, palette=palette, seed=seed), alt_text)


# Product photographs for the catalogue: a product drawn on a studio backdrop, a close
# view of it, its nameplate, and its export crate.

PRODUCT_KINDS = (
    "gate_valve",
    "ball_valve",
    "butterfly_valve",
    "check_valve",
    "strainer",
    "em_meter",
    "ultrasonic_meter",
    "vortex_meter",
)
PRODUCT_VIEWS = ("studio", "detail", "nameplate", "crate")
# How far each drawing reaches above and below its centre, in units of its scale.
PRODUCT_EXTENT = {
    "gate_valve": (-0.7, 0.34),
    "ball_valve": (-0.4, 0.22),
    "butterfly_valve": (-0.64, 0.34),
    "check_valve": (-0.34, 0.22),
    "strainer": (-0.32, 0.48),
    "em_meter": (-0.44, 0.34),
    "ultrasonic_meter": (-0.52, 0.27),
    "vortex_meter": (-0.67, 0.34),
}


def _font(size):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow built without FreeType
        return ImageFont.load_default()


def _flanged_pipe(draw, cx, cy, s, body, dark, length=0.9):
    half = s * length / 2
    draw.rectangle([cx - half, cy - s * 0.11, cx + half, cy + s * 0.11], fill=body)
    for fx in (cx - half, cx + half - s * 0.06):
        draw.rectangle([fx, cy - s * 0.2, fx + s * 0.06, cy + s * 0.2], fill=dark)
        for by in (-0.15, 0.15):
            bolt_y = cy + s * by
            draw.ellipse(
                [fx + s * 0.015, bolt_y - s * 0.015, fx + s * 0.045, bolt_y + s * 0.015],
                fill=(200, 200, 200),
            )


def _draw_product(draw, kind, cx, cy, s, colours):
    """Draw `kind` centred on (cx, cy) at scale `s` (about the product's width)."""
    body, dark, accent = colours
    if kind == "gate_valve":
        _flanged_pipe(draw, cx, cy + s * 0.1, s, body, dark, 0.8)
        draw.ellipse([cx - s * 0.2, cy - s * 0.12, cx + s * 0.2, cy + s * 0.32], fill=body)
        draw.rectangle([cx - s * 0.1, cy - s * 0.42, cx + s * 0.1, cy - s * 0.05], fill=body)
        draw.rectangle([cx - s * 0.13, cy - s * 0.46, cx + s * 0.13, cy - s * 0.4], fill=dark)
        draw.rectangle(
            [cx - s * 0.015, cy - s * 0.62, cx + s * 0.015, cy - s * 0.46], fill=(170, 170, 170)
        )
        draw.ellipse(
            [cx - s * 0.2, cy - s * 0.68, cx + s * 0.2, cy - s * 0.58],
            outline=accent,
            width=max(int(s * 0.03), 3),
        )
    elif kind == "ball_valve":
        _flanged_pipe(draw, cx, cy, s, body, dark, 0.7)
        draw.rounded_rectangle(
            [cx - s * 0.2, cy - s * 0.2, cx + s * 0.2, cy + s * 0.2], radius=s * 0.06, fill=body
        )
        draw.rectangle([cx - s * 0.03, cy - s * 0.32, cx + s * 0.03, cy - s * 0.2], fill=dark)
        draw.rounded_rectangle(
            [cx - s * 0.04, cy - s * 0.38, cx + s * 0.42, cy - s * 0.31],
            radius=s * 0.03,
            fill=accent,
        )
    elif kind == "butterfly_valve":
        draw.ellipse([cx - s * 0.32, cy - s * 0.32, cx + s * 0.32, cy + s * 0.32], fill=body)
        draw.ellipse(
            [cx - s * 0.24, cy - s * 0.24, cx + s * 0.24, cy + s * 0.24], fill=(60, 60, 60)
        )
        draw.ellipse(
            [cx - s * 0.06, cy - s * 0.24, cx + s * 0.06, cy + s * 0.24], fill=(190, 190, 196)
        )
        draw.rectangle([cx - s * 0.04, cy - s * 0.5, cx + s * 0.04, cy - s * 0.3], fill=dark)
        draw.rectangle([cx - s * 0.16, cy - s * 0.62, cx + s * 0.16, cy - s * 0.48], fill=accent)
        draw.rectangle([cx + s * 0.16, cy - s * 0.57, cx + s * 0.3, cy - s * 0.53], fill=dark)
    elif kind == "check_valve":
        _flanged_pipe(draw, cx, cy, s, body, dark, 0.85)
        draw.rounded_rectangle(
            [cx - s * 0.26, cy - s * 0.24, cx + s * 0.26, cy + s * 0.16], radius=s * 0.08, fill=body
        )
        draw.rectangle([cx - s * 0.16, cy - s * 0.32, cx + s * 0.16, cy - s * 0.24], fill=dark)
        arrow_y = cy + s * 0.03
        draw.line(
            [(cx - s * 0.15, arrow_y), (cx + s * 0.12, arrow_y)],
            fill=accent,
            width=max(int(s * 0.025), 3),
        )
        draw.polygon(
            [
                (cx + s * 0.17, arrow_y),
                (cx + s * 0.1, arrow_y - s * 0.05),
                (cx + s * 0.1, arrow_y + s * 0.05),
            ],
            fill=accent,
        )
    elif kind == "strainer":
        _flanged_pipe(draw, cx, cy - s * 0.1, s, body, dark, 0.8)
        draw.polygon(
            [
                (cx - s * 0.12, cy - s * 0.1),
                (cx + s * 0.05, cy - s * 0.1),
                (cx + s * 0.3, cy + s * 0.35),
                (cx + s * 0.12, cy + s * 0.42),
            ],
            fill=body,
        )
        draw.rectangle([cx + s * 0.1, cy + s * 0.38, cx + s * 0.34, cy + s * 0.46], fill=accent)
    elif kind in ("em_meter", "vortex_meter"):
        _flanged_pipe(draw, cx, cy + s * 0.12, s, body, dark, 0.85)
        neck_top = cy - (s * 0.35 if kind == "vortex_meter" else s * 0.12)
        draw.rectangle([cx - s * 0.05, neck_top, cx + s * 0.05, cy], fill=dark)
        draw.rounded_rectangle(
            [cx - s * 0.18, neck_top - s * 0.3, cx + s * 0.18, neck_top],
            radius=s * 0.05,
            fill=accent,
        )
        draw.rectangle(
            [cx - s * 0.12, neck_top - s * 0.24, cx + s * 0.12, neck_top - s * 0.1],
            fill=(210, 236, 214),
        )
        draw.line(
            [(cx - s * 0.09, neck_top - s * 0.17), (cx + s * 0.09, neck_top - s * 0.17)],
            fill=(30, 70, 40),
            width=max(int(s * 0.02), 2),
        )
    elif kind == "ultrasonic_meter":
        draw.rectangle([cx - s * 0.5, cy + s * 0.05, cx + s * 0.5, cy + s * 0.25], fill=body)
        for sx in (cx - s * 0.25, cx + s * 0.1):
            draw.rectangle([sx, cy - s * 0.02, sx + s * 0.14, cy + s * 0.05], fill=dark)
        draw.rounded_rectangle(
            [cx - s * 0.2, cy - s * 0.5, cx + s * 0.2, cy - s * 0.16], radius=s * 0.04, fill=accent
        )
        draw.rectangle(
            [cx - s * 0.14, cy - s * 0.44, cx + s * 0.14, cy - s * 0.3], fill=(210, 236, 214)
        )
        draw.line(
            [(cx - s * 0.18, cy + s * 0.01), (cx - s * 0.1, cy - s * 0.16)],
            fill=(20, 20, 20),
            width=3,
        )
        draw.line(
            [(cx + s * 0.17, cy + s * 0.01), (cx + s * 0.1, cy - s * 0.16)],
            fill=(20, 20, 20),
            width=3,
        )


def draw_product(kind, view="studio", *, size=(1200, 900), palette="steel", seed=0, label=""):
    """A product picture: `kind` (one of PRODUCT_KINDS) seen in `view` (PRODUCT_VIEWS);
    `label` is printed on the nameplate and the crate."""
    rng = random.Random(f"{kind}-{view}-{palette}-{seed}")
    dark, mid, light = PALETTES[palette]
    width, height = size
    unit = min(width, height)
    body = tuple(min(255, c + rng.randint(-12, 12)) for c in mid)
    colours = (body, dark, (179, 71, 0) if palette != "rust" else (11, 92, 140))

    if view == "nameplate":
        img = _gradient(size, (120, 124, 130), (70, 74, 80))
        draw = ImageDraw.Draw(img)
        plate = [width * 0.12, height * 0.2, width * 0.88, height * 0.8]
        draw.rounded_rectangle(
            plate, radius=unit * 0.04, fill=(206, 210, 214), outline=(90, 94, 100), width=6
        )
        for x, y in (
            (plate[0] + 30, plate[1] + 30),
            (plate[2] - 30, plate[1] + 30),
            (plate[0] + 30, plate[3] - 30),
            (plate[2] - 30, plate[3] - 30),
        ):
            draw.ellipse([x - 12, y - 12, x + 12, y + 12], fill=(150, 150, 156))
        big, small = _font(int(unit * 0.07)), _font(int(unit * 0.045))
        draw.text(
            (plate[0] + 80, plate[1] + 60), "SILKLINE FLOW CONTROLS", font=small, fill=(40, 44, 52)
        )
        draw.text(
            (plate[0] + 80, plate[1] + 60 + unit * 0.08), label or kind.upper(), font=big, fill=dark
        )
        lines = [
            f"SERIAL  {rng.randint(100000, 999999)}",
            f"YEAR  {rng.choice([2024, 2025])}",
            "MADE IN XI'AN, CHINA",
        ]
        for i, line in enumerate(lines):
            draw.text(
                (plate[0] + 80, plate[1] + 60 + unit * (0.2 + 0.07 * i)),
                line,
                font=small,
                fill=(40, 44, 52),
            )
        return img.filter(ImageFilter.SMOOTH)

    if view == "crate":
        img = _gradient(size, (226, 230, 236), (150, 160, 172))
        draw = ImageDraw.Draw(img)
        draw.rectangle([0, height * 0.78, width, height], fill=(90, 96, 104))
        crate = [width * 0.18, height * 0.25, width * 0.82, height * 0.8]
        draw.rectangle(crate, fill=(196, 160, 104), outline=(120, 90, 50), width=8)
        for k in range(1, 5):
            y = crate[1] + (crate[3] - crate[1]) * k / 5
            draw.line([(crate[0], y), (crate[2], y)], fill=(160, 124, 74), width=4)
        draw.line([(crate[0], crate[1]), (crate[2], crate[3])], fill=(150, 112, 62), width=14)
        stencil = _font(int(unit * 0.06))
        draw.text((crate[0] + 40, crate[1] + 30), "SILKLINE", font=stencil, fill=(40, 30, 20))
        draw.text(
            (crate[0] + 40, crate[1] + 30 + unit * 0.08),
            label or kind.upper(),
            font=_font(int(unit * 0.045)),
            fill=(40, 30, 20),
        )
        for k in range(2):
            ax = crate[2] - 140 + k * 50
            draw.line([(ax, crate[1] + 110), (ax, crate[1] + 40)], fill=(40, 30, 20), width=8)
            draw.polygon(
                [(ax - 16, crate[1] + 50), (ax + 16, crate[1] + 50), (ax, crate[1] + 26)],
                fill=(40, 30, 20),
            )
        return img.filter(ImageFilter.SMOOTH)

    img = _gradient(size, (246, 247, 249), light)
    draw = ImageDraw.Draw(img)
    if view == "detail":
        scale = unit * 1.3
        cx, cy = width * rng.uniform(0.42, 0.58), height * 0.62
    else:
        top, bottom = PRODUCT_EXTENT[kind]
        scale = min(unit * 0.85, height * 0.72 / (bottom - top))
        cx, cy = width / 2, height * 0.46 - (top + bottom) / 2 * scale
        draw.ellipse(
            [cx - scale * 0.5, height * 0.84, cx + scale * 0.5, height * 0.92],
            fill=tuple(max(c - 30, 0) for c in light),
        )
    _draw_product(draw, kind, cx, cy, scale, colours)
    return img.filter(ImageFilter.SMOOTH)


def product_image(title, kind, view, alt_text, *, palette="steel", seed=0, label=""):
    return save_image(
        title, draw_product(kind, view, palette=palette, seed=seed, label=label), alt_text
    )
