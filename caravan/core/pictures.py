"""Wagtail's `{% picture %}` with one candidate per width in each srcset.

A rendition is never larger than its original: a 400-pixel-wide upload asked for at 400
and 800 pixels gives two 400-pixel files, and Wagtail lists both as “400w”, which the
HTML standard forbids (the browser drops one). Here each width is listed once, the
first rendition of that width kept. caravan_tags registers this as `picture`, so
templates that load caravan_tags after wagtailimages_tags use it."""

import logging

from wagtail.images.models import Picture, SourceImageIOError
from wagtail.images.templatetags import wagtailimages_tags

logger = logging.getLogger(__name__)


class DistinctWidthsPicture(Picture):
    @classmethod
    def get_width_srcset(cls, renditions_list):
        if len(renditions_list) == 1:
            return renditions_list[0].url
        by_width = {}
        for rendition in renditions_list:
            by_width.setdefault(rendition.width, rendition)
        return ", ".join(f"{r.url} {r.width}w" for r in by_width.values())


class PictureNode(wagtailimages_tags.PictureNode):
    def render(self, context):
        image = self.validate_image(context)
        if not image:
            return ""
        renditions = wagtailimages_tags.get_renditions_or_not_found(image, self.get_filters())
        if self.output_var_name:
            context[self.output_var_name] = DistinctWidthsPicture(renditions)
            return ""
        attrs = {key: value.resolve(context) for key, value in self.attrs.items()}
        return DistinctWidthsPicture(renditions, attrs).__html__()


def picture(parser, token):
    """`{% picture image format-{avif,webp,jpeg} fill-{400x300,800x600} sizes=... %}`,
    parsed as Wagtail parses it."""
    node = wagtailimages_tags.image(parser, token)
    return PictureNode(
        node.image_expr, node.filter_specs, output_var_name=node.output_var_name, attrs=node.attrs
    )


def density_srcset_img(image, height, css_class="", alt=""):
    """An <img> of `image` at `height` CSS pixels with a 2x candidate for high-density
    screens (`srcset="… 1x, … 2x"`). Used where an image has a fixed displayed size, like
    the logo, so width descriptors and `sizes` would say less than the pixel density.
    A 2x candidate is left out when the original is too small to give one. An original
    missing from the media storage (a server without the shared media) leaves the image
    out, as Wagtail's own image tag does, rather than failing the page."""
    from django.utils.html import format_html

    specs = (f"height-{height}", f"height-{height * 2}")
    try:
        renditions = image.get_renditions(*specs)
    except SourceImageIOError:
        logger.warning("image %s: the original file is missing; left out", image.pk)
        return ""
    single, double = renditions[specs[0]], renditions[specs[1]]
    srcset = ""
    if double.height > single.height:
        srcset = format_html(' srcset="{} 1x, {} 2x"', single.url, double.url)
    return format_html(
        '<img class="{}" src="{}"{} width="{}" height="{}" alt="{}">',
        css_class,
        single.url,
        srcset,
        single.width,
        single.height,
        alt,
    )
