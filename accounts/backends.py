"""The lockout's authentication backend (django-axes), first in AUTHENTICATION_BACKENDS."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a login through a request while its account or address is locked out.

    A check without a request (a management command, the test client's `login`) comes from no
    address and can be guessed at by no one on the web; axes would refuse it with an error, so it
    passes on to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
