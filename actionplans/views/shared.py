"""Small steps the review views share: permission, the round and theme asked for, form errors."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from actionplans.filters import choose_round
from actionplans.models import Round
from cities.models import ThemeArea


def require(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def round_choice(request):
    rounds = list(Round.objects.select_related("deadline"))
    return choose_round(request.GET.get("round"), rounds), rounds


def theme(code):
    return get_object_or_404(ThemeArea, code=code)


def errors(form):
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
