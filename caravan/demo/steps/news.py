"""Demo content of the news app: the “News” section of Silkline Flow Controls and ten
articles spread over the past two years.

Every sentence was written for Caravan. Dates are relative to the day the demo is loaded,
so the articles always cover the two years before it. Articles link to live products
whose titles match their subject (the products step runs first)."""

from datetime import timedelta

from django.utils import timezone

from caravan.demo.images import scene_image
from caravan.news.models import NewsIndexPage, NewsPage, NewsPageRelatedProduct
from caravan.products.models import ProductPage

from . import ensure_child, rich, stream

INDEX = {
    "title": "News",
    "slug": "news",
    "introduction": (
        "What is new at Silkline Flow Controls: products, trade fairs, certificates, "
        "the factory in Xi'an and the rail routes that carry our valves and meters to "
        "Central Asia, Russia and Belarus."
    ),
    "listing_summary": "Products, trade fairs, certificates and shipping news from Silkline.",
    "search_description": (
        "News from Silkline Flow Controls, maker of industrial valves and flow meters in "
        "Xi'an: new products, trade fairs, certification, factory and rail logistics."
    ),
}


def figure(image, caption, credit="", alt_text=""):
    return (
        "figure",
        {"image": image.pk, "alt_text": alt_text, "caption": caption, "credit": credit},
    )


def heading(text, level="h2"):
    return ("heading", {"text": text, "level": level})


def paragraph(*paragraphs):
    return ("paragraph", rich(*paragraphs))


def callout(text, title="Did you know?"):
    return ("callout", {"title": title, "text": f"<p>{text}</p>"})


def timeline(title, *entries):
    return (
        "timeline",
        {"title": title, "entries": [{"date_label": d, "text": t} for d, t in entries]},
    )


def quote(text, attribution):
    return ("quote", {"text": text, "attribution": attribution})


def table(caption, *rows, header=True, first_col=False):
    return (
        "table",
        {
            "data": [list(row) for row in rows],
            "first_row_is_table_header": header,
            "first_col_is_header": first_col,
            "table_caption": caption,
        },
    )


def products_matching(*keywords, fallback=False):
    """Live products whose title contains one of `keywords` (one per keyword, in order);
    with `fallback`, the first live product when none matches."""
    products = list(ProductPage.objects.live().order_by("path"))
    chosen = []
    for keyword in keywords:
        for product in products:
            if keyword.lower() in product.title.lower() and product not in chosen:
                chosen.append(product)
                break
    if not chosen and fallback and products:
        chosen = products[:1]
    return chosen


# Each article: slug, days before today, title, summary, author, tags, hero (kind,
# palette, alt text, caption), product keywords, and a function building the body.


def history_body(img):
    return stream(
        paragraph(
            "When Silkline opened its first assembly hall on the eastern edge of Xi'an, "
            "fourteen people put together gate valves from castings bought in Hebei. "
            "Sixteen years later the same site casts, machines, tests and crates valves "
            "and flow meters for water, heating and oil networks in five countries. This "
            "is how one hall became a works with its own foundry and its own train."
        ),
        heading("A hall, a crane and a pressure pump"),
        paragraph(
            "The first hall had one overhead crane and a hand-operated pressure pump. "
            "Every valve was tested with water at one and a half times its rated "
            "pressure, and the result was written into a paper ledger that still sits "
            "in a glass case in the entrance.",
            "That ledger set a habit we have never dropped: a valve without a test "
            "record does not leave the building.",
        ),
        figure(
            img["hall"],
            "The first assembly hall, now the training workshop for new fitters.",
            "Silkline archive",
        ),
        heading("Pouring our own metal"),
        paragraph(
            "Bought-in castings were the weak point. Porosity showed up only under test, "
            "weeks after an order was placed. In 2012 we built a foundry for ductile iron "
            "and carbon steel, and in 2015 added a line for stainless steel.",
            "Owning the foundry means every body carries a heat number, and a buyer can "
            "ask which melt their valve came from.",
        ),
        figure(
            img["foundry"],
            "Ductile iron is poured into sand moulds in the foundry built in 2012.",
            "Silkline foundry",
        ),
        heading("West by rail"),
        paragraph(
            "Our first export order came from a heating company in Almaty. The valves "
            "went by truck to the border and waited there for nine days. When the "
            "container trains from Xi'an started running to Central Asia, we moved our "
            "freight to rail and have not gone back.",
            "Today a block train leaves the Xi'an yard twice a week. Almaty is about six "
            "days away, Tashkent about eight, Moscow about fourteen and Minsk about "
            "sixteen.",
        ),
        timeline(
            "Milestones",
            ("2008", "First assembly hall opens with fourteen people."),
            ("2012", "Own foundry for ductile iron and carbon steel; ISO 9001."),
            ("2015", "Stainless steel casting line."),
            ("2016", "First container of valves sent to Almaty by rail."),
            ("2019", "Electromagnetic flow meters join the range."),
            ("2023", "EAC certification for the whole valve range."),
            ("2025", "Second hydrostatic test bench and a partner warehouse in Minsk."),
        ),
        callout(
            "The rail journey from Xi'an to Almaty crosses a change of track gauge at "
            "the Kazakh border: containers are lifted from Chinese standard-gauge wagons "
            "onto wider Russian-gauge wagons in a few hours."
        ),
        heading("Meters beside valves"),
        paragraph(
            "Buyers who bought our valves kept asking for flow meters for the same "
            "pipelines. In 2019 we opened a line for electromagnetic flow meters, with "
            "a calibration rig that checks every meter against a weighed tank before "
            "it is packed.",
        ),
        quote(
            "We never set out to be big. We set out to be the supplier whose paperwork "
            "is right the first time.",
            "Founder of Silkline Flow Controls",
        ),
        heading("What has not changed", "h3"),
        paragraph(
            "Two hundred and forty people now work here, and the ledger has become a "
            "database, but the rule from the first hall still holds: every valve and "
            "every meter is tested, and its record travels with it."
        ),
    )


