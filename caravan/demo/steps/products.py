"""Demo content of the products app: the catalogue of Silkline Flow Controls.

Three categories and twelve products, each with pictures drawn by Pillow, a specification
table, order and trade terms, certifications and a PDF datasheet written at load time.
The company and its products are fictional; every sentence was written for Caravan."""

from wagtail.models import Locale

from caravan.demo.documents import datasheet_pdf, save_document
from caravan.demo.images import product_image
from caravan.products.models import (
    HomePageFeaturedProduct,
    ProductCategory,
    ProductIndexPage,
    ProductPage,
    ProductPageDocument,
    ProductPageGalleryImage,
    ProductPageRelatedProduct,
)

from . import ensure_child, rich, stream

CATEGORIES = [
    (
        "valves",
        "Valves",
        "Gate, ball, butterfly and check valves for water, heating and oil lines, DN15 to DN1200.",
    ),
    (
        "flow-meters",
        "Flow meters",
        "Electromagnetic, ultrasonic and vortex meters for water networks, district heating "
        "and steam.",
    ),
    (
        "strainers-and-check-valves",
        "Strainers and check valves",
        "Line protection: Y-strainers that catch scale and check valves that stop backflow.",
    ),
]

VIEW_ALT = {
    "studio": "{title}, model {sku}, photographed on a light grey backdrop",
    "detail": "Close view of the body and connections of the {title}",
    "nameplate": "The stamped nameplate of a {title} showing model number {sku}",
    "crate": "A {title} packed in a marked plywood export crate",
}

STANDARD_CERTS = {
    "iso": ("ISO 9001:2015", "Quality management system, audited every year"),
    "eac": ("EAC", "Declaration of conformity to TR CU 010/2011 and 032/2013"),
    "ce": ("CE (PED 2014/68/EU)", "Module H, notified body 2035"),
    "wras": ("WRAS", "Approved for use with drinking water (EPDM parts)"),
    "mid": ("MID (2014/32/EU)", "Module B and D, class 2 water meters"),
    "api": ("API 6D", "Pipeline valves, licence 6D-1187"),
}

RAIL_TERMS = [("FCA", "Xi'an"), ("DAP", "Almaty"), ("CPT", "Tashkent")]
SEA_TERMS = [("FOB", "Qingdao"), ("CIF", "Novorossiysk")]
PAYMENT = "T/T: 30% with the order, 70% before shipment; L/C at sight for orders over USD 50,000"
CRATE = "Fumigated plywood crates on pallets, flanges capped, desiccant inside"

