"""From a change in the database to a refresh of the public files: the changes of one
transaction are collected and, once it commits, handed to one background task (with the
immediate task backend, as in tests, it runs at once)."""

import logging
import threading

from django.db import transaction

from caravan.core.tracking import object_keys, page_key, tracked_models

from . import conf

logger = logging.getLogger(__name__)
_local = threading.local()


def affects_everything(model):
    """A change to a site setting or a site shows on every page (header, footer, host)."""
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.models import Site

    return issubclass(model, (BaseSiteSetting, Site))


def _empty():
    return {"page_ids": set(), "keys": set(), "parent_ids": set(), "everything": False}


def _add(page_ids=(), keys=(), parent_ids=(), everything=False):
    """Note a change; the task is enqueued when the transaction commits (at once outside
    a transaction)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        pending = _empty()
    else:
        pending = getattr(_local, "pending", None)
        if pending is not None and not any(
            entry[1] is _flush for entry in connection.run_on_commit
        ):
            pending = None  # that transaction was rolled back: its changes never happened
        if pending is None:
            pending = _local.pending = _empty()
            transaction.on_commit(_flush)
    pending["page_ids"].update(page_ids)
    pending["keys"].update(keys)
    pending["parent_ids"].update(parent_ids)
    pending["everything"] |= everything
    if not connection.in_atomic_block:
        _enqueue(pending)


def _flush():
    pending = getattr(_local, "pending", None)
    _local.pending = None
    if pending:
        _enqueue(pending)


def _enqueue(pending):
    from .tasks import refresh_public_files

    try:
        refresh_public_files.enqueue(
            page_ids=sorted(pending["page_ids"]),
            keys=sorted(pending["keys"]),
            parent_ids=sorted(pending["parent_ids"]),
            everything=pending["everything"],
        )
    except Exception:
        logger.exception("Could not refresh the public files")


def _subtree_ids(page):
    from wagtail.models import Page

    return set(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


def page_changed(sender, instance, **kwargs):
    """Published or unpublished: the page and everything below it (an unpublished
    section takes its pages off the site), and the files of its other language versions,
    whose switcher and hreflang links name the versions that are live."""
    if conf.auto_refresh():
        _add(page_ids=_subtree_ids(instance), keys=_version_keys(instance))


def _version_keys(page):
    from wagtail.models import Page

    versions = Page.objects.filter(translation_key=page.translation_key).exclude(pk=page.pk)
    return [page_key(pk) for pk in versions.values_list("pk", flat=True)]


def page_moved(sender, instance, parent_page_before=None, **kwargs):
    if conf.auto_refresh():
        before = [parent_page_before.pk] if parent_page_before is not None else []
        _add(page_ids=_subtree_ids(instance), parent_ids=before)


def page_deleting(sender, instance, **kwargs):
    from wagtail.models import Page

    if not conf.auto_refresh() or not isinstance(instance, Page):
        return
    parent = instance.get_parent()
    _add(page_ids=[instance.pk], parent_ids=[parent.pk] if parent is not None else [])


def restriction_changed(sender, instance, **kwargs):
    """A page made private (a password, login or group restriction saved) or public
    again (the restriction deleted): the same for everything below it.

    The files of pages no longer public go the moment the change commits, even when
    publishing renders nothing (CARAVAN_STATIC_PUBLISH off); then the refresh re-renders
    what showed them (menus, listings, the sitemap, feeds: every file that read them)
    or, for pages public again, renders them and the listings above them. A page back
    in the menu shows on every page: that is a whole-tree refresh."""
    from wagtail.models import Page

    from .build import public_pages, withdraw

    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return
    origin = kwargs.get("origin")  # what was deleted: this restriction, or its page
    if origin is not None and getattr(origin, "model", type(origin)) is not sender:
        return  # deleted with its page: page_deleting takes care of the files
    page_ids = _subtree_ids(page)
    transaction.on_commit(lambda: withdraw(page_ids=page_ids))
    if not conf.auto_refresh():
        return
    public = public_pages().filter(pk__in=page_ids)
    # Public again: its other language versions name it in their language switcher.
    versions = Page.objects.filter(translation_key__in=public.values("translation_key"))
    _add(
        page_ids=page_ids,
        keys=[page_key(pk) for pk in versions.values_list("pk", flat=True)],
        everything=public.filter(show_in_menus=True).exists(),
    )


def object_saved(sender, instance, created=False, **kwargs):
    if not conf.auto_refresh() or sender not in tracked_models():
        return
    if affects_everything(sender):
        _add(everything=True)
        return
    one, any_of_model = object_keys(sender, instance.pk)
    # A new row may show where rows of its kind are listed.
    _add(keys=[any_of_model if created else one])


def object_deleted(sender, instance, **kwargs):
    if not conf.auto_refresh() or sender not in tracked_models():
        return
    if affects_everything(sender):
        _add(everything=True)
    else:
        _add(keys=[object_keys(sender, instance.pk)[0]])


def connect():
    from django.db.models.signals import post_delete, post_save, pre_delete
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(page_changed, dispatch_uid="static-site-published")
    page_unpublished.connect(page_changed, dispatch_uid="static-site-unpublished")
    post_page_move.connect(page_moved, dispatch_uid="static-site-moved")
    pre_delete.connect(page_deleting, dispatch_uid="static-site-deleting")
    post_save.connect(object_saved, dispatch_uid="static-site-saved")
    post_delete.connect(object_deleted, dispatch_uid="static-site-deleted")
    post_save.connect(
        restriction_changed, sender=PageViewRestriction, dispatch_uid="static-site-private"
    )
    post_delete.connect(
        restriction_changed, sender=PageViewRestriction, dispatch_uid="static-site-public"
    )