def fair_almaty_body(img):
    return stream(
        paragraph(
            "For four days our export team stood beside a cut-open DN150 gate valve in "
            "Almaty and answered the same good question many times: how long does it "
            "take to get here? The answer, about six days by rail from Xi'an, started "
            "more conversations than any brochure."
        ),
        figure(
            img["stand"],
            "Our stand with the sectioned gate valve and a working flow meter on a test loop.",
        ),
        heading("What visitors asked about"),
        paragraph(
            "Heating networks wanted soft-seated gate valves that close tight after "
            "years open. Water utilities asked about epoxy coating thickness and "
            "drinking-water approval. Several contractors asked for Russian-language "
            "passports in the crate, which we already ship with every order."
        ),
        heading("After the fair"),
        paragraph(
            "We came home with sixty-three inquiries. Each received an answer from an "
            "engineer within one business day, with drawings and a delivery date."
        ),
    )


def butterfly_body(img):
    return stream(
        paragraph(
            "District heating networks in Kazakhstan and Russia asked for a larger "
            "butterfly valve that can sit in a chamber for years and still turn with "
            "one hand on the gearbox. The new DN300 valve is our answer."
        ),
        heading("Built for hot water"),
        paragraph(
            "The disc is ductile iron with a stainless steel shaft in one piece, and the "
            "EPDM liner is rated for continuous water at 130 °C. The worm gearbox is "
            "sealed to IP67 because heating chambers flood."
        ),
        table(
            "DN300 butterfly valve at a glance",
            ("Property", "Value"),
            ("Nominal size", "DN300"),
            ("Pressure rating", "PN16"),
            ("Medium temperature", "−20 to +130 °C"),
            ("Body", "Ductile iron, epoxy coated 250 µm"),
            ("Operation", "Worm gearbox, IP67"),
            first_col=True,
        ),
        figure(img["detail"], "The one-piece shaft before it is fitted to the disc."),
        paragraph(
            "The valve is available from stock in Xi'an and ships with the EAC "
            "declaration and a Russian-language passport."
        ),
    )


def eac_body(img):
    return stream(
        paragraph(
            "Our EAC declarations for gate, ball and butterfly valves have been renewed "
            "for another five years after a new round of type tests and an audit of the "
            "production line."
        ),
        heading("What the renewal covered"),
        paragraph(
            "Inspectors chose valves from finished stock, tested the shells and seats "
            "again and checked that our test records match what the valves do. They "
            "also reviewed how we trace each casting from the foundry to the crate."
        ),
        callout(
            "An EAC declaration lets a product be sold in every member country of the "
            "Eurasian Economic Union, including Kazakhstan, Russia, Belarus, Armenia "
            "and Kyrgyzstan, without a separate certificate for each.",
            title="Good to know",
        ),
        paragraph(
            "Copies of the declarations are on request from our export desk, and a copy "
            "travels in the documents pouch of every shipment."
        ),
    )


