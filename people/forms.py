"""The forms of the People section: invite a person with their roles, give a role, accept an invitation."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from actionplans.models import Round
from cities import rules as cities_rules
from cities.models import City, County, Membership, Organisation, ThemeArea
from meetings.models import Meeting
from people import services
from people.models import BulkMessage

Role = Membership.Role


class RoleForm(forms.ModelForm):
    """One role with its scope. The choices are those `user` may give (rule `people.give_role`)."""

    class Meta:
        model = Membership
        fields = ["role", "city", "theme_area", "organisation"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        fields = self.fields
        fields["role"].choices = [("", _("Choose a role"))] + [
            (value, label) for value, label in Role.choices if value in givable_roles(user)
        ]
        fields["city"].queryset = City.objects.all()
        fields["theme_area"].queryset = ThemeArea.objects.all()
        fields["organisation"].queryset = Organisation.objects.all()
        if not manages_people(user):
            # A city contact names their own city; a network leader any city taking part in the network.
            if not cities_rules.is_network_leader(user):
                fields["city"].queryset = City.objects.filter(pk__in=cities_rules.city_ids(user))
            fields["theme_area"].queryset = ThemeArea.objects.filter(
                pk__in=cities_rules.theme_area_ids(user, Role.NETWORK_LEADER)
            )
            fields["organisation"].queryset = Organisation.objects.none()
        fields["city"].empty_label = _("No city")
        fields["theme_area"].empty_label = _("No theme area")
        fields["organisation"].empty_label = _("No organisation")
        for name in ("city", "theme_area", "organisation"):
            fields[name].required = False
        fields["city"].help_text = _("For a city contact or a network participant.")
        fields["theme_area"].help_text = _("For a coordinator, network leader or network participant.")
        fields["organisation"].help_text = _("For a partner or county authority; may be given for the state roles.")

    def _post_clean(self):
        # The instance holds the chosen role and scope only after the model's own validation.
        super()._post_clean()
        if not self.errors and not self.user.has_perm("people.give_role", self.instance):
            self.add_error(None, ValidationError(_("You may not give this role for this scope."), code="not_allowed"))


def manages_people(user):
    return user.is_superuser or cities_rules.is_programme_management(user)


def givable_roles(user):
    if manages_people(user):
        return set(Role.values)
    roles = set()
    if cities_rules.is_network_leader(user):
        roles |= {Role.COORDINATOR, Role.NETWORK_MEMBER}
    if cities_rules.is_city_contact(user):
        roles.add(Role.CITY_CONTACT)
    return roles


class BaseRoleFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        chosen = [form.cleaned_data for form in self.forms if form.cleaned_data.get("role")]
        if not chosen:
            raise ValidationError(_("Give the person at least one role."), code="no_role")
        keys = [(c["role"], c.get("city"), c.get("theme_area"), c.get("organisation")) for c in chosen]
        if len(set(keys)) != len(keys):
            raise ValidationError(_("The same role is given twice."), code="twice")

    def memberships(self):
        return [form.instance for form in self.forms if form.cleaned_data.get("role")]


# One row to fill in (two when the first comes filled in from a link); more roles are given later on the person's page.
RoleFormSet = forms.formset_factory(RoleForm, formset=BaseRoleFormSet, extra=1, max_num=6, absolute_max=6)


class InviteForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("A city, or none"),
        help_text=_("Where the person works, if not at one of the cities."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation and of the portal's mail"), choices=settings.LANGUAGES, initial="nb"
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if services.email_in_use(email):
            raise ValidationError(_("Someone in the portal already has this e-mail address."), code="email_in_use")
        return email


class AddRoleForm(RoleForm):
    """A role for a person who is already in the portal."""

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.user = person

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                self.instance.validate_constraints()
            except ValidationError:
                self.add_error(None, ValidationError(_("This person already has this role."), code="unique"))


class AcceptForm(SetPasswordForm):
    """Choose a password, from an invitation's link."""


class BulkMessageForm(forms.ModelForm):
    """A message to an audience: programme management to any, a network leader to their own network."""

    class Meta:
        model = BulkMessage
        fields = [
            "audience",
            "round",
            "theme_area",
            "meeting",
            "county",
            "subject_nb",
            "body_nb",
            "subject_en",
            "body_en",
        ]
        widgets = {
            "audience": forms.RadioSelect,
            "body_nb": forms.Textarea(attrs={"rows": 8}),
            "body_en": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {"subject_en": _("Those who read English get this; if it is empty, the Norwegian text.")}

    # What each audience needs chosen.
    SCOPES = {
        BulkMessage.Audience.NOT_SUBMITTED: "round",
        BulkMessage.Audience.THEME_NETWORK: "theme_area",
        BulkMessage.Audience.MEETING_INVITEES: "meeting",
        BulkMessage.Audience.COUNTY_AUTHORITIES: "county",
    }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["audience"].choices = [c for c in BulkMessage.Audience.choices if c[0] in audiences_for(user)]
        fields["round"].queryset = Round.objects.order_by("-pk")
        fields["meeting"].queryset = Meeting.objects.order_by("-starts_at")
        fields["county"].queryset = County.objects.all()
        fields["theme_area"].queryset = ThemeArea.objects.all()
        if not manages_everything(user):
            led = cities_rules.theme_area_ids(user, Role.NETWORK_LEADER)
            fields["theme_area"].queryset = ThemeArea.objects.filter(pk__in=led)
            fields["meeting"].queryset = Meeting.objects.filter(theme_areas__in=led).distinct().order_by("-starts_at")
        for name in self.SCOPES.values():
            fields[name].required = False
            fields[name].empty_label = _("Choose")
        fields["meeting"].label_from_instance = lambda m: f"{m.title} ({m.starts_at:%d.%m.%Y})"

    def clean(self):
        cleaned = super().clean()
        needed = self.SCOPES.get(cleaned.get("audience"))
        for name in self.SCOPES.values():
            if name != needed:
                cleaned[name] = None
        if needed and not cleaned.get(needed):
            self.add_error(needed, _("Choose who the message is for."))
        return cleaned

    def scope(self):
        return {name: self.cleaned_data[name] for name in self.SCOPES.values()}


def manages_everything(user):
    return user.is_superuser or cities_rules.is_programme_management(user)


def audiences_for(user):
    if manages_everything(user):
        return set(BulkMessage.Audience.values)
    if cities_rules.is_network_leader(user):
        return {BulkMessage.Audience.THEME_NETWORK, BulkMessage.Audience.MEETING_INVITEES}
    return set()
