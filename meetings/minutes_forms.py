"""The minutes forms: main points, decisions (linked to a deadline change of the meeting's time) and
action items (owned by someone invited), edited together by `minutes_forms`."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms import inlineformset_factory
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from actionplans.models import DeadlineExtension
from cities.forms import DateInput
from lib import limits
from lib.fields import PersonChoiceField
from lib.formats import person_name
from meetings.forms import same_choices
from meetings.models import ActionItem, Decision, Minutes

# The submit button that adds an empty row without saving (the editor's way without JavaScript):
# its value names the formset, by its prefix.
MORE_ROWS = "more_rows"
DECISIONS, ACTIONS = "decisions", "actions"

# The deadline changes a decision may record are those of the meeting's time: decided (granted in the
# portal) from two weeks before the meeting starts to a month after it ends. A change is usually entered
# on the day the meeting decides it, sometimes just before the meeting that confirms it or in the weeks
# after, while the minutes are written; a change of half a year earlier belongs to another meeting.
# A change already linked to one of these minutes' decisions stays offered, so that saving keeps it.
EXTENSIONS_BEFORE = datetime.timedelta(days=14)
EXTENSIONS_AFTER = datetime.timedelta(days=31)


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Minutes
        fields = ["main_points"]
        widgets = {"main_points": forms.Textarea(attrs={"rows": 6})}


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
        # The choice is explained once above the rows (minutes_form.html), not in every row.


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["text", "owner", "due_date", "status"]
        field_classes = {"owner": PersonChoiceField}
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_date": DateInput(attrs=limits.date_attrs())}

    def __init__(self, *args, owners=None, **kwargs):
        """`owners`: whom the item may be given to (the meeting's invitees), as a queryset of users."""
        super().__init__(*args, **kwargs)
        owners = get_user_model().objects.none() if owners is None else owners
        same_choices(self.fields["owner"], owners, label=person_name, empty=_("Nobody yet"))


DecisionFormSet = inlineformset_factory(
    Minutes,
    Decision,
    form=DecisionForm,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    max_num=limits.MAX_DECISIONS,
    validate_max=True,
)
ActionItemFormSet = inlineformset_factory(
    Minutes,
    ActionItem,
    form=ActionItemForm,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    max_num=limits.MAX_ACTION_ITEMS,
    validate_max=True,
)


def extension_label(extension):
    return f"{extension.deadline.round.name}: {extension.old_date:%d.%m.%Y} → {extension.new_date:%d.%m.%Y}"


def meeting_extensions(meeting, minutes):
    """The deadline changes a decision in `minutes` may record (see EXTENSIONS_BEFORE), newest first."""
    of_its_time = Q(
        decided_at__gte=meeting.starts_at - EXTENSIONS_BEFORE, decided_at__lte=meeting.ends_at + EXTENSIONS_AFTER
    )
    if minutes.pk:
        of_its_time |= Q(decisions__minutes=minutes.pk)
    return (
        DeadlineExtension.objects.filter(pk__in=DeadlineExtension.objects.filter(of_its_time).values("pk"))
        .select_related("deadline__round")
        .order_by("-decided_at", "-pk")
    )


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


def with_another_row(data, prefix, max_num):
    """The posted `data` with one more (empty) row in the formset `prefix`, up to `max_num`;
    None if it has no room for one (or its row count was not a number)."""
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, ""))
    except ValueError:
        return None
    if not 0 <= total < max_num:
        return None
    data = data.copy()
    data[key] = str(total + 1)
    return data


def without_errors(form):
    """Show a bound form (or formset) as typed, without checking it: a row was added, nothing is saved,
    so an unfinished row is not an error yet. (Django checks on first reading `errors`.)"""
    if isinstance(form, forms.BaseForm):
        form._errors = ErrorDict()
        return
    form._errors, form._non_form_errors = [], form.error_class()
    for row in form.forms:
        without_errors(row)


def minutes_forms(meeting, minutes, data=None, *, more=None):
    """The minutes form and its two formsets, with the choices read once for all rows.

    With `more` (DECISIONS or ACTIONS) the posted `data` come back with one more empty row in that
    formset, unchecked, for the editor to go on typing; the new row's first field takes the focus.
    Returns the forms and whether a row was added.
    """
    added = False
    if data is not None and more in (DECISIONS, ACTIONS):
        formset_class = DecisionFormSet if more == DECISIONS else ActionItemFormSet
        longer = with_another_row(data, more, formset_class.max_num)
        added, data = longer is not None, longer if longer is not None else data
    form = MinutesForm(data, instance=minutes)
    decisions = DecisionFormSet(
        data,
        instance=minutes,
        prefix=DECISIONS,
        form_kwargs={"extensions": meeting_extensions(meeting, minutes)},
    )
    action_items = ActionItemFormSet(
        data, instance=minutes, prefix=ACTIONS, form_kwargs={"owners": action_item_owners(minutes)}
    )
    if data is not None and more is not None:
        for each in (form, decisions, action_items):
            without_errors(each)
    if added:
        formset = decisions if more == DECISIONS else action_items
        formset.forms[-1].fields["text"].widget.attrs["autofocus"] = True
    return form, decisions, action_items, added
