"""The pages of the person's own API tokens (linked from the profile): list, make one, revoke one.
Portal pages, not part of the API itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from api import services
from api.access import get_token_for_user
from api.forms import TokenForm
from lib.security import record

# The new secret waits in the session for the one page that shows it, right after it was made.
JUST_MADE = "_api_new_token"


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST if request.method == "POST" else None, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            token, secret = services.create_token(
                request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            record("api_token_created", request=request, token=token.prefix, name=token.name, scope=token.scope)
            request.session[JUST_MADE] = {"id": token.pk, "secret": secret}
            return redirect("api:tokens")
    new = request.session.pop(JUST_MADE, None) if request.method == "GET" else None
    tokens = list(request.user.api_tokens.all())
    now = timezone.now()
    for token in tokens:
        token.in_use = token.is_usable(now)
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": tokens,
            "new_token": next((t for t in tokens if new and t.pk == new["id"]), None),
            "new_secret": new["secret"] if new else None,
            "docs_url": reverse("api:docs"),
            "api_url": request.build_absolute_uri(reverse("api:programme-list")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    token = get_token_for_user(request.user, pk)
    if request.method == "POST":
        if services.revoke_token(token):
            record("api_token_revoked", request=request, token=token.prefix, name=token.name, scope=token.scope)
            messages.success(
                request,
                _("The token “%(name)s” was revoked: programs that use it can no longer read the portal.")
                % {"name": token.name},
            )
        else:
            messages.info(request, _("The token “%(name)s” was revoked already.") % {"name": token.name})
        return redirect("api:tokens")
    return render(request, "api/token_revoke.html", {"token": token})
