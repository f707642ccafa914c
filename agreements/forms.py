from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from actionplans.access import submitted_measures_visible_to
from agreements.models import Agreement, AgreementDocument
from cities.forms import DateInput, form_helper
from cities.models import City, Organisation, ThemeArea
from cities.rules import is_programme_management, theme_area_ids
from lib import limits
from lib.fields import PersonChoiceField, name_empty_choices
from lib.files import inspect_upload
from lib.widgets import CheckboxList
from meetings.access import action_items_visible_to, decisions_visible_to
from meetings.models import Decision, Minutes


class MeasureChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.programme.city.name}: {obj.title} ({obj.programme.round.name})"


class MinutesEntryChoiceField(forms.ModelMultipleChoiceField):
    """A decision or action item, named by its meeting and date."""

    def label_from_instance(self, obj):
        meeting = obj.minutes.meeting
        return f"{meeting.starts_at:%d.%m.%Y} {meeting.title}: {obj.text[:80]}"


class AgreementForm(forms.ModelForm):
    cities = forms.ModelMultipleChoiceField(
        label=_("Cities that are parties"),
        queryset=City.objects.all(),
        required=False,
        widget=CheckboxList,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Other parties"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=CheckboxList,
        help_text=_("State bodies and agencies, counties, KS, business organisations."),
    )

    class Meta:
        model = Agreement
        fields = [
            "title",
            "kind",
            "description",
            "theme_areas",
            "responsible",
            "value",
            "period_start",
            "period_end",
            "signed_date",
            "measures",
            "decisions",
            "action_items",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "theme_areas": CheckboxList,
            "measures": CheckboxList,
            "decisions": CheckboxList,
            "action_items": CheckboxList,
            "period_start": DateInput(attrs=limits.date_attrs()),
            "period_end": DateInput(attrs=limits.date_attrs()),
            "signed_date": DateInput(attrs=limits.date_attrs()),
        }
        field_classes = {
            "responsible": PersonChoiceField,
            "measures": MeasureChoiceField,
            "decisions": MinutesEntryChoiceField,
            "action_items": MinutesEntryChoiceField,
            "value": limits.DecimalNumberField,
        }

    # Links the user may not choose, kept as they are when the user saves (see `_keep_unchoosable`).
    KEPT_LINKS = ("theme_areas", "measures", "decisions", "action_items")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not (user.is_superuser or is_programme_management(user)):
            self.fields["theme_areas"].queryset = ThemeArea.objects.filter(pk__in=theme_area_ids(user))
            self.fields["theme_areas"].required = True
        self.fields["responsible"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, memberships__isnull=False)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["responsible"].empty_label = _("No one yet")
        self.fields["measures"].queryset = submitted_measures_visible_to(user).select_related(
            "programme__city", "programme__round"
        )
        self.fields["measures"].required = False
        # Only what was published, of minutes the user may read: drafts of minutes are the organisers' own.
        published = Minutes.objects.filter(status=Minutes.Status.PUBLISHED)
        self.fields["decisions"].queryset = decisions_visible_to(user).filter(minutes__in=published)
        self.fields["action_items"].queryset = action_items_visible_to(user).filter(minutes__in=published)
        for name in ("decisions", "action_items"):
            self.fields[name].queryset = self.fields[name].queryset.select_related("minutes__meeting")
            self.fields[name].required = False
        self.fields["value"].localize = True
        if self.instance.pk:
            parties = list(self.instance.parties.all())
            self.initial["cities"] = [p.city_id for p in parties if p.city_id]
            self.initial["organisations"] = [p.organisation_id for p in parties if p.organisation_id]
        self.fields["measures"].help_text = _("Measures of submitted action programmes that the agreement covers.")
        self.fields["decisions"].help_text = _("Published decisions of meetings that led to the agreement.")
        self.fields["action_items"].help_text = _("Published action items of meetings that concern the agreement.")
        name_empty_choices(self)
        self.helper = form_helper(_("Save agreement"))
        self.helper.layout = Layout(
            Fieldset(
                _("The agreement"),
                "title",
                Div(Div("kind", css_class="col-md-6"), Div("responsible", css_class="col-md-6"), css_class="row"),
                "description",
                "theme_areas",
            ),
            Fieldset(
                _("Parties"),
                Div(Div("cities", css_class="col-md-6"), Div("organisations", css_class="col-md-6"), css_class="row"),
            ),
            Fieldset(
                _("Value and period"),
                Div(
                    Div("value", css_class="col-md-6 col-lg-3"),
                    Div("period_start", css_class="col-6 col-lg-3"),
                    Div("period_end", css_class="col-6 col-lg-3"),
                    Div("signed_date", css_class="col-md-6 col-lg-3"),
                    css_class="row",
                ),
            ),
            Fieldset(_("What it builds on"), "measures", "decisions", "action_items"),
        )

    # At most this many measures prefill the form from its address (a group of similar measures is smaller).
    MAX_PREFILLED_MEASURES = 100

    def prefill_from_measures(self, raw_ids):
        """Fill in the form, unsaved, from the measures `raw_ids` (strings from the address): their
        cities as parties, their theme areas, the measures linked, a title and description, and the
        kind their candidacies share. Only the measures this form offers the user are used; returns
        (the measures used, how many of `raw_ids` were not)."""
        asked = {i.strip() for i in raw_ids}
        numbers = sorted(i for i in asked if i.isascii() and i.isdigit() and len(i) < 19)
        wanted = {int(i) for i in numbers[: self.MAX_PREFILLED_MEASURES]}
        measures = list(
            self.fields["measures"]
            .queryset.filter(pk__in=wanted)
            .select_related("theme_area", "category")
            .order_by("programme__city__name", "title")
        )
        refused = len(asked) - len(measures)
        if not measures:
            return measures, refused
        choosable_themes = set(self.fields["theme_areas"].queryset.values_list("pk", flat=True))
        kinds = {m.candidate_kind for m in measures if m.candidate_kind}
        first = measures[0]
        description = "\n".join(f"{m.programme.city.name}: {m.title}" for m in measures)
        self.initial.update(
            {
                "title": (gettext("Agreement on %(topic)s") % {"topic": first.category or first.theme_area})[:200],
                "description": description[: limits.DESCRIPTION],
                "theme_areas": sorted({m.theme_area_id for m in measures} & choosable_themes),
                "cities": sorted({m.programme.city_id for m in measures}),
                "measures": [m.pk for m in measures],
            }
        )
        if len(kinds) == 1:  # the kind only when their candidacies agree on one
            self.initial["kind"] = kinds.pop()
        return measures, refused

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        self._keep_unchoosable(cleaned)
        return cleaned

    def _keep_unchoosable(self, cleaned):
        """Links made by someone who may see more (another theme, minutes the user does not read)
        are not offered here, so they are neither shown nor lost when this user saves."""
        if not self.instance.pk:
            return
        for name in self.KEPT_LINKS:
            if name not in cleaned:
                continue
            hidden = getattr(self.instance, name).exclude(pk__in=self.fields[name].queryset.values("pk"))
            cleaned[name] = [*cleaned[name], *hidden]


