"""The hosting recipe, and each gathering's own checklist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meetings import services
from meetings.access import get_checklist_item_for_user
from meetings.forms import RecipeFormSet
from meetings.models import ChecklistTemplateItem
from meetings.views.meetings import meeting_url


@login_required
@require_http_methods(["GET", "POST"])
def recipe(request):
    if not request.user.has_perm("meetings.edit_recipe"):
        raise PermissionDenied
    formset = RecipeFormSet(request.POST or None, queryset=ChecklistTemplateItem.objects.all())
    if request.method == "POST" and formset.is_valid():
        services.save_recipe(formset)
        messages.success(request, _("The hosting recipe was saved. New network gatherings get this checklist."))
        return redirect("meetings:recipe")
    return render(request, "meetings/recipe.html", {"formset": formset})


@login_required
@require_POST
def checklist_tick(request, pk):
    item, meeting = get_checklist_item_for_user(request.user, pk)
    done = request.POST.get("done") == "1"
    services.tick(item, done=done, by=request.user)
    messages.success(request, _("The task was marked done.") if done else _("The task was marked not done."))
    return redirect(f"{meeting_url(meeting)}#checklist")