def bench_body(img):
    return stream(
        paragraph(
            "A second hydrostatic test bench went into service in our test bay this "
            "month. It takes valves up to DN600 and lets us test two large valves at "
            "once, which shortens the queue for big orders."
        ),
        (
            "video",
            {
                "url": "https://video.silkline-flow.example/test-bench-2",
                "title": "The new bench testing a DN400 gate valve",
                "poster": img["bench"].pk,
                "caption": "Shell test at 1.5 times rated pressure, followed by the seat test.",
            },
        ),
        heading("Why a second bench"),
        paragraph(
            "Orders for valves above DN300 doubled in two years. One bench meant large "
            "valves waited for small ones. Now each size range has its own bench, and "
            "the chart of every test is stored with the valve's serial number."
        ),
        quote(
            "The chart is the valve's birth certificate. A buyer can ask for it years "
            "later and we will still have it.",
            "Head of the test bay",
        ),
    )


def meter_body(img):
    return stream(
        paragraph(
            "Our SFM electromagnetic flow meters now show their menus in Russian, Kazakh "
            "and English as well as Chinese. Service engineers in the field no longer "
            "need a phrasebook to change a setting."
        ),
        figure(img["display"], "The converter's display with the Russian-language menu."),
        heading("Other changes in this version"),
        paragraph(
            "<b>Data logging</b> now keeps two years of hourly totals. <b>Modbus</b> "
            "registers follow the layout most SCADA integrators in the region already "
            "use. The converter housing is unchanged, so existing brackets fit."
        ),
        callout(
            "An electromagnetic flow meter has no moving parts in the pipe: it measures "
            "the voltage that water induces as it flows through a magnetic field, so "
            "there is nothing to wear out.",
        ),
    )


def fair_yekaterinburg_body(img):
    return stream(
        paragraph(
            "Our team will be at the summer industrial fair in Yekaterinburg with valves "
            "and flow meters for water and heating networks. Come and see a valve cut "
            "open, and a flow meter running on a test loop."
        ),
        table(
            "Where to find us",
            ("Hall", "Hall 2, pipeline equipment"),
            ("Stand", "B-14"),
            ("Languages", "Russian, English, Chinese"),
            header=False,
            first_col=True,
        ),
        paragraph(
            "If you would like a meeting at a set time, send us an inquiry from this "
            "page and tell us which products interest you. We will bring samples."
        ),
    )


def iso_body(img):
    return stream(
        paragraph(
            "Our foundry has been certified to ISO 14001 for environmental management. "
            "The audit looked at how we handle foundry sand, dust, cooling water and "
            "the energy our furnaces use."
        ),
        figure(img["filters"], "New dust filters above the moulding line.", "Silkline foundry"),
        heading("What changed on the ground"),
        paragraph(
            "Ninety per cent of our moulding sand is now reclaimed and used again. The "
            "cooling water runs in a closed loop, and new filters catch dust before it "
            "reaches the yard."
        ),
    )


def winter_body(img):
    return stream(
        paragraph(
            "From December to March a container on its way to Novosibirsk may sit at "
            "minus thirty degrees for days. Water left in a valve after testing freezes, "
            "and ice can crack a body. Here is how we prevent it."
        ),
        heading("Dry before it is packed"),
        paragraph(
            "After the hydrostatic test every valve is drained, blown through with "
            "warm dry air and capped at both ends. Meters are packed with desiccant bags "
            "sealed inside a foil liner."
        ),
        figure(img["crates"], "Capped valves in crates lined with foil, ready for a winter train."),
        callout(
            "Condensation, not cold, does most harm: a crate packed on a humid day and "
            "then frozen can collect water inside. That is why we pack winter orders in "
            "a heated, dry hall.",
            title="Winter tip",
        ),
        heading("On arrival"),
        paragraph(
            "We ask buyers to let crates warm up unopened for a day before unpacking, "
            "so that moisture does not condense on cold metal."
        ),
    )


