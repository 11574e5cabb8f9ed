"""Documents of a private collection stay private with media on S3-compatible storage:
on a real S3 server (moto in server mode) with the bucket policy docs/deploy.md gives,
nobody signed out reads them, neither at Wagtail's address nor at the bucket's."""

import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from wagtail.models import Collection, CollectionViewRestriction

from caravan.testing import free_port, make_document

pytestmark = pytest.mark.django_db

BUCKET = "caravan-test-media"
DEPLOY_GUIDE = Path(__file__).resolve().parents[3] / "docs" / "deploy.md"


def documented_bucket_policy():
    """The bucket policy docs/deploy.md tells operators to apply, for our bucket."""
    text = DEPLOY_GUIDE.read_text()
    block = re.search(r"<!-- bucket-policy:.*?-->\s*```json\n(.*?)```", text, re.S)
    assert block, "docs/deploy.md lost its bucket policy"
    return block.group(1).replace("silkline-media", BUCKET)


def anonymous_get(url):
    """(status, body) of a plain unsigned GET, as any browser would send it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def s3_media(settings):
    """Media on a moto S3 server with the documented bucket policy; storage options as
    caravan/settings/production.py sets them."""
    boto3 = pytest.importorskip("boto3")
    server_module = pytest.importorskip("moto.server")
    port = free_port()
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **credentials)
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_policy(Bucket=BUCKET, Policy=documented_bucket_policy())
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "querystring_auth": False,
                "default_acl": None,
                "file_overwrite": False,
                "object_parameters": {"CacheControl": "public, max-age=31536000"},
            },
        },
    }
    settings.MEDIA_URL = f"{endpoint}/{BUCKET}/"
    try:
        yield s3
    finally:
        server.stop()


def test_a_private_collection_s_document_is_not_readable_anonymously(
    s3_media, client, django_user_model, settings
):
    collection = Collection.get_first_root_node().add_child(name="Price lists (staff only)")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = make_document("Price list 2026", "price-list-2026.pdf")
    document.collection = collection
    document.save()
    stored = s3_media.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read()
    assert stored.startswith(b"%PDF")  # the file really is in the bucket

    # The address Wagtail gives is its own view, never the bucket's…
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert document.url.startswith("/documents/")
    # …which asks a signed-out visitor to sign in and sends nothing of the file.
    response = client.get(document.url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert b"%PDF" not in b"".join(getattr(response, "streaming_content", [response.content]))
    # The object's own bucket address is closed to anonymous readers too.
    status, body = anonymous_get(document.file.url)
    assert document.file.url.startswith(settings.MEDIA_URL)
    assert status == 403 and b"%PDF" not in body

    # Signed in, the view reads it from the bucket and streams it.
    client.force_login(django_user_model.objects.create_user("staff", password="pw"))
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored


def test_images_stay_publicly_readable_at_their_bucket_address(s3_media, settings):
    """The same policy lets cached pages show images straight from the bucket."""
    s3_media.put_object(Bucket=BUCKET, Key="images/valve.width-400.webp", Body=b"RIFF-webp")
    s3_media.put_object(Bucket=BUCKET, Key="documents/guessed-name.pdf", Body=b"%PDF-1.4")
    assert anonymous_get(f"{settings.MEDIA_URL}images/valve.width-400.webp") == (
        200,
        b"RIFF-webp",
    )
    assert anonymous_get(f"{settings.MEDIA_URL}documents/guessed-name.pdf")[0] == 403
