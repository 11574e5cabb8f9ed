"""Demo content of the trust centre: the certificates of Silkline Flow Controls, the
products they apply to, the sections of the home page and the “Certificates” page.

The certificates, their issuers, numbers and customers are fictional; every sentence was
written for Caravan."""

import datetime

from PIL import Image, ImageDraw
from wagtail.models import Locale

from caravan.core.models import StandardPage
from caravan.demo.documents import datasheet_pdf, save_document
from caravan.demo.images import _font, save_image, scene_image
from caravan.products.models import Certificate

from . import ensure_child, rich, stream

CERTIFICATES = [
    {
        "name": "ISO 9001:2015",
        "issuer": "Northgate Certification Ltd.",
        "number": "NGC-QMS-08812",
        "scope": "Design, casting, machining, assembly and testing of industrial valves "
        "and flow meters.",
        "valid_from": datetime.date(2024, 3, 1),
        "valid_until": datetime.date(2030, 2, 28),
        "verification_url": "https://registry.example/northgate/NGC-QMS-08812",
    },
    {
        "name": "EAC declaration of conformity",
        "issuer": "Eurasian Conformity Centre",
        "number": "EAEU N CN-DEMO.B.01234/23",
        "scope": "Gate, ball and butterfly valves to TR CU 010/2011 and TR CU 032/2013.",
        "valid_from": datetime.date(2023, 6, 15),
        "valid_until": datetime.date(2030, 6, 14),
        "verification_url": "https://registry.example/eac/CN-DEMO-B-01234-23",
    },
    {
        "name": "CE marking (PED 2014/68/EU)",
        "issuer": "Rhein Pressure Notified Body",
        "number": "PED-H-0457",
        "scope": "Pressure equipment, module H: valves DN50 to DN600, PN10 to PN40.",
        "valid_from": datetime.date(2025, 1, 10),
        "valid_until": datetime.date(2031, 1, 9),
        "verification_url": "",
    },
    {
        "name": "ISO 14001:2015",
        "issuer": "Northgate Certification Ltd.",
        "number": "NGC-EMS-02291",
        "scope": "Environmental management of the Xi'an works, foundry included.",
        "valid_from": datetime.date(2024, 3, 1),
        "valid_until": datetime.date(2030, 2, 28),
        "verification_url": "https://registry.example/northgate/NGC-EMS-02291",
    },
]
# Which certificates apply to which products: all to every product, by product kind.
VALVE_CERTIFICATES = [
    "ISO 9001:2015",
    "EAC declaration of conformity",
    "CE marking (PED 2014/68/EU)",
]
OTHER_CERTIFICATES = ["ISO 9001:2015"]

CUSTOMERS = [
    ("Nomad Line Utilities", "#0b5c8c"),
    ("Syrdarya Heat Network", "#1d6b38"),
    ("Baikal Pipe Services", "#7a3b8f"),
    ("Caspian Fittings Trading", "#b34700"),
    ("Steppe Water Company", "#3a4a5c"),
]
MARKETS = ["KZ", "UZ", "KG", "TJ", "TM", "RU", "BY", "MN", "GE", "AZ", "TR", "AE", "SA", "EG"]


def certificates(ctx):
    locale = Locale.get_default()
    made = {}
    for spec in CERTIFICATES:
        certificate = Certificate.objects.filter(locale=locale, name=spec["name"]).first()
        if certificate is None:
            scan = save_document(
                f"{spec['name']} – certificate",
                "certificate-"
                + "".join(ch if ch.isalnum() else "-" for ch in spec["number"].lower())
                + ".pdf",
                datasheet_pdf(
                    spec["name"],
                    spec["issuer"],
                    [
                        (
                            "Certificate",
                            [
                                ("Holder", "Silkline Flow Controls"),
                                ("Number", spec["number"]),
                                ("Valid from", spec["valid_from"].isoformat()),
                                ("Valid until", spec["valid_until"].isoformat()),
                            ],
                        ),
                        ("Scope", [("", spec["scope"])]),
                    ],
                    footer="Demo document of a fictional company.",
                ),
            )
            certificate = Certificate.objects.create(locale=locale, scan_document=scan, **spec)
        made[spec["name"]] = certificate
    for product in ctx.objects["products"].values():
        if product.certificates.exists():
            continue
        is_valve = "valve" in product.slug or "strainer" in product.slug
        names = VALVE_CERTIFICATES if is_valve else OTHER_CERTIFICATES
        product.certificates = [made[name] for name in names]
        product.save_revision().publish()
    ctx.objects["certificates"] = made
    ctx.say(f"Certificates: {len(made)}")


