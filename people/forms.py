"""The forms of the People section: invite a person with their roles, give a role, accept an invitation."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cities import rules as cities_rules
from cities.models import City, Membership, Organisation, ThemeArea
from people import services

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
