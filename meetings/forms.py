from crispy_forms.layout import Div, Layout
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms import modelformset_factory
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from actionplans.models import ActionProgramme, Measure
from cities.forms import DateInput, form_helper
from cities.models import City, Membership, Organisation, ThemeArea
from lib import limits
from lib.fields import PersonMultipleChoiceField, name_empty_choices
from lib.files import inspect_upload
from lib.formats import person_name
from lib.widgets import CheckboxList
from meetings.models import AgendaItem, ChecklistTemplateItem, Feedback, Meeting


class DateTimeInput(forms.DateTimeInput):
    """An <input type="datetime-local">; it takes ISO values whatever the language."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        # The browser's picker keeps to the programme's span, as the model does.
        bounds = {"min": f"{limits.FIRST_DAY.isoformat()}T00:00", "max": f"{limits.LAST_DAY.isoformat()}T23:59"}
        super().__init__({**bounds, **(attrs or {})}, format="%Y-%m-%dT%H:%M")


def people():
    """Everyone with a role in the programme, for choosing people."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__isnull=False)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def same_choices(field, queryset, label=str, empty=None):
    """Give a choice field its choices from one query, however often the form is repeated in a formset."""
    rows = list(queryset)
    field.queryset = queryset
    field.choices = ([("", empty)] if empty is not None else []) + [(row.pk, label(row)) for row in rows]


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "description",
            "theme_areas",
            "host_city",
            "venue",
            "starts_at",
            "ends_at",
            "status",
            "continues",
            "registration_deadline",
            "feedback_days",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "theme_areas": forms.CheckboxSelectMultiple,
            "starts_at": DateTimeInput,
            "ends_at": DateTimeInput,
            "registration_deadline": DateInput(attrs=limits.date_attrs()),
        }
        help_texts = {
            "continues": _("For a meeting that was broken off and continues on another day."),
            "registration_deadline": _("Invitees answer until the end of this day (Oslo time)."),
            "feedback_days": _("Participants of a gathering answer the survey this many days after it ends."),
        }

    def __init__(self, *args, theme_area_ids=None, continuable=None, **kwargs):
        """`theme_area_ids`: the theme areas the user may plan for (None: all); `continuable`: meetings to link to."""
        super().__init__(*args, **kwargs)
        self.theme_area_ids = theme_area_ids
        themes = ThemeArea.objects.all()
        if theme_area_ids is not None:
            current = set(self.instance.theme_areas.values_list("pk", flat=True)) if self.instance.pk else set()
            themes = themes.filter(pk__in=set(theme_area_ids) | current)
            self.fields["theme_areas"].required = True
        self.fields["theme_areas"].queryset = themes
        self.fields["host_city"].queryset = City.objects.all()
        continuable = continuable if continuable is not None else Meeting.objects.all()
        if self.instance.pk:
            continuable = continuable.exclude(pk=self.instance.pk)
        self.fields["continues"].queryset = continuable.order_by("-starts_at")
        self.fields["host_city"].empty_label = _("No host city")
        self.fields["continues"].empty_label = _("No, a meeting of its own")
        name_empty_choices(self)
        self.helper = form_helper(_("Save meeting"))
        self.helper.layout = Layout(
            Div(Div("kind", css_class="col-md-6"), Div("status", css_class="col-md-6"), css_class="row"),
            "title",
            "description",
            "theme_areas",
            Div(Div("host_city", css_class="col-md-6"), Div("venue", css_class="col-md-6"), css_class="row"),
            Div(Div("starts_at", css_class="col-md-6"), Div("ends_at", css_class="col-md-6"), css_class="row"),
            Div(
                Div("registration_deadline", css_class="col-md-6"),
                Div("feedback_days", css_class="col-md-6"),
                css_class="row",
            ),
            "continues",
        )

    def clean_theme_areas(self):
        themes = self.cleaned_data["theme_areas"]
        if self.theme_area_ids is not None and not any(t.pk in self.theme_area_ids for t in themes):
            raise ValidationError(_("Choose at least one theme area of a network you lead."))
        return themes

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The meeting cannot end before it starts."))
        continues = cleaned.get("continues")
        if starts and continues and continues.starts_at >= starts:
            self.add_error("continues", _("Choose a meeting that took place before this one."))
        deadline = cleaned.get("registration_deadline")
        if starts and deadline and deadline > timezone.localdate(starts):
            self.add_error("registration_deadline", _("Registration must close by the day the meeting starts."))
        return cleaned

    def service_fields(self):
        """The cleaned fields as the services take them: theme areas apart."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "theme_areas"}
        return fields, self.cleaned_data["theme_areas"]


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["starts_at", "ends_at", "kind", "title", "presenter", "city", "place", "measures"]
        widgets = {"starts_at": DateTimeInput, "ends_at": DateTimeInput, "measures": CheckboxList}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("starts_at", meeting.starts_at)
        self.fields["city"].queryset = City.objects.all()
        self.fields["city"].empty_label = _("No city")
        name_empty_choices(self)
        measures = Measure.objects.none()
        if meeting.host_city_id:
            measures = (
                Measure.objects.filter(
                    programme__city_id=meeting.host_city_id, programme__status=ActionProgramme.Status.SUBMITTED
                )
                .select_related("theme_area")
                .order_by("theme_area__order", "title")
            )
        same_choices(self.fields["measures"], measures, label=lambda m: f"{m.theme_area.name}: {m.title}")
        self.fields["measures"].help_text = _(
            "Measures of the host city's submitted action programme that the site visit shows."
        )
        self.helper = form_helper(_("Save agenda item"))
        self.helper.layout = Layout(
            Div(
                Div("starts_at", css_class="col-md-4"),
                Div("ends_at", css_class="col-md-4"),
                Div("kind", css_class="col-md-4"),
                css_class="row",
            ),
            "title",
            Div(Div("presenter", css_class="col-md-6"), Div("city", css_class="col-md-6"), css_class="row"),
            "place",
            "measures",
        )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("An item cannot end before it starts."))
        first, last = timezone.localdate(self.meeting.starts_at), timezone.localdate(self.meeting.ends_at)
        if starts and not first <= timezone.localdate(starts) <= last:
            self.add_error("starts_at", _("Choose a time on a day of the meeting."))
        kind = cleaned.get("kind")
        if kind and kind != AgendaItem.Kind.SITE_VISIT and cleaned.get("measures"):
            self.add_error("measures", _("Only a site visit shows measures."))
        return cleaned


class InviteForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Everyone with the role"),
        choices=Membership.Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cities = forms.ModelMultipleChoiceField(
        label=_("The contacts of the cities"),
        queryset=City.objects.none(),
        required=False,
        widget=CheckboxList,
    )
    theme_areas = forms.ModelMultipleChoiceField(
        label=_("The coordinators and leaders of the networks"),
        queryset=ThemeArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("The members of the organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=CheckboxList,
    )
    county_authorities = forms.BooleanField(label=_("The regional authorities of the host city"), required=False)
    users = PersonMultipleChoiceField(
        label=_("People"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=CheckboxList,
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["cities"].queryset = City.objects.all()
        self.fields["theme_areas"].queryset = ThemeArea.objects.all()
        self.fields["organisations"].queryset = Organisation.objects.all()
        same_choices(self.fields["users"], people(), label=person_name)
        if meeting.host_city is not None:
            self.fields["county_authorities"].help_text = _(
                "The members of the county authorities of %(county)s, the county of %(city)s."
            ) % {
                "county": escape(meeting.host_city.county.name),
                "city": escape(meeting.host_city.name),
            }  # help text is shown unescaped
        else:
            self.fields["county_authorities"].disabled = True
            self.fields["county_authorities"].help_text = _("The meeting has no host city.")
        self.helper = form_helper(_("Invite"))
        self.helper.layout = Layout(
            Div(Div("roles", css_class="col-md-6"), Div("theme_areas", css_class="col-md-6"), css_class="row"),
            Div(Div("cities", css_class="col-md-6"), Div("organisations", css_class="col-md-6"), css_class="row"),
            Div(Div("users", css_class="col-md-6"), Div("county_authorities", css_class="col-md-6"), css_class="row"),
        )

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in self.fields):
            raise ValidationError(_("Choose whom to invite."))
        return cleaned


class RegistrationForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Will you attend?"),
        choices=[("attending", _("Yes, I will attend")), ("not_attending", _("No, I will not attend"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_("Send answer"))


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=_("Who attended"),
        required=False,
        widget=CheckboxList,
        help_text=_("Everyone not ticked is recorded as absent."),
    )

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = {str(i.pk): i for i in invitations}
        self.fields["attended"].choices = [(str(i.pk), person_name(i.user)) for i in invitations]
        self.fields["attended"].initial = [str(i.pk) for i in invitations if i.attended]
        self.helper = form_helper(_("Save attendance"))

    def clean_attended(self):
        return [self.invitations[pk] for pk in self.cleaned_data["attended"]]


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("Document"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt"}))
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("The meeting as a whole"),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspected = None
        self.fields["agenda_item"].queryset = meeting.agenda.all()
        self.fields["file"].help_text = _("PDF, DOCX or ODT, at most %(mb)s MB.") % {
            "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        }
        self.helper = form_helper(_("Upload"), multipart=True)

    def clean_file(self):
        file = self.cleaned_data["file"]
        self.inspected = inspect_upload(file, max_size=settings.UPLOAD_MAX_BYTES)
        return file


RATINGS = [(n, str(n)) for n in range(1, 6)]


class FeedbackForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("Overall, how was the gathering? (1 poor – 5 very good)"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    host_usefulness = forms.TypedChoiceField(
        label=_("How useful were the host city's presentations and site visits? (1 not useful – 5 very useful)"),
        choices=[*RATINGS, ("", _("There were none"))],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    state_concrete = forms.TypedChoiceField(
        label=_("Were the state bodies concrete about what they can contribute? (1 not at all – 5 very concrete)"),
        choices=[*RATINGS, ("", _("No state body took part"))],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Feedback
        fields = [
            "rating",
            "pace",
            "enough_discussion",
            "host_usefulness",
            "state_concrete",
            "state_comment",
            "comment",
        ]
        widgets = {
            "pace": forms.RadioSelect,
            "enough_discussion": forms.RadioSelect,
            "state_comment": forms.Textarea(attrs={"rows": 3}),
            "comment": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "state_comment": _("What did you miss from the state, or what was clear and useful?"),
            "comment": _("Anything else? What should the next host do the same, or differently?"),
        }
        help_texts = {
            "state_comment": _("The organisers read your comments without your name."),
            "comment": _("The organisers read your comments without your name."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No empty "---------" choice among the radio buttons.
        for name in ("pace", "enough_discussion"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        self.helper = form_helper(_("Send feedback"))

    def answers(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


RecipeFormSet = modelformset_factory(
    ChecklistTemplateItem,
    fields=["order", "text", "active"],
    extra=2,
    can_delete=False,
    widgets={
        "order": forms.NumberInput(attrs={"class": "form-control", "min": 0}),
        "active": forms.CheckboxInput(attrs={"class": "form-check-input"}),
    },
)
