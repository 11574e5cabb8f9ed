"""Editors reach every part of the catalogue in the admin."""

import pytest

from caravan.core.models import HomePage
from caravan.products.models import ProductCategory, ProductIndexPage, ProductPage

pytestmark = pytest.mark.django_db


def test_catalogue_edit_views_open(admin_client):
    index = ProductIndexPage.objects.get(locale__language_code="en")
    product = ProductPage.objects.live().first()
    home = HomePage.objects.get(locale__language_code="en")
    for url in (
        f"/admin/pages/{product.pk}/edit/",
        f"/admin/pages/{index.pk}/edit/",
        f"/admin/pages/{home.pk}/edit/",
        f"/admin/pages/add/products/productpage/{index.pk}/",
        "/admin/snippets/products/productcategory/",
        "/admin/snippets/products/productcategory/add/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    body = admin_client.get(f"/admin/pages/{product.pk}/edit/").content.decode()
    for label in ("Specifications", "Terms and downloads", "Pictures", "Related products"):
        assert label in body
    assert "Featured products" in admin_client.get(f"/admin/pages/{home.pk}/edit/").content.decode()


def test_previews_render_unsaved_changes(rf):
    """The admin's preview renders a page built from the form, whose inline rows
    (pictures, related products, featured products) are not in the database yet."""
    from caravan.products.models import ProductPageGalleryImage
    from caravan.testing import make_image, make_product

    index = ProductIndexPage.objects.get(locale__language_code="en")
    response = index.serve_preview(rf.get("/"), index.default_preview_mode)
    assert b"product-card" in response.render().content

    product = make_product("Previewed valve")
    draft = product.get_latest_revision_as_object()
    draft.title = "Previewed valve, renamed"
    draft.gallery_images = [
        ProductPageGalleryImage(image=make_image("Second shot", "The valve from the side")),
        *draft.gallery_images.all(),
    ]
    content = draft.serve_preview(rf.get("/"), draft.default_preview_mode).render().content
    assert b"Previewed valve, renamed" in content
    assert b'alt="The valve from the side"' in content


def test_category_added_in_the_admin_gets_a_slug(admin_client):
    response = admin_client.post(
        "/admin/snippets/products/productcategory/add/",
        {"name": "Control valves", "slug": "", "description": "Valves that regulate flow."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    category = ProductCategory.objects.get(name="Control valves")
    assert category.slug == "control-valves"
    assert category.locale.language_code == "en"


def test_certificates_are_edited_as_snippets_and_refuse_impossible_dates(admin_client):
    from wagtail.models import Locale

    from caravan.products.models import Certificate

    home = HomePage.objects.get(locale__language_code="en")
    for url in (
        "/admin/snippets/products/certificate/",
        "/admin/snippets/products/certificate/add/",
        f"/admin/pages/add/core/landingpage/{home.pk}/",
    ):
        assert admin_client.get(url).status_code == 200, url
    form = {
        "name": "ISO 45001:2018",
        "issuer": "Northgate Certification Ltd.",
        "number": "NGC-OHS-1",
        "scope": "",
        "valid_from": "2026-03-01",
        "valid_until": "2026-02-01",
        "verification_url": "",
        "locale": Locale.get_default().pk,
    }
    response = admin_client.post("/admin/snippets/products/certificate/add/", form)
    assert response.status_code == 200
    assert "A certificate cannot expire before it is valid." in response.content.decode()
    assert not Certificate.objects.filter(name="ISO 45001:2018").exists()
    form["valid_until"] = "2029-02-28"
    response = admin_client.post("/admin/snippets/products/certificate/add/", form)
    assert response.status_code == 302
    assert Certificate.objects.get(name="ISO 45001:2018").number == "NGC-OHS-1"


def test_editors_and_moderators_edit_certificates_and_sales_does_not(
    editor_client, sales_client, django_user_model
):
    from django.contrib.auth.models import Group
    from django.test import Client

    from caravan.products.models import Certificate

    moderator = django_user_model.objects.create_user("mona", "mona@example.com", "pw")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    moderator_client = Client()
    moderator_client.force_login(moderator)
    for client in (editor_client, moderator_client):
        assert client.get("/admin/snippets/products/certificate/").status_code == 200
        assert client.get("/admin/snippets/products/certificate/add/").status_code == 200
    certificate = Certificate.objects.first()
    edit = f"/admin/snippets/products/certificate/edit/{certificate.pk}/"
    delete = f"/admin/snippets/products/certificate/delete/{certificate.pk}/"
    assert editor_client.get(edit).status_code == 200
    assert moderator_client.get(delete).status_code == 200
    # Sales works leads, not the site's content: no certificate forms.
    assert sales_client.get("/admin/snippets/products/certificate/add/").status_code in (302, 403)
    assert sales_client.get(edit).status_code in (302, 403)