def minsk_body(img):
    return stream(
        paragraph(
            "Buyers in Belarus can now collect our most requested valves from a partner "
            "warehouse in Minsk, instead of waiting for the next train from Xi'an."
        ),
        heading("What is in stock"),
        paragraph(
            "Gate valves from DN50 to DN300, ball valves for gas and water, and spare "
            "seals and gearboxes. Stock is counted every week and published to our "
            "sales team, so the answer to ‘do you have it?’ is always current."
        ),
        figure(img["warehouse"], "The first pallets of Silkline valves on the shelves in Minsk."),
        paragraph(
            "Larger sizes and flow meters still ship from Xi'an by rail, about sixteen "
            "days door to door."
        ),
    )


ARTICLES = [
    {
        "slug": "silkline-at-the-almaty-industrial-fair",
        "days_ago": 705,
        "title": "Four days at the Almaty industrial fair",
        "summary": "Sixty-three inquiries, one sectioned gate valve and many questions about rail transit times: our report from Almaty.",
        "author": "Export desk",
        "tags": ["Trade fairs", "Kazakhstan"],
        "hero": (
            "fair",
            "sand",
            "Visitors at the Silkline stand in the Almaty exhibition hall",
            "Our stand in Almaty.",
        ),
        "images": {
            "stand": (
                "fair",
                "forest",
                "A sectioned gate valve on the Silkline stand with visitors around it",
            )
        },
        "products": ["gate valve"],
        "body": fair_almaty_body,
    },
    {
        "slug": "new-dn300-butterfly-valve-for-district-heating",
        "days_ago": 640,
        "title": "A DN300 butterfly valve for district heating",
        "summary": "A larger butterfly valve with a one-piece stainless shaft and a flood-proof gearbox, made for heating chambers.",
        "author": "",
        "tags": ["New products", "Butterfly valves", "District heating"],
        "hero": (
            "valve",
            "steel",
            "A DN300 butterfly valve with its worm gearbox on a workbench",
            "",
        ),
        "images": {
            "detail": (
                "valve",
                "night",
                "Close view of a stainless steel valve shaft before assembly",
            )
        },
        "products": ["butterfly"],
        "body": butterfly_body,
    },
    {
        "slug": "eac-declarations-renewed",
        "days_ago": 560,
        "title": "EAC declarations renewed for the whole valve range",
        "summary": "New type tests and a production audit renew our EAC declarations for gate, ball and butterfly valves.",
        "author": "Quality department",
        "tags": ["Certification", "Quality"],
        "hero": (
            "pattern",
            "forest",
            "Stamped certification documents on a desk in the quality office",
            "",
        ),
        "images": {},
        "products": [],
        "body": eac_body,
    },
    {
        "slug": "second-hydrostatic-test-bench",
        "days_ago": 485,
        "title": "A second test bench for large valves",
        "summary": "Valves up to DN600 now have their own hydrostatic test bench, halving the wait for large orders.",
        "author": "",
        "tags": ["Factory", "Quality"],
        "hero": (
            "valve",
            "rust",
            "A large gate valve clamped in the new hydrostatic test bench",
            "The new bench in the test bay.",
        ),
        "images": {"bench": ("valve", "sand", "A DN400 gate valve under test in the new bench")},
        "products": ["gate valve"],
        "body": bench_body,
    },
    {
        "slug": "a-short-history-of-silkline",
        "days_ago": 420,
        "title": "From one hall to five countries: a short history of Silkline",
        "summary": "How a fourteen-person valve workshop in Xi'an grew its own foundry, its own test bay and a rail route to Central Asia, Russia and Belarus.",
        "author": "Silkline editorial team",
        "tags": ["History", "Rail freight", "Factory"],
        "hero": (
            "rail",
            "sand",
            "A container train with Silkline freight leaving the Xi'an rail yard at dusk",
            "Silkline freight leaving the Xi'an yard.",
        ),
        "images": {
            "hall": (
                "factory",
                "steel",
                "The first Silkline assembly hall with its overhead crane",
            ),
            "foundry": ("factory", "rust", "The Silkline foundry building with its chimney"),
        },
        "products": ["gate valve", "flow meter"],
        "fallback_product": True,
        "body": history_body,
    },
    {
        "slug": "flow-meters-speak-russian-and-kazakh",
        "days_ago": 355,
        "title": "Our flow meters now speak Russian and Kazakh",
        "summary": "The SFM converter's menus come in Russian, Kazakh, English and Chinese, with two years of data logging.",
        "author": "",
        "tags": ["New products", "Flow meters"],
        "hero": ("meter", "steel", "An electromagnetic flow meter fitted in a blue water pipe", ""),
        "images": {
            "display": ("meter", "night", "The flow meter converter display showing a menu")
        },
        "products": ["flow meter", "meter"],
        "body": meter_body,
    },
    {
        "slug": "meet-us-in-yekaterinburg",
        "days_ago": 270,
        "title": "Meet us at the summer industrial fair in Yekaterinburg",
        "summary": "Valves cut open and a flow meter on a live test loop: find our team in hall 2 and book a meeting in advance.",
        "author": "Export desk",
        "tags": ["Trade fairs", "Russia"],
        "hero": (
            "fair",
            "steel",
            "An exhibition hall with stands of pipeline equipment makers",
            "",
        ),
        "images": {},
        "products": [],
        "body": fair_yekaterinburg_body,
    },
    {
        "slug": "foundry-certified-to-iso-14001",
        "days_ago": 190,
        "title": "Our foundry is certified to ISO 14001",
        "summary": "Reclaimed sand, closed-loop cooling water and new dust filters: what the environmental audit of our foundry found.",
        "author": "Quality department",
        "tags": ["Certification", "Factory"],
        "hero": ("factory", "forest", "The Silkline foundry building under a clear sky", ""),
        "images": {"filters": ("pattern", "steel", "Rows of round dust filters seen from below")},
        "products": [],
        "body": iso_body,
    },
    {
        "slug": "winter-shipping-to-siberia",
        "days_ago": 105,
        "title": "Winter shipping: keeping valves dry on the way to Novosibirsk",
        "summary": "Drained, dried, capped and packed with desiccant: how our valves and meters survive a Siberian winter in a container.",
        "author": "Logistics team",
        "tags": ["Rail freight", "Russia"],
        "hero": ("rail", "night", "A container train crossing a snowy plain at night", ""),
        "images": {
            "crates": ("pattern", "sand", "Wooden crates lined with foil in the packing hall")
        },
        "products": ["ball valve"],
        "body": winter_body,
    },
    {
        "slug": "valves-from-stock-in-minsk",
        "days_ago": 24,
        "title": "Valves from stock in Minsk",
        "summary": "Our most requested gate and ball valves are now on the shelf at a partner warehouse in Minsk.",
        "author": "",
        "tags": ["Rail freight", "Belarus"],
        "hero": (
            "factory",
            "sand",
            "A warehouse with pallets of crated valves",
            "Our partner warehouse in Minsk.",
        ),
        "images": {
            "warehouse": ("pattern", "rust", "Pallets of crated valves on warehouse shelves")
        },
        "products": ["gate valve", "ball valve"],
        "body": minsk_body,
    },
]


