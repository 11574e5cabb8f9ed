"""Benchmark: import a large synthetic WordPress export into a fresh Caravan and print
the time taken and the importer's peak memory (resident set). Not a test: it prints
figures.

    .venv/bin/python bench/wordpress_import.py                      # ~6 MB export, a few minutes
    .venv/bin/python bench/wordpress_import.py --posts 10000 --products 2000 \\
        --attachments 20000 --size 105                              # the issue's 100 MB export

The export is written like WordPress's own (WXR 1.2: header, terms, then items with
their post meta); each post has a Gutenberg body of headings, paragraphs, a list, a
figure and a table; `--padding` adds paragraphs (about that many bytes per post, half
per product), and `--size` lengthens the bodies until the file reaches that many MB. Attachments
point into a generated uploads folder of small pictures (`--media-dir`), so the figure
measures the importer, not a network. The run happens in a child process on its own
SQLite database (a temporary CARAVAN_VAR_DIR, migrated and loaded with the demo), so its
peak resident memory is the importer's alone."""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The import in a process of its own, which prints its own peak resident memory (KB).
MEASURED = """
import resource, sys, django
django.setup()
from django.core.management import call_command
call_command("import_wordpress", sys.argv[1], media_dir=sys.argv[2], report=sys.argv[3],
             no_progress=True, stdout=open("/dev/null", "w"))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Bench Exporter</title><link>http://old.example.org</link><language>en-US</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>http://old.example.org</wp:base_site_url>
<wp:base_blog_url>http://old.example.org</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[admin]]></wp:author_login>
<wp:author_display_name><![CDATA[Bench Author]]></wp:author_display_name></wp:author>
"""


def item(wp_id, kind, title, slug, content, extra="", status="publish", parent=0):
    return f"""<item><title><![CDATA[{title}]]></title>
<link>http://old.example.org/{slug}/</link><dc:creator><![CDATA[admin]]></dc:creator>
<guid isPermaLink="false">http://old.example.org/?p={wp_id}</guid>
<content:encoded><![CDATA[{content}]]></content:encoded>
<excerpt:encoded><![CDATA[Summary of {title}.]]></excerpt:encoded>
<wp:post_id>{wp_id}</wp:post_id><wp:post_date><![CDATA[2024-01-02 10:00:00]]></wp:post_date>
<wp:post_date_gmt><![CDATA[2024-01-02 10:00:00]]></wp:post_date_gmt>
<wp:post_name><![CDATA[{slug}]]></wp:post_name><wp:status><![CDATA[{status}]]></wp:status>
<wp:post_parent>{parent}</wp:post_parent><wp:menu_order>0</wp:menu_order>
<wp:post_type><![CDATA[{kind}]]></wp:post_type>{extra}</item>
"""


def meta(key, value):
    return f"<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key><wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"


PARAGRAPH = 200  # bytes of one padding paragraph, about


