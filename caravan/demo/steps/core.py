"""The demo company's frame: company profile, home page, About, Privacy and Contact.

Silkline Flow Controls is fictional; every sentence here was written for Caravan."""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Locale, Page, Site

from caravan.core.models import CompanyProfile, ContactPage, HomePage, StandardPage
from caravan.demo.images import draw_logo, save_image, scene_image

from . import ensure_child, rich, stream

COMPANY = {
    "name": "Silkline Flow Controls",
    "tagline": "Valves and flow meters, shipped by rail from Xi'an to Eurasia",
    "sales_emails": "sales@silkline-flow.example, export@silkline-flow.example",
    "phone": "+86 29 5550 0123",
    "whatsapp": "+86 139 5550 0123",
    "wechat_id": "silkline-export",
    "address": "Building 3, 88 Qinling Industrial Road\nXi'an, Shaanxi 710000\nChina",
    "business_hours": "Mon–Sat 08:30–18:00 (UTC+8); Russian-speaking staff Mon–Fri",
    "reply_time": "within one business day",
}


def home(ctx):
    root = Page.get_first_root_node()
    locale = Locale.get_default()
    home_page = HomePage.objects.filter(locale=locale).first()
    if home_page is None:
        # Wagtail's first migration leaves a plain "Welcome" page where the home page goes.
        for welcome in root.get_children().filter(slug="home", content_type__model="page"):
            if welcome.get_children_count() == 0:
                welcome.delete()
        hero = scene_image(
            "Valve assembly hall",
            "factory",
            "The assembly halls of Silkline Flow Controls in Xi'an under a clear sky",
            palette="steel",
        )
        home_page = HomePage(
            title="Silkline Flow Controls",
            slug="home",
            locale=locale,
            seo_title="Industrial valves and flow meters from Xi'an",
            search_description=(
                "Gate, ball and butterfly valves and electromagnetic flow meters, made in "
                "Xi'an and delivered by rail to Kazakhstan, Uzbekistan, Russia and Belarus."
            ),
            hero_heading="Valves and flow meters that arrive ready to install",
            hero_text=(
                "We make gate, ball and butterfly valves and flow meters for water, heating "
                "and oil networks, test every one of them, and ship them by rail from our "
                "own yard in Xi'an to Almaty, Tashkent, Novosibirsk, Moscow and Minsk."
            ),
            hero_image=hero,
            listing_summary="Industrial valves and flow meters, tested and shipped by rail.",
        )
        root.add_child(instance=home_page)
        home_page.save_revision().publish()
    ctx.home = home_page

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True)
    base = urlsplit(settings.CARAVAN_BASE_URL)
    site.hostname = base.hostname or "localhost"
    site.port = base.port or (443 if base.scheme == "https" else 80)
    site.root_page = home_page
    site.site_name = COMPANY["name"]
    site.save()

    profile = CompanyProfile.objects.filter(site=site).first()
    if profile is None:
        logo = save_image(
            "Silkline Flow Controls logo",
            draw_logo(256),
            "Silkline Flow Controls logo",
            fmt="PNG",
        )
        profile = CompanyProfile(site=site, logo=logo, **COMPANY)
        profile.social_links = stream(
            (
                "link",
                {
                    "label": "LinkedIn",
                    "url": "https://www.linkedin.com/company/silkline-flow-example",
                },
            ),
            ("link", {"label": "VK", "url": "https://vk.com/silkline_flow_example"}),
        )
        profile.save()
    ctx.objects["company"] = profile
    ctx.say(f"Home page and company profile: {home_page.title}")


