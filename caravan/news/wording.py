"""Words of the news section that visitors read, kept apart from the admin's field
labels in models.py so that what visitors read is found in one place."""

from django.utils.translation import gettext_lazy as _

# The title of a news listing filtered by a tag, and of a listing's later pages.
TAG_LISTING_TITLE = _("%(section)s: %(tag)s")
PAGED_LISTING_TITLE = _("%(title)s, page %(number)s")

# Why a listing address answers “Page not found”.
NO_SUCH_NEWS_PAGE = _("No such page of news.")
NO_SUCH_TAG = _("No news on this topic.")