PRODUCTS = [
    {
        "slug": "resilient-seated-gate-valve",
        "title": "Resilient-seated gate valve",
        "sku": "SLV-GV-Z45X",
        "categories": ["valves"],
        "kind": "gate_valve",
        "palette": "steel",
        "views": ("studio", "detail", "nameplate", "crate"),
        "short": (
            "A ductile-iron gate valve with an EPDM-encapsulated wedge that closes drop-tight "
            "against the body, for drinking-water and fire-protection mains."
        ),
        "body": [
            "The wedge is moulded in EPDM over a ductile-iron core, so the valve seals "
            "without a seat groove where grit could settle. The non-rising stem turns in "
            "a brass nut and is sealed by three O-rings that can be changed under pressure.",
            "Inside and out the body carries 250 µm of fusion-bonded epoxy, holiday-tested "
            "at the works, which keeps tuberculation out of the bore for decades.",
        ],
        "table": {
            "caption": "Face-to-face lengths (EN 558 series 3)",
            "rows": [
                ["Size", "Length (mm)", "Weight (kg)"],
                ["DN100", "190", "24"],
                ["DN150", "210", "38"],
                ["DN200", "230", "61"],
            ],
        },
        "specs": [
            ("group", "Ratings"),
            ("Nominal size", "DN50–DN600", ""),
            ("Nominal pressure", "1.0 / 1.6", "MPa"),
            ("Working temperature", "0 to 70", "°C"),
            ("group", "Materials"),
            ("Body and bonnet", "Ductile iron EN-GJS-500-7", ""),
            ("Wedge", "Ductile iron, EPDM encapsulated", ""),
            ("Stem", "Stainless steel 1.4021", ""),
            ("Coating", "Fusion-bonded epoxy, 250", "µm"),
            ("group", "Connections"),
            ("Flanges", "EN 1092-2 PN10 / PN16", ""),
        ],
        "moq": (20, "pieces"),
        "lead_time": "15–25 days after the deposit",
        "terms": RAIL_TERMS + SEA_TERMS[:1],
        "certs": ["iso", "wras", "eac"],
        "related": ["cast-steel-wedge-gate-valve", "ductile-iron-y-strainer", "swing-check-valve"],
    },
    {
        "slug": "cast-steel-wedge-gate-valve",
        "title": "Cast steel wedge gate valve",
        "sku": "SLV-GV-Z41H",
        "categories": ["valves"],
        "kind": "gate_valve",
        "palette": "rust",
        "views": ("studio", "detail", "nameplate"),
        "short": (
            "A bolted-bonnet gate valve in WCB cast steel with a flexible wedge and "
            "stellite-faced seats, for oil, gas and hot water up to 425 °C."
        ),
        "body": [
            "The flexible wedge follows the seats as the body warms up, so the valve still "
            "opens after a cold night on an outdoor line. Seats are hard-faced with "
            "stellite and lapped in pairs; the back seat lets the gland be repacked with "
            "the line in service.",
        ],
        "specs": [
            ("group", "Ratings"),
            ("Nominal size", "DN50–DN400", ""),
            ("Pressure class", "PN16 / PN25 / PN40", ""),
            ("Working temperature", "-29 to 425", "°C"),
            ("group", "Materials"),
            ("Body", "Cast steel WCB", ""),
            ("Seat facing", "Stellite No. 6", ""),
            ("Packing", "Flexible graphite", ""),
            ("group", "Testing"),
            ("Shell test", "1.5 × rated pressure", ""),
            ("Standard", "API 600 / EN 12266-1", ""),
        ],
        "moq": (10, "pieces"),
        "lead_time": "25–35 days after the deposit",
        "terms": RAIL_TERMS[:2] + SEA_TERMS,
        "certs": ["iso", "ce", "eac"],
        "related": ["resilient-seated-gate-valve", "double-offset-butterfly-valve"],
    },
    {
        "slug": "stainless-full-bore-ball-valve",
        "title": "Stainless full-bore ball valve",
        "sku": "SLV-BV-Q41F",
        "categories": ["valves"],
        "kind": "ball_valve",
        "palette": "night",
        "views": ("studio", "detail", "nameplate"),
        "short": (
            "A two-piece flanged ball valve in CF8M stainless steel with PTFE seats and a "
            "full bore, so pigs and scrapers pass and the pressure drop stays negligible."
        ),
        "body": [
            "A quarter turn of the locking lever opens or closes the valve; an ISO 5211 "
            "top flange takes an actuator without an adaptor. The stem is blow-out proof "
            "and grounded to the body against static charge.",
        ],
        "specs": [
            ("Nominal size", "DN15–DN200", ""),
            ("Nominal pressure", "1.6 / 4.0", "MPa"),
            ("Working temperature", "-20 to 180", "°C"),
            ("Body and ball", "Stainless steel CF8M", ""),
            ("Seats", "PTFE, 15% glass-filled", ""),
            ("Actuator mounting", "ISO 5211 F05–F10", ""),
        ],
        "moq": (50, "pieces"),
        "lead_time": "10–20 days after the deposit",
        "terms": RAIL_TERMS + SEA_TERMS[:1],
        "certs": ["iso", "ce", "eac"],
        "related": ["concentric-wafer-butterfly-valve", "dual-plate-wafer-check-valve"],
    },
    {
        "slug": "concentric-wafer-butterfly-valve",
        "title": "Concentric wafer butterfly valve",
        "sku": "SLV-BF-D71X",
        "categories": ["valves"],
        "kind": "butterfly_valve",
        "palette": "steel",
        "views": ("studio", "detail", "crate"),
        "short": (
            "A light, short wafer valve with a replaceable EPDM liner and a ductile-iron "
            "disc, for water, irrigation and HVAC lines where space between flanges is tight."
        ),
        "body": [
            "The liner is bonded only at the stem bores, so it can be pulled out and "
            "replaced on site. The disc is nickel-plated and pinned to a one-piece stem; "
            "up to DN200 it is worked with a ten-position lever, above that with a "
            "worm gearbox.",
        ],
        "specs": [
            ("Nominal size", "DN50–DN600", ""),
            ("Nominal pressure", "1.0 / 1.6", "MPa"),
            ("Working temperature", "-10 to 110", "°C"),
            ("Body", "Ductile iron EN-GJS-450-10", ""),
            ("Disc", "Ductile iron, nickel-plated", ""),
            ("Liner", "EPDM, replaceable", ""),
            ("Operator", "Lever to DN200, gearbox above", ""),
        ],
        "moq": (30, "pieces"),
        "lead_time": "15–20 days after the deposit",
        "terms": RAIL_TERMS + SEA_TERMS[:1],
        "certs": ["iso", "wras", "eac"],
        "related": ["double-offset-butterfly-valve", "stainless-full-bore-ball-valve"],
    },
    {
        "slug": "double-offset-butterfly-valve",
        "title": "Double-offset flanged butterfly valve",
        "sku": "SLV-BF-D343",
        "categories": ["valves"],
        "kind": "butterfly_valve",
        "palette": "forest",
        "views": ("studio", "detail", "nameplate", "crate"),
        "short": (
            "A double-flanged butterfly valve with an offset disc and a stainless seat ring, "
            "made for large water transmission mains and pumping stations up to DN1200."
        ),
        "body": [
            "Because the disc swings clear of the seal after the first few degrees, the "
            "seal wears only where it closes, and the torque needed to open the valve "
            "stays low for its whole life. The gearbox is sealed to IP67 and can be buried.",
        ],
        "specs": [
            ("Nominal size", "DN300–DN1200", ""),
            ("Nominal pressure", "1.0 / 1.6 / 2.5", "MPa"),
            ("Body", "Ductile iron, epoxy coated", ""),
            ("Seat ring", "Stainless steel 1.4301", ""),
            ("Seal", "EPDM profile ring", ""),
            ("Gearbox protection", "IP67", ""),
        ],
        "moq": (4, "pieces"),
        "lead_time": "30–45 days after the deposit",
        "terms": RAIL_TERMS[:2] + SEA_TERMS,
        "certs": ["iso", "eac"],
        "related": ["concentric-wafer-butterfly-valve", "resilient-seated-gate-valve"],
    },
    {
        "slug": "flanged-electromagnetic-flow-meter",
        "title": "Flanged electromagnetic flow meter",
        "sku": "SLF-EM-200",
        "categories": ["flow-meters"],
        "kind": "em_meter",
        "palette": "steel",
        "views": ("studio", "detail", "nameplate", "crate"),
        "short": (
            "A full-bore magnetic flow meter with no moving parts, for clean and waste "
            "water, slurries and chemicals, with a backlit transmitter and 4–20 mA, pulse "
            "and Modbus outputs."
        ),
        "body": [
            "Each meter is wet-calibrated on our gravimetric rig in Xi'an and ships with "
            "its calibration certificate. The transmitter turns through 90° steps on the "
            "sensor, or mounts on a wall up to 30 m away.",
            "The liner and electrodes are chosen for the medium: hard rubber and "
            "stainless electrodes for water, PTFE and Hastelloy for acids and brine.",
        ],
        "table": {
            "caption": "Flow ranges by size (velocity 0.3–10 m/s)",
            "rows": [
                ["Size", "Minimum (m³/h)", "Maximum (m³/h)"],
                ["DN50", "2.1", "70"],
                ["DN100", "8.5", "280"],
                ["DN200", "34", "1,130"],
            ],
        },
        "specs": [
            ("group", "Measurement"),
            ("Nominal size", "DN10–DN1000", ""),
            ("Accuracy", "±0.5% of reading", ""),
            ("Minimum conductivity", "5", "µS/cm"),
            ("group", "Construction"),
            ("Liner", "Hard rubber, PTFE or PFA", ""),
            ("Electrodes", "316L, Hastelloy C or titanium", ""),
            ("Protection", "IP67 (IP68 remote sensor)", ""),
            ("group", "Electrical"),
            ("Outputs", "4–20 mA, pulse, Modbus RTU", ""),
            ("Supply", "85–250 V AC or 24 V DC", ""),
        ],
        "moq": (5, "sets"),
        "lead_time": "15–25 days after the deposit",
        "terms": RAIL_TERMS + SEA_TERMS[:1],
        "certs": ["iso", "ce", "eac"],
        "related": ["battery-electromagnetic-water-meter", "clamp-on-ultrasonic-flow-meter"],
    },
    {
        "slug": "battery-electromagnetic-water-meter",
        "title": "Battery-powered electromagnetic water meter",
        "sku": "SLF-EM-B50",
        "categories": ["flow-meters"],
        "kind": "em_meter",
        "palette": "forest",
        "views": ("studio", "nameplate"),
        "short": (
            "A magnetic meter for district metering and billing points without mains "
            "power: a lithium pack runs it for ten years and it reports over NB-IoT or LoRaWAN."
        ),
        "body": [
            "The sensor is rated IP68 and can stand flooded in a meter chamber. It logs "
            "flow every fifteen minutes, raises alarms for empty pipe, reverse flow and "
            "tampering, and keeps two years of readings if the radio cannot get through.",
        ],
        "specs": [
            ("Nominal size", "DN50–DN300", ""),
            ("Accuracy class", "Class 2 (MID)", ""),
            ("Battery life", "10", "years"),
            ("Communication", "NB-IoT, LoRaWAN, optical port", ""),
            ("Protection", "IP68", ""),
        ],
        "moq": (10, "sets"),
        "lead_time": "20–30 days after the deposit",
        "terms": RAIL_TERMS,
        "certs": ["iso", "mid", "eac"],
        "related": ["flanged-electromagnetic-flow-meter", "clamp-on-ultrasonic-flow-meter"],
    },
    {
        "slug": "clamp-on-ultrasonic-flow-meter",
        "title": "Clamp-on ultrasonic flow meter",
        "sku": "SLF-US-C10",
        "categories": ["flow-meters"],
        "kind": "ultrasonic_meter",
        "palette": "sand",
        "views": ("studio", "detail", "crate"),
        "short": (
            "Two transit-time transducers strapped to the outside of the pipe measure flow "
            "without cutting the line or stopping the pumps, from DN25 to DN6000."
        ),
        "body": [
            "Installation takes an hour: clean the pipe, strap on the sensors at the "
            "spacing the transmitter calculates, and read the signal quality on the "
            "display. Heat-meter versions add a pair of matched PT1000 sensors.",
        ],
        "specs": [
            ("Pipe size", "DN25–DN6000", ""),
            ("Accuracy", "±1% of reading", ""),
            ("Velocity range", "0.03 to 12", "m/s"),
            ("Pipe materials", "Steel, stainless, cast iron, PVC, PE", ""),
            ("Outputs", "4–20 mA, OCT pulse, RS485", ""),
        ],
        "moq": (2, "sets"),
        "lead_time": "7–15 days after the deposit",
        "terms": RAIL_TERMS + SEA_TERMS[:1],
        "certs": ["iso", "ce"],
        "related": ["flanged-electromagnetic-flow-meter", "steam-vortex-flow-meter"],
    },
    {
        "slug": "steam-vortex-flow-meter",
        "title": "Vortex flow meter for steam",
        "sku": "SLF-VX-300",
        "categories": ["flow-meters"],
        "kind": "vortex_meter",
        "palette": "rust",
        "views": ("studio", "detail", "nameplate"),
        "short": (
            "A vortex meter with built-in temperature and pressure compensation that gives "
            "the mass flow of saturated and superheated steam straight from the transmitter."
        ),
        "body": [
            "A bluff body across the bore sheds vortices at a rate proportional to the "
            "velocity; a piezo sensor counts them. With nothing to wear out, the meter "
            "keeps its calibration in boiler houses and heat stations for years.",
        ],
        "specs": [
            ("Nominal size", "DN15–DN300", ""),
            ("Medium temperature", "-40 to 350", "°C"),
            ("Accuracy (steam)", "±1.5% of reading", ""),
            ("Compensation", "Built-in PT1000 and pressure sensor", ""),
            ("Body", "Stainless steel 304", ""),
        ],
        "moq": (3, "sets"),
        "lead_time": "20–30 days after the deposit",
        "terms": RAIL_TERMS[:2] + SEA_TERMS[:1],
        "certs": ["iso", "ce", "eac"],
        "related": ["clamp-on-ultrasonic-flow-meter", "flanged-electromagnetic-flow-meter"],
    },
    {
        "slug": "ductile-iron-y-strainer",
        "title": "Ductile iron Y-strainer",
        "sku": "SLA-YS-GL41",
        "categories": ["strainers-and-check-valves"],
        "kind": "strainer",
        "palette": "steel",
        "views": ("studio", "detail"),
        "short": (
            "A flanged Y-strainer with a stainless screen that catches weld beads, scale "
            "and sand before they reach pumps, meters and control valves."
        ),
        "body": [
            "The screen slides out once the cover is unbolted; a blow-off plug in the "
            "cover flushes it without opening the line. Screens come with 1 to 3 mm "
            "perforations, or mesh down to 0.25 mm for meter protection.",
        ],
        "specs": [
            ("Nominal size", "DN50–DN400", ""),
            ("Nominal pressure", "1.6", "MPa"),
            ("Screen", "Stainless steel 304, 1.5 mm perforation", ""),
            ("Body", "Ductile iron, epoxy coated", ""),
        ],
        "moq": (20, "pieces"),
        "lead_time": "10–20 days after the deposit",
        "terms": RAIL_TERMS + SEA_TERMS[:1],
        "certs": ["iso", "eac"],
        "related": ["swing-check-valve", "resilient-seated-gate-valve"],
    },
    {
        "slug": "swing-check-valve",
        "title": "Swing check valve",
        "sku": "SLA-CV-H44",
        "categories": ["strainers-and-check-valves", "valves"],
        "kind": "check_valve",
        "palette": "night",
        "views": ("studio", "nameplate", "crate"),
        "short": (
            "A flanged swing check valve with a rubber-faced disc that closes quietly when "
            "a pump stops, with an outside lever and weight for faster closing on request."
        ),
        "body": [
            "The full-bore body keeps the head loss low. The disc hinge is bronze-bushed "
            "and the cover comes off for inspection without removing the valve from the line.",
        ],
        "specs": [
            ("Nominal size", "DN50–DN600", ""),
            ("Nominal pressure", "1.0 / 1.6", "MPa"),
            ("Body", "Ductile iron EN-GJS-500-7", ""),
            ("Disc facing", "NBR or EPDM", ""),
            ("Options", "Lever and weight, limit switch", ""),
        ],
        "moq": (20, "pieces"),
        "lead_time": "15–25 days after the deposit",
        "terms": RAIL_TERMS + SEA_TERMS[:1],
        "certs": ["iso", "wras", "eac"],
        "related": ["dual-plate-wafer-check-valve", "ductile-iron-y-strainer"],
    },
    {
        "slug": "dual-plate-wafer-check-valve",
        "title": "Dual-plate wafer check valve",
        "sku": "SLA-CV-H76",
        "categories": ["strainers-and-check-valves", "valves"],
        "kind": "check_valve",
        "palette": "sand",
        "views": ("studio", "detail", "nameplate"),
        "short": (
            "Two spring-loaded half discs close before the flow reverses, which prevents "
            "water hammer; the wafer body weighs a fraction of a swing check valve."
        ),
        "body": [
            "The plates pivot on a stainless hinge pin and are pushed shut by torsion "
            "springs, so the valve works horizontally or with upward flow. It suits "
            "pump discharge lines, cooling water and compressed air.",
        ],
        "specs": [
            ("Nominal size", "DN50–DN800", ""),
            ("Pressure class", "PN16 / PN25 / PN40", ""),
            ("Body", "Carbon steel WCB or ductile iron", ""),
            ("Plates and spring", "Stainless steel 316", ""),
            ("Seat", "NBR, EPDM or metal", ""),
        ],
        "moq": (20, "pieces"),
        "lead_time": "15–25 days after the deposit",
        "terms": RAIL_TERMS + SEA_TERMS,
        "certs": ["iso", "api", "eac"],
        "related": ["swing-check-valve", "stainless-full-bore-ball-valve"],
    },
]

