"""Periodic jobs of the catalogue."""

from caravan.core.periodic import periodic

from .models import Certificate


@periodic(seconds=3600)
def announce_expired_certificates():
    """An expired certificate is already left out of every page rendered after its last
    valid day; saving it once more tells the public files (caravan/static_site) and the
    page cache, which listen to saves of snippets, to refresh the pages that showed it.
    Hourly, so the files change within the hour after midnight; running twice is harmless
    (a certificate is announced once)."""
    count = 0
    for certificate in Certificate.objects.lapsed_unannounced():
        certificate.expiry_announced = True
        certificate.save(update_fields=["expiry_announced"])
        count += 1
    return count