def body(n, image_id, padding):
    paragraph = (
        "<!-- wp:paragraph -->\n<p>Paragraph about shipment {i} of article {n}: valves, "
        "flow meters and the rail route through the border station, with the engineers "
        "who installed them.</p>\n<!-- /wp:paragraph -->\n"
    )
    parts = [f"<!-- wp:heading -->\n<h2>Section of article {n}</h2>\n<!-- /wp:heading -->\n"]
    parts += [paragraph.format(i=i, n=n) for i in range(3 + padding // PARAGRAPH)]
    parts.append("<!-- wp:list -->\n<ul><li>DN50</li><li>DN100</li></ul>\n<!-- /wp:list -->\n")
    if image_id:
        parts.append(
            f'<!-- wp:image {{"id":{image_id}}} -->\n<figure class="wp-block-image">'
            f'<img src="http://old.example.org/wp-content/uploads/bench/{image_id}.png" '
            f'class="wp-image-{image_id}" alt="Picture {image_id}"/>'
            f"<figcaption>Caption {n}</figcaption></figure>\n<!-- /wp:image -->\n"
        )
    parts.append(
        '<!-- wp:table -->\n<figure class="wp-block-table"><table><tbody><tr><td>Size</td>'
        "<td>DN100</td></tr></tbody></table></figure>\n<!-- /wp:table -->\n"
    )
    return "".join(parts)


def write_export(path, media_dir, posts, products, attachments, padding):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (64, 48), (30, 90, 160)).save(buffer, "PNG")
    png = buffer.getvalue()
    (media_dir / "bench").mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEADER)
        for c in range(20):
            out.write(
                f"<wp:category><wp:term_id>{c + 1}</wp:term_id><wp:category_nicename><![CDATA[topic-{c}]]>"
                f"</wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent>"
                f"<wp:cat_name><![CDATA[Topic {c}]]></wp:cat_name></wp:category>\n"
            )
        wp_id = 1
        for _ in range(attachments):
            name = f"{wp_id}.png"
            (media_dir / "bench" / name).write_bytes(png)
            out.write(
                item(
                    wp_id,
                    "attachment",
                    f"Picture {wp_id}",
                    f"picture-{wp_id}",
                    "",
                    f"<wp:attachment_url>http://old.example.org/wp-content/uploads/bench/{name}"
                    f"</wp:attachment_url>"
                    + meta("_wp_attached_file", f"bench/{name}")
                    + meta("_wp_attachment_image_alt", f"Picture {wp_id}"),
                    status="inherit",
                )
            )
            wp_id += 1
        first_image = 1 if attachments else 0
        for n in range(posts):
            image = first_image + (n % attachments) if attachments else 0
            terms = f'<category domain="category" nicename="topic-{n % 20}"><![CDATA[Topic {n % 20}]]></category>'
            out.write(
                item(
                    wp_id,
                    "post",
                    f"Article {n}",
                    f"article-{n}",
                    body(n, image, padding),
                    terms
                    + meta("_thumbnail_id", image)
                    + meta("_yoast_wpseo_metadesc", f"About article {n}"),
                )
            )
            wp_id += 1
        for n in range(products):
            image = first_image + (n % attachments) if attachments else 0
            attributes = (
                'a:1:{s:8:"pa_size";a:6:{s:4:"name";s:7:"pa_size";s:5:"value";s:0:"";'
                's:8:"position";i:0;s:10:"is_visible";i:1;s:12:"is_variation";i:0;s:11:"is_taxonomy";i:1;}}'
            )
            terms = (
                '<category domain="product_cat" nicename="valves"><![CDATA[Valves]]></category>'
                '<category domain="pa_size" nicename="dn100"><![CDATA[DN100]]></category>'
            )
            out.write(
                item(
                    wp_id,
                    "product",
                    f"Valve {n}",
                    f"valve-{n}",
                    body(n, image, padding // 2),
                    terms
                    + meta("_sku", f"BV-{n:05d}")
                    + meta("_price", "12")
                    + meta("_thumbnail_id", image)
                    + meta("_product_attributes", attributes),
                )
            )
            wp_id += 1
        out.write("</channel>\n</rss>\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--attachments", type=int, default=1000)
    parser.add_argument("--padding", type=int, default=2500, help="extra body bytes per post")
    parser.add_argument(
        "--size",
        type=float,
        default=0,
        help="lengthen the bodies until the export has this many MB",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="caravan-bench-wp-"))
    export, media_dir = work / "export.xml", work / "uploads"
    padding = args.padding
    write_export(export, media_dir, args.posts, args.products, args.attachments, padding)
    size = export.stat().st_size
    bodies = args.posts + args.products / 2
    while args.size and size < args.size * 1e6 and bodies:
        # Each paragraph of padding is about PARAGRAPH bytes; add what is missing, and a bit.
        padding += max(PARAGRAPH, int((args.size * 1e6 - size) / bodies * 1.05))
        write_export(export, media_dir, args.posts, args.products, args.attachments, padding)
        size = export.stat().st_size
    print(
        f"export: {size / 1e6:.1f} MB, {args.posts} posts, {args.products} products, "
        f"{args.attachments} attachments, padding {padding}"
    )
    env = {
        **os.environ,
        "CARAVAN_VAR_DIR": str(work / "var"),
        "MEDIA_ROOT": str(work / "media"),
        "DJANGO_SETTINGS_MODULE": "caravan.settings.base",
        "CARAVAN_STATIC_PUBLISH": "true",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], check=True, env=env, cwd=ROOT)
    subprocess.run([*manage, "load_demo"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", MEASURED, str(export), str(media_dir), str(work / "report.json")],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    peak_kb = int(result.stdout.strip().splitlines()[-1])
    items = args.posts + args.products + args.attachments
    print(
        f"import: {elapsed:.1f} s, {items / elapsed:.1f} items/s, peak RSS {peak_kb / 1024:.0f} MB"
    )
    started = time.perf_counter()
    subprocess.run(
        [*manage, "import_wordpress", str(export), "--media-dir", str(media_dir), "--no-progress"],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    print(f"second run (nothing changed): {time.perf_counter() - started:.1f} s")
    print(f"report: {work / 'report.json'}" if args.keep else "")
    if not args.keep:
        subprocess.run(["rm", "-rf", str(work)], check=False)


if __name__ == "__main__":
    main()