def pages(ctx):
    home = ctx.home
    about_image = scene_image(
        "Pressure test bench",
        "valve",
        "A gate valve clamped in the hydrostatic test bench",
        palette="rust",
    )
    rail_image = scene_image(
        "Container train at the Xi'an yard",
        "rail",
        "A container train of Silkline freight waiting at the Xi'an rail yard",
        palette="sand",
    )
    about = ensure_child(
        home,
        StandardPage(
            title="About us",
            slug="about",
            show_in_menus=True,
            introduction=(
                "Silkline Flow Controls has made valves and flow meters in Xi'an since 2008. "
                "Two hundred and forty people work in our foundry, machine shop, assembly "
                "halls and test bay, and a nine-person export desk answers buyers in "
                "English, Russian and Chinese."
            ),
            listing_summary="Who we are, what we make and how we ship it.",
            body=stream(
                ("heading", {"text": "From casting to crate under one roof", "level": "h2"}),
                (
                    "paragraph",
                    rich(
                        "Bodies are cast in our own foundry from ductile iron, carbon steel "
                        "and stainless steel. We machine them on twelve CNC lines, assemble "
                        "them by hand and test every valve before it is painted.",
                        "Because the whole route stays in one place, a buyer who asks where "
                        "a valve came from gets the heat number of its casting, the name of "
                        "the machinist and the chart of its pressure test.",
                    ),
                ),
                (
                    "figure",
                    {
                        "image": about_image.pk,
                        "alt_text": "",
                        "caption": "Each valve is held at one and a half times its rated pressure before it leaves the test bay.",
                        "credit": "Silkline test bay",
                    },
                ),
                ("heading", {"text": "Why buyers from Central Asia choose us", "level": "h2"}),
                (
                    "paragraph",
                    rich(
                        "Our export desk prepares EAC declarations, Russian-language "
                        "passports and packing lists with the shipment, so goods clear "
                        "customs at Khorgos or Alashankou without waiting for paperwork.",
                        "A block train leaves our partner yard in Xi'an twice a week. Almaty "
                        "is about six days away; Moscow about fourteen.",
                    ),
                ),
                (
                    "figure",
                    {
                        "image": rail_image.pk,
                        "alt_text": "",
                        "caption": "Our crates travel in forty-foot containers on the twice-weekly block train.",
                        "credit": "",
                    },
                ),
                (
                    "timeline",
                    {
                        "title": "Our milestones",
                        "entries": [
                            {
                                "date_label": "2008",
                                "text": "Founded with one assembly hall and fourteen people.",
                            },
                            {
                                "date_label": "2012",
                                "text": "Foundry opened; first ISO 9001 certificate.",
                            },
                            {"date_label": "2016", "text": "First rail shipment to Almaty."},
                            {
                                "date_label": "2019",
                                "text": "Electromagnetic flow meter line started.",
                            },
                            {
                                "date_label": "2023",
                                "text": "EAC certification for the full valve range.",
                            },
                        ],
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Did you know?",
                        "text": "<p>Every Silkline valve carries a tag with a short code. Send us the code and we will send you its test record.</p>",
                    },
                ),
            ),
        ),
    )
    contact = ensure_child(
        home,
        ContactPage(
            title="Contact",
            slug="contact",
            show_in_menus=True,
            introduction=(
                "Tell us what you need: the product, the size, the quantity and where it "
                "should arrive. An engineer from our export desk will answer you."
            ),
            listing_summary="Send an inquiry or reach our export desk directly.",
        ),
    )
    privacy = ensure_child(
        home,
        StandardPage(
            title="Privacy",
            slug="privacy",
            introduction="What we keep when you contact us, why, and for how long.",
            listing_summary="How Silkline Flow Controls handles the details you send us.",
            body=stream(
                ("heading", {"text": "What we keep", "level": "h2"}),
                (
                    "paragraph",
                    rich(
                        "When you send an inquiry we store what you typed (your name, your "
                        "e-mail address or phone number, your message, and your company, "
                        "country, product and quantity if you gave them), the page you sent "
                        "it from, the language of that page, and a shortened form of your "
                        "network address that cannot identify you on its own.",
                        "This site sets no cookies for visitors and loads nothing from other "
                        "websites: no trackers, no advertising, no fonts or scripts from "
                        "elsewhere.",
                    ),
                ),
                ("heading", {"text": "Why we keep it", "level": "h2"}),
                (
                    "paragraph",
                    rich(
                        "Only to answer your inquiry and to follow up on it. We do not sell "
                        "or share your details, and we do not add you to a mailing list.",
                    ),
                ),
                ("heading", {"text": "How long we keep it", "level": "h2"}),
                (
                    "paragraph",
                    rich(
                        "Inquiries are deleted after the retention period set by our sales "
                        "team. You can ask us at any time for a copy of everything we hold "
                        "about you, or to erase it; write to us through the contact page.",
                    ),
                ),
            ),
        ),
    )
    profile = ctx.objects["company"]
    if profile.privacy_page_id is None:
        profile.privacy_page = privacy
        profile.save(update_fields=["privacy_page"])
    ctx.objects.update(about=about, contact=contact, privacy=privacy)
    ctx.say("Pages: About us, Contact, Privacy")
