"""An index on the page tree for looking up a page's children by range: its depth,
then its path, then whether it is live and its type. Wagtail indexes the path alone,
so the children of the home page (or of a section) were found by reading every page
below it (20,000 at the scale the benchmarks use); with depth first, a page's children
are one index range, and counting a section's live pages of one type reads the index
only (caravan/core/listing.section_pages).

SQLite chooses among indexes from the statistics ANALYZE gathers (caravan/operations/
jobs.refresh_query_statistics); an index it has none for is taken for a very selective
one, and an article's neighbours were then looked up through this index (every article
read, 25 ms) instead of through their date's. So the new index gets its statistics at
once, on a database that has some."""

from django.db import migrations

INDEX = "caravan_page_children"


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
            'ON "wagtailcore_page" ("depth", "path", "live", "content_type_id")',
            f'DROP INDEX IF EXISTS "{INDEX}"',
        ),
        migrations.RunPython(gather_statistics, migrations.RunPython.noop),
    ]