class StatusForm(forms.Form):
    """A move of `agreement` in its pipeline: offers only the statuses its table lets `user` move it to."""

    to_status = forms.ChoiceField(label=_("New status"))
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    decision = forms.ModelChoiceField(
        label=_("The meeting decision behind it"),
        queryset=Decision.objects.none(),
        required=False,
        empty_label=_("None"),
        error_messages={"invalid_choice": _("Choose a decision linked to this agreement.")},
    )

    def __init__(self, *args, agreement, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement, self.user = agreement, user
        decisions = agreement.decisions.select_related("minutes__meeting")
        self.fields["decision"].queryset = decisions
        self.fields["decision"].label_from_instance = lambda d: f"{d.minutes.meeting.title}: {d.text[:80]}"
        if not decisions.exists():
            del self.fields["decision"]  # nothing to choose: the agreement links no decision
        field = self.fields["to_status"]
        # Any status is read, so that a move the table refuses is told why; only the allowed ones are offered.
        field.choices = Agreement.Status.choices
        field.error_messages["invalid_choice"] = _("Choose a status from the list.")
        self.moves = Agreement.TRANSITIONS.choices(agreement.status, user=user, obj=agreement)
        # Nothing chosen at first: a move backwards must never be one click away.
        field.widget.choices = [("", _("Choose the new status")), *self.moves]
        self.helper = form_helper(_("Change status"))

    def clean_to_status(self):
        to_status = self.cleaned_data["to_status"]
        if to_status == self.agreement.status:
            raise forms.ValidationError(_("The agreement already has this status."), code="same_status")
        Agreement.TRANSITIONS.check(self.agreement.status, to_status)
        if not self.user.has_perm(Agreement.TRANSITIONS.permission(self.agreement.status, to_status), self.agreement):
            raise forms.ValidationError(_("You may not make this move."), code="not_permitted")
        return to_status

    @property
    def offers_a_move(self):
        return bool(self.moves)


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Document"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementDocument.Kind.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspected = None
        self.fields["file"].help_text = _("PDF, DOCX or ODT, at most %(mb)s MB.") % {
            "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        }
        self.helper = form_helper(_("Upload"), multipart=True)

    def clean_file(self):
        file = self.cleaned_data["file"]
        self.inspected = inspect_upload(file, max_size=settings.UPLOAD_MAX_BYTES)
        return file
