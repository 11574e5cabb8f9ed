"""Screenshots compared with committed baselines, with room for anti-aliasing.

A baseline is the first screen of a page as Debian's Chromium with fonts-noto draws it.
Two screenshots match when at most MAX_SHARE of their pixels differ by more than
THRESHOLD in some colour channel: text drawn a sub-pixel differently passes, a moved
block or a changed colour does not. `make screenshots` rewrites the baselines (set
UPDATE_ENV) when a change of look is intended."""

import os
from pathlib import Path

from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parents[2]
BASELINES = ROOT / "caravan" / "browser_tests" / "screenshots"
FAILURES = ROOT / "var" / "screenshots"
UPDATE_ENV = "CARAVAN_UPDATE_SCREENSHOTS"
THRESHOLD = 48  # of 255, per channel
MAX_SHARE = 0.004  # of the pixels


def updating():
    return os.environ.get(UPDATE_ENV) == "1"


def save_baseline(png_bytes, name):
    """Write a baseline as an optimised PNG of at most 256 colours (a few tens of KB a
    screen); the threshold absorbs the rounding of colours."""
    path = BASELINES / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    image = _open(png_bytes).quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=0)
    image.save(path, optimize=True)
    return path


def _open(png_bytes):
    import io

    return Image.open(io.BytesIO(png_bytes)).convert("RGB")


def compare(png_bytes, name):
    """None when the screenshot matches the baseline `name`, else a message naming the
    actual and difference images written under var/screenshots/."""
    path = BASELINES / f"{name}.png"
    if not path.exists():
        return f"no baseline {path.relative_to(ROOT)}: run `make screenshots`"
    actual = _open(png_bytes)
    expected = Image.open(path).convert("RGB")
    if actual.size != expected.size:
        problem = f"size {actual.size} instead of {expected.size}"
        share = 1.0
        diff = None
    else:
        diff = ImageChops.difference(actual, expected)
        strongest = Image.eval(diff.convert("RGB"), lambda v: 255 if v > THRESHOLD else 0)
        mask = strongest.convert("L").point(lambda v: 255 if v else 0)
        share = mask.histogram()[255] / (actual.width * actual.height)
        if share <= MAX_SHARE:
            return None
        problem = f"{share:.2%} of the pixels differ (at most {MAX_SHARE:.2%} may)"
    out = FAILURES / name
    out.parent.mkdir(parents=True, exist_ok=True)
    actual_path = out.with_name(out.name + ".actual.png")
    actual.save(actual_path)
    written = [str(actual_path.relative_to(ROOT))]
    if diff is not None:
        diff_path = out.with_name(out.name + ".diff.png")
        Image.eval(diff, lambda v: min(255, v * 4)).save(diff_path)
        written.append(str(diff_path.relative_to(ROOT)))
    return (
        f"{name}: {problem}; see {' and '.join(written)}. If the change is intended, "
        "refresh the baselines with `make screenshots`."
    )
