"""Who may use the lead inbox: the model permissions of Inquiry, checked by every view.
A user without them gets a plain 403, not Wagtail's redirect to the dashboard."""

from functools import wraps

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.views.defaults import permission_denied
from wagtail.permission_policies import ModelPermissionPolicy

VIEW = "inquiries.view_inquiry"
CHANGE = "inquiries.change_inquiry"
DELETE = "inquiries.delete_inquiry"


def forbidden(request):
    """A plain 403. (Raising PermissionDenied inside the admin would be turned into a
    redirect to the dashboard by Wagtail's admin access check.)"""
    return permission_denied(request, PermissionDenied())


def require(permission):
    """403 for a signed-in admin user without `permission` (Wagtail's own admin check has
    already sent anonymous visitors to the login page)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                return forbidden(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """For Wagtail's generic views: an inquiry is never added or edited through a form,
    so they offer no add, edit or delete buttons. The inbox's own actions (status,
    assignee, notes, bulk delete) check the model permissions themselves."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class InboxPermissionRequiredMixin(PermissionRequiredMixin):
    """Django's permission check for the inbox's class-based views, answering a signed-in
    user who lacks the permission with a plain 403 (see `forbidden`)."""

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            return forbidden(self.request)
        return super().handle_no_permission()