FEATURED = [
    "flanged-electromagnetic-flow-meter",
    "resilient-seated-gate-valve",
    "concentric-wafer-butterfly-valve",
    "clamp-on-ultrasonic-flow-meter",
]


def load(ctx):
    home = ctx.home
    locale = Locale.get_default()
    index = ensure_child(
        home,
        ProductIndexPage(
            title="Products",
            slug="products",
            show_in_menus=True,
            seo_title="Valves, flow meters and strainers",
            introduction=(
                "Everything we make for water, heating, steam and oil networks. Every "
                "product below is built and tested in Xi'an and can travel with its "
                "papers by rail or by sea; ask us for the size you need."
            ),
            listing_summary="Valves, flow meters, strainers and check valves from Xi'an.",
        ),
    )
    categories = {}
    for slug, name, description in CATEGORIES:
        category = ProductCategory.objects.filter(locale=locale, slug=slug).first()
        if category is None:
            category = ProductCategory.objects.create(
                locale=locale, slug=slug, name=name, description=description
            )
        categories[slug] = category

    products = {}
    new = []
    existing = {p.slug: p for p in ProductPage.objects.child_of(index)}
    for spec in PRODUCTS:
        product = existing.get(spec["slug"])
        if product is None:
            product = build_product(spec, categories)
            index.add_child(instance=product)
            new.append(product)
        products[spec["slug"]] = product

    # Related products point at each other, so they are set, and the new products
    # published, once all of them exist.
    for spec in PRODUCTS:
        product = products[spec["slug"]]
        if product in new or not product.related_products.exists():
            product.related_products = [
                ProductPageRelatedProduct(product=products[slug]) for slug in spec["related"]
            ]
            product.save_revision().publish()

    if not home.featured_products.exists():
        home.featured_products = [
            HomePageFeaturedProduct(product=products[slug]) for slug in FEATURED
        ]
        if home.hero_cta_page_id is None:
            home.hero_cta_page = index
            home.hero_cta_label = "See our products"
        home.save_revision().publish()

    ctx.objects.update(product_index=index, products=products, product_categories=categories)
    ctx.say(f"Products: {len(products)} in {len(categories)} categories")


