"""Loading images and their renditions in bulk, so that a page with thirty pictures costs
the same number of queries as a page with one."""

from collections import defaultdict

from wagtail.images import get_image_model

# Stream blocks that hold an image, and the name of the image in their value.
IMAGE_BLOCKS = {"figure": "image", "video": "poster"}


def stream_images(stream_value):
    """The image objects used by the blocks of a StreamField value (converting the stream
    loads each block type's images in one query)."""
    images = []
    for block in stream_value:
        field = IMAGE_BLOCKS.get(block.block_type)
        if field:
            image = block.value.get(field)
            if image is not None:
                images.append(image)
    return images


def load_image_fields(instance, field_names):
    """Load the images of several image foreign keys of `instance` in one query."""
    wanted = {
        name: getattr(instance, f"{name}_id")
        for name in field_names
        if getattr(instance, f"{name}_id") is not None
        and not instance._meta.get_field(name).is_cached(instance)
    }
    if not wanted:
        return
    found = get_image_model().objects.in_bulk(set(wanted.values()))
    for name, pk in wanted.items():
        setattr(instance, name, found.get(pk))


def prefetch_renditions(images):
    """Fetch the stored renditions of all `images` in one query and attach them, the way
    ``ImageQuerySet.prefetch_renditions()`` does, so each ``{% picture %}`` finds its
    renditions without a query of its own. Images that already carry prefetched
    renditions are left alone."""
    images = [
        image
        for image in images
        if image is not None
        and image.pk is not None
        and getattr(image, "prefetched_renditions", None) is None
        and "renditions" not in getattr(image, "_prefetched_objects_cache", {})
    ]
    if not images:
        return
    rendition_model = get_image_model().get_rendition_model()
    by_image = defaultdict(list)
    for rendition in rendition_model.objects.filter(image_id__in={i.pk for i in images}):
        by_image[rendition.image_id].append(rendition)
    for image in images:
        renditions = list(by_image[image.pk])
        for rendition in renditions:
            # Set the cached relation so that reading rendition.image needs no query.
            rendition.image = image
        image.prefetched_renditions = renditions
