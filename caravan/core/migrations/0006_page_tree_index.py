"""An index on the page tree that answers a page's children and a section's counts by
itself: the path, then the depth, whether the page is live and its type. Wagtail's
index on the path alone finds the pages below a section in order, but then reads each
page's row for its depth and state: the home page's children (the menu) read all
20,000 pages at the scale the benchmarks use (about 25 ms on SQLite), counting a
catalogue of 10,000 products read 10,000 rows. With the other columns in the index
they read only the index (about 1 ms). Path first, so that SQLite never prefers it to
another index where the path does not narrow the search (an article's neighbours are
found on their date's index); caravan/core/listing.section_pages asks for that range.

SQLite chooses among indexes from the statistics ANALYZE gathers
(caravan/operations/jobs.refresh_query_statistics): the new index gets its own at once,
on a database that has some."""

from django.db import migrations

INDEX = "caravan_page_tree"


def gather_statistics(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return  # PostgreSQL's autovacuum gathers its own
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute(f'ANALYZE "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_sections_landing_page"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" '
            'ON "wagtailcore_page" ("path", "depth", "live", "content_type_id")',
            f'DROP INDEX IF EXISTS "{INDEX}"',
        ),
        migrations.RunPython(gather_statistics, migrations.RunPython.noop),
    ]
