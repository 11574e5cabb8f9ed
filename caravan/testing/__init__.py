"""What every app's tests share.

- `factories`: pages, products, images, documents and inquiries;
- `pages`: reading pages (links, a crawl of the site, an editor's preview, phone and
  e-mail patterns);
- `smtp`: a real SMTP server on loopback;
- `processes`: one `free_port`, processes of an installation and `start_server`;
- `services`: PostgreSQL, Redis, nginx and the one skip-or-fail rule;
- `browser`: Chromium, axe-core, the site served for the browser tests, page weight.

The names most tests use are importable from `caravan.testing` itself."""

from .factories import (
    inquiry_data,
    inquiry_token,
    make_article,
    make_document,
    make_image,
    make_inquiry,
    make_news_index,
    make_product,
    post_inquiry,
    publish,
    slugify_title,
    spec_rows,
)
from .pages import EMAIL_RE, crawl, internal_links, phone_patterns, preview
from .processes import free_port
from .smtp import SmtpServer

__all__ = [
    "EMAIL_RE",
    "SmtpServer",
    "crawl",
    "free_port",
    "inquiry_data",
    "inquiry_token",
    "internal_links",
    "make_article",
    "make_document",
    "make_image",
    "make_inquiry",
    "make_news_index",
    "make_product",
    "phone_patterns",
    "post_inquiry",
    "preview",
    "publish",
    "slugify_title",
    "spec_rows",
]