def customer_logo(name, colour):
    image = Image.new("RGB", (320, 128), "white")
    draw = ImageDraw.Draw(image)
    initials = "".join(word[0] for word in name.split()[:2])
    draw.ellipse([16, 24, 96, 104], fill=colour)
    draw.text((56, 64), initials, fill="white", font=_font(34), anchor="mm")
    words = name.split()
    draw.text((112, 40), " ".join(words[:2]), fill=colour, font=_font(24))
    draw.text((112, 72), " ".join(words[2:]), fill="#3a4a5c", font=_font(20))
    return save_image(f"Logo of {name}", image, name, fmt="PNG")


def home_sections(ctx):
    home = ctx.home
    if home.body:
        return
    works = scene_image(
        "Valve assembly hall",
        "factory",
        "The assembly halls of Silkline Flow Controls in Xi'an under a clear sky",
        palette="steel",
    )
    home.body = stream(
        (
            "trust_strip",
            {
                "figures": [
                    {"number": "18", "label": "years of making valves"},
                    {"number": "36,000 m²", "label": "of foundry, workshops and test bay"},
                    {"number": "240", "label": "people, 31 of them engineers"},
                    {"number": "14", "label": "countries we ship to"},
                ]
            },
        ),
        ("products", {"title": "", "products": []}),
        ("categories", {"title": "", "categories": []}),
        ("certificates", {"title": "", "show": "all", "certificates": [], "detailed": False}),
        (
            "factory",
            {
                "title": "Inside our works",
                "text": rich(
                    "Foundry, twelve CNC lines, two assembly halls and a test bay with its "
                    "own water tower, all on one site on Qinling Industrial Road. Buyers "
                    "are welcome to watch their order being tested."
                ),
                "image": works.pk,
                "video_url": "https://video.example/silkline/test-bay",
                "video_title": "A walk through the test bay",
            },
        ),
        (
            "markets",
            {
                "title": "",
                "text": "By rail through Khorgos and Alashankou, by sea through Tianjin and "
                "Qingdao.",
                "places": MARKETS,
            },
        ),
        (
            "customers",
            {
                "title": "",
                "customers": [
                    {"name": name, "logo": customer_logo(name, colour).pk, "url": ""}
                    for name, colour in CUSTOMERS
                ],
            },
        ),
        ("news", {"title": "", "count": 3}),
        (
            "inquiry",
            {
                "heading": "Send us your drawing or your list",
                "text": "Give the sizes, pressures and quantities and the station the goods "
                "should reach, and an engineer from our export desk will answer with prices "
                "and a delivery date.",
            },
        ),
    )
    home.save_revision().publish()


def certificates_page(ctx):
    about = ctx.objects["about"]
    page = ensure_child(
        about,
        StandardPage(
            title="Certificates",
            slug="certificates",
            introduction=(
                "The certificates our valves and flow meters are made and sold under. Each "
                "one links to its scan and, where the issuer keeps a public register, to "
                "the issuer's own record of it."
            ),
            listing_summary="Quality, environmental and conformity certificates of Silkline.",
            body=stream(
                (
                    "certificates",
                    {
                        "title": "Valid certificates",
                        "show": "all",
                        "certificates": [],
                        "detailed": True,
                    },
                ),
                (
                    "paragraph",
                    rich(
                        "Need a certificate that is not listed, or a copy stamped by the "
                        "issuer? Ask our export desk through the inquiry form."
                    ),
                ),
            ),
        ),
    )
    ctx.objects["certificates_page"] = page


def load(ctx):
    certificates(ctx)
    home_sections(ctx)
    certificates_page(ctx)
    ctx.say("Home sections and the certificates page")
