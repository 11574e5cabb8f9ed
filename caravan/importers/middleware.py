"""WordPress's plain links (`/?p=123`, `/?page_id=7`, `/?attachment_id=9`) all ask for
the site's root, which here answers with the visitor's language, never a 404: so
Wagtail's redirects middleware never sees them. This one answers them from the same
redirects table the importer fills, before the root does."""

from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect

WORDPRESS_QUERY_KEYS = {"p", "page_id", "attachment_id", "post_type", "cat", "tag"}


class WordPressLinkRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and WORDPRESS_QUERY_KEYS & set(request.GET):
            from wagtail.contrib.redirects.models import Redirect

            old_path = Redirect.normalise_path(request.get_full_path())
            redirect = (
                Redirect.objects.filter(old_path=old_path, site__isnull=True)
                .select_related("redirect_page")
                .first()
            )
            if redirect is not None and redirect.link:
                response_class = (
                    HttpResponsePermanentRedirect if redirect.is_permanent else HttpResponseRedirect
                )
                return response_class(redirect.link)
        return self.get_response(request)
