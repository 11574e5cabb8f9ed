"""What `prepare` (the first step of `make run`) shows while it renders the public pages:
one progress line, redrawn, with the image sizes made so far."""

from io import StringIO

import pytest
from django.core.management.base import OutputWrapper

from caravan.operations.management.commands.prepare import ImageSizes
from caravan.static_site.management.commands.build_public import _Bar
from caravan.testing.factories import make_image

pytestmark = pytest.mark.django_db


def test_the_rendering_bar_counts_the_image_sizes_made():
    image = make_image()
    out = StringIO()
    bar = _Bar(OutputWrapper(out), width=10, detail=ImageSizes())
    bar(1, 4, "/en/")
    image.get_rendition("fill-40x30|format-jpeg")
    bar(2, 4, "/en/news/")
    image.get_rendition("fill-80x60|format-jpeg")
    bar(4, 4, "/en/products/")
    bar.finish()
    console = out.getvalue()
    assert console.count("\n") == 1, "one line, redrawn in place"
    frames = console.rstrip("\n").split("\r")[1:]
    assert frames[0] == "[##........] 1/4  25%"
    assert frames[1] == "[#####.....] 2/4  50%, 1 image size made"
    assert frames[2] == "[##########] 4/4 100%, 2 image sizes made"