def build_product(spec, categories):
    """An unsaved ProductPage with its pictures, datasheet and categories."""
    title, sku = spec["title"], spec["sku"]
    images = [
        product_image(
            f"{title} – {view}",
            spec["kind"],
            view,
            VIEW_ALT[view].format(title=title.lower() if view != "studio" else title, sku=sku),
            palette=spec["palette"],
            seed=position,
            label=sku,
        )
        for position, view in enumerate(spec["views"])
    ]
    rows = [row for row in spec["specs"] if row[0] != "group"]
    moq_quantity, moq_unit = spec["moq"]
    terms = ", ".join(f"{code} {place}" for code, place in spec["terms"])
    datasheet = save_document(
        f"{title} datasheet ({sku})",
        f"{sku.lower()}-datasheet.pdf",
        datasheet_pdf(
            title,
            f"Model {sku} - Silkline Flow Controls, Xi'an",
            [
                (
                    "Specifications",
                    [(name, f"{value} {unit}".strip()) for name, value, unit in rows],
                ),
                (
                    "Order and trade terms",
                    [
                        ("Minimum order", f"{moq_quantity} {moq_unit}"),
                        ("Lead time", spec["lead_time"]),
                        ("Trade terms", terms),
                        ("Payment", "T/T or L/C at sight"),
                    ],
                ),
                ("Certifications", [STANDARD_CERTS[key] for key in spec["certs"]]),
            ],
            footer="Demo datasheet of a fictional company, generated for Caravan. "
            "Figures are illustrative.",
        ),
    )

    description = [("paragraph", rich(*spec["body"]))]
    if len(images) > 1:
        description.append(
            (
                "figure",
                {
                    "image": images[1].pk,
                    "alt_text": "",
                    "caption": f"The {title.lower()} as it leaves our assembly hall.",
                    "credit": "Silkline Flow Controls",
                },
            )
        )
    if "table" in spec:
        description += [
            ("heading", {"text": "Sizes", "level": "h3"}),
            (
                "table",
                {
                    "data": spec["table"]["rows"],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": spec["table"]["caption"],
                },
            ),
        ]

    specifications = []
    for row in spec["specs"]:
        if row[0] == "group":
            specifications.append(("group", row[1]))
        else:
            specifications.append(("spec", {"name": row[0], "value": row[1], "unit": row[2]}))

    product = ProductPage(
        title=title,
        slug=spec["slug"],
        sku=sku,
        # The first picture is the card picture anyway; set here too for pages that
        # read listing_image directly.
        listing_image=images[0],
        short_description=spec["short"],
        description=stream(*description),
        specifications=stream(*specifications),
        moq_quantity=moq_quantity,
        moq_unit=moq_unit,
        lead_time=spec["lead_time"],
        trade_terms=stream(
            *[("term", {"incoterm": code, "place": place}) for code, place in spec["terms"]]
        ),
        payment_terms=PAYMENT,
        packaging=CRATE,
        place_of_origin="Xi'an, Shaanxi, China",
        certifications=stream(
            *[
                (
                    "certification",
                    {
                        "name": STANDARD_CERTS[key][0],
                        "detail": STANDARD_CERTS[key][1],
                        "document": None,
                    },
                )
                for key in spec["certs"]
            ]
        ),
    )
    product.gallery_images = [ProductPageGalleryImage(image=image) for image in images]
    product.documents = [ProductPageDocument(document=datasheet, title="Datasheet")]
    product.categories = [categories[slug] for slug in spec["categories"]]
    return product
