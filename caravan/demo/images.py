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
