import hashlib
import os

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand

from caravan.operations.jobs import refresh_query_statistics


def static_sources_fingerprint():
    """A digest of every static source file's path, size and modification time, so an
    unchanged tree can skip the slow collect-and-compress step."""
    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            st = os.stat(storage.path(path))
            digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    digest.update(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    return digest.hexdigest()


class ImageSizes:
    """The image sizes (renditions) made since it was created, for the progress line:
    pages make them as they render, in the build's processes, so they are counted in
    the database."""

    def __init__(self):
        from wagtail.images import get_image_model

        self.renditions = get_image_model().get_rendition_model().objects
        self.before = self.renditions.count()

    def __call__(self):
        made = self.renditions.count() - self.before
        return f", {made} image size{'' if made == 1 else 's'} made" if made else ""


class Command(BaseCommand):
    help = (
        "Get an installation ready to serve: compile the interface translations (when they "
        "changed), migrate, load the demo company into an empty database, collect static "
        "files (when they changed), render the public pages to files (when the tree is "
        "missing or the code that renders it changed) and make sure an admin account exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Never load the demo.")

    def handle(self, *args, no_demo, **options):
        verbosity = options["verbosity"]
        call_command("compile_catalogues", verbosity=verbosity)
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        if not no_demo:
            call_command("load_demo", if_empty=True, verbosity=verbosity)
        refresh_query_statistics()
        self.collect_static()
        self.build_public()
        call_command("ensure_admin", verbosity=verbosity)

    def collect_static(self):
        stamp = settings.STATIC_ROOT / ".sources-fingerprint"
        fingerprint = static_sources_fingerprint()
        if stamp.exists() and stamp.read_text() == fingerprint:
            return
        self.stdout.write("Collecting static files…")
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp.write_text(fingerprint)

    def build_public(self):
        """Publishing keeps the public file tree current; a tree that is missing, or was
        rendered by other code, templates, translations or static files, is built
        whole here, before the server reads it."""
        from caravan.static_site import conf
        from caravan.static_site.build import Publisher, tree_is_current
        from caravan.static_site.management.commands.build_public import _Bar

        if not conf.auto_refresh() or tree_is_current(conf.public_dir()):
            return
        self.stdout.write("Rendering the public pages to files (and the image sizes they show)…")
        publisher = Publisher(conf.public_dir())
        bar = _Bar(self.stdout, detail=ImageSizes())
        seconds, total = publisher.build(progress=bar, jobs=os.cpu_count() or 1)
        bar.finish()
        self.stdout.write(f"  {total} addresses in {seconds:.1f} s, files in {publisher.root}")
