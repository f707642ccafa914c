"""The overview of how concrete the state is: the figures of `state.overview` as a page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from state import overview as figures


@login_required
def overview(request):
    """Per body and per theme area, how many requests were asked, answered, with an offer and refused, the
    median days to an answer, and the open requests that have waited longest."""
    if not request.user.has_perm("state.view_overview"):
        raise PermissionDenied
    return render(request, "state/overview.html", {**figures.overview(request.user), "open_shown": figures.OPEN_SHOWN})