def build_article(spec, now):
    hero_kind, palette, alt, caption = spec["hero"]
    hero = scene_image(
        spec["title"], hero_kind, alt, palette=palette, seed=spec["days_ago"], size=(1200, 750)
    )
    images = {
        key: scene_image(
            f"{spec['title']} – {key}", kind, image_alt, palette=pal, seed=i, size=(1200, 750)
        )
        for i, (key, (kind, pal, image_alt)) in enumerate(spec["images"].items())
    }
    article = NewsPage(
        title=spec["title"],
        slug=spec["slug"],
        # Office hours in Xi'an (UTC+8), on the whole minute.
        date=(now - timedelta(days=spec["days_ago"])).replace(
            hour=1 + spec["days_ago"] % 7, minute=30, second=0, microsecond=0
        ),
        author=spec["author"],
        summary=spec["summary"],
        hero_image=hero,
        hero_caption=caption,
        body=spec["body"](images),
    )
    article.tags.add(*spec["tags"])
    products = products_matching(*spec["products"], fallback=spec.get("fallback_product", False))
    article.related_products = [NewsPageRelatedProduct(product=p) for p in products]
    return article


def load(ctx):
    index = ensure_child(ctx.home, NewsIndexPage(show_in_menus=True, per_page=8, **INDEX))
    now = timezone.now()
    existing = set(index.get_children().values_list("slug", flat=True))
    added = 0
    for spec in ARTICLES:
        if spec["slug"] in existing:
            continue
        ensure_child(index, build_article(spec, now))
        added += 1
    ctx.objects["news_index"] = index
    ctx.say(f"News: {added} articles added, {len(ARTICLES) - added} already there")
