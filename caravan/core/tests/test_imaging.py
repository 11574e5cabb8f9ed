import io

from PIL import Image


def test_avif_renditions_are_encoded_at_the_configured_speed(settings, monkeypatch):
    from PIL import AvifImagePlugin

    seen = {}
    original = AvifImagePlugin._save

    def spy(im, fp, filename, save_all=False):
        seen["speed"] = im.encoderinfo.get("speed")
        return original(im, fp, filename, save_all=save_all)

    monkeypatch.setattr(AvifImagePlugin, "_save", spy)
    from caravan.core.imaging import use_faster_avif_encoding

    # Re-register around the spy so the wrapper calls it.
    monkeypatch.setitem(Image.SAVE, "AVIF", AvifImagePlugin._save)
    use_faster_avif_encoding()
    settings.CARAVAN_AVIF_SPEED = 9
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "teal").save(buffer, "AVIF")
    assert seen["speed"] == 9
    assert buffer.getvalue()[4:12] == b"ftypavif"
    # An explicit speed from the caller still wins.
    Image.new("RGB", (64, 64), "teal").save(io.BytesIO(), "AVIF", speed=3)
    assert seen["speed"] == 3
