"""Admin sign-in throttling (django-axes); the visitor's address comes from
caravan.core.clientip, as everywhere else."""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses sign-in while an account or an address is locked out (django-axes).

    Authentication without a request (management commands, `Client.login` in tests)
    is not a sign-in attempt over the web and is left to the other backends."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
