"""Steps of the demo loader, one module per app, plus helpers they share."""

import json
import uuid

from wagtail.models import Page


def stream(*blocks):
    """StreamField data in Wagtail's raw JSON form from (type, value) pairs."""
    return json.dumps(
        [{"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in blocks]
    )


def ensure_child(parent, page):
    """Add `page` under `parent` and publish it, unless a child with its slug exists;
    return the live page either way."""
    existing = parent.get_children().filter(slug=page.slug).specific().first()
    if existing is not None:
        return existing
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def rich(*paragraphs):
    """Rich text from plain paragraphs (each may hold simple inline HTML)."""
    return "".join(f"<p>{p}</p>" for p in paragraphs)


__all__ = ["Page", "ensure_child", "rich", "stream"]
