"""Image encoding defaults.

Pillow encodes AVIF at libavif speed 6 unless told otherwise; Wagtail gives no way to pass
a speed. At speed 8 a rendition encodes about four times faster for nearly the same size
(measured on a 1440×960 picture: 0.75 s → 0.19 s, 558 → 548 bytes), which matters when a
page's renditions are made on its first view or on a full rebuild."""

from django.conf import settings
from PIL import Image


def use_faster_avif_encoding():
    """Wrap Pillow's registered AVIF saver so it defaults to CARAVAN_AVIF_SPEED."""
    Image.init()
    original = Image.SAVE.get("AVIF")
    if original is None or getattr(original, "caravan_speed", False):
        return

    def save(im, fp, filename):
        im.encoderinfo.setdefault("speed", getattr(settings, "CARAVAN_AVIF_SPEED", 8))
        return original(im, fp, filename)

    save.caravan_speed = True
    Image.register_save("AVIF", save)
