"""The minutes forms: main points, decisions (linked to a deadline extension) and action items
(owned by someone invited), edited together by `minutes_forms`."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from actionplans.models import DeadlineExtension
from cities.forms import DateInput
from lib import limits
from lib.formats import person_name
from meetings.forms import same_choices
from meetings.models import ActionItem, Decision, Minutes


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Minutes
        fields = ["main_points"]
        widgets = {"main_points": forms.Textarea(attrs={"rows": 8})}


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text", "deadline_extension"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, extensions=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["deadline_extension"]
        extensions = DeadlineExtension.objects.none() if extensions is None else extensions
        same_choices(field, extensions, label=extension_label, empty=_("None"))
        field.help_text = _("The deadline change this decision made, if any.")


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["text", "owner", "due_date", "status"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_date": DateInput(attrs=limits.date_attrs())}

    def __init__(self, *args, owners=None, **kwargs):
        """`owners`: whom the item may be given to (the meeting's invitees), as a queryset of users."""
        super().__init__(*args, **kwargs)
        owners = get_user_model().objects.none() if owners is None else owners
        same_choices(self.fields["owner"], owners, label=person_name, empty="---------")
        self.fields["owner"].help_text = _("Someone invited to the meeting.")


DecisionFormSet = inlineformset_factory(
    Minutes,
    Decision,
    form=DecisionForm,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    max_num=limits.MAX_DECISIONS,
    validate_max=True,
)
ActionItemFormSet = inlineformset_factory(
    Minutes,
    ActionItem,
    form=ActionItemForm,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    max_num=limits.MAX_ACTION_ITEMS,
    validate_max=True,
)


def extension_label(extension):
    return f"{extension.deadline.round.name}: {extension.old_date:%d.%m.%Y} → {extension.new_date:%d.%m.%Y}"


def action_item_owners(minutes):
    """Whom an action item of `minutes` may be given to: those invited to the meeting, and whoever
    already holds one of its items (so that saving keeps an owner whose invitation was withdrawn)."""
    invited = Q(invitations__meeting=minutes.meeting_id, is_active=True)
    if minutes.pk:
        invited |= Q(action_items__minutes=minutes.pk)
    return (
        get_user_model()
        .objects.filter(pk__in=get_user_model().objects.filter(invited).values("pk"))
        .order_by("last_name", "first_name", "username")
    )


def minutes_forms(minutes, data=None):
    """The minutes form and its two formsets, with the choices read once for all rows."""
    extensions = DeadlineExtension.objects.select_related("deadline__round").order_by("-decided_at")
    owners = action_item_owners(minutes)
    form = MinutesForm(data, instance=minutes)
    decisions = DecisionFormSet(data, instance=minutes, prefix="decisions", form_kwargs={"extensions": extensions})
    action_items = ActionItemFormSet(data, instance=minutes, prefix="actions", form_kwargs={"owners": owners})
    return form, decisions, action_items
