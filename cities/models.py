"""Who takes part: counties, cities, theme areas, networks, organisations and
the memberships that give people their roles."""

import itertools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class County(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    number = models.CharField(_("county number"), max_length=2, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self):
        return self.name


def _spellings(value):
    """`value` as typed, in lower case, and with each word capitalised as names are written.
    SQLite's LIKE (Django's `icontains` and `iexact` there) folds the case of ASCII letters only,
    so "ålesund" alone would miss "Ålesund" and "BÆRUM" would miss "Bærum"; PostgreSQL folds
    them all, and the other spellings cost it nothing."""
    return list(dict.fromkeys([value, value.lower(), value.title()]))


class CityQuerySet(models.QuerySet):
    def named(self, value):
        """The cities `value` (as typed in a list's city field) names: the city with that slug, or
        those with that name, if any; else those whose name has it as a part. Picking "Nes" from
        the suggestions is Nes, not also Nesodden and Nesna; typing "nes" where no city is called
        so is all of those."""
        exact, part = Q(slug=value), Q()
        for spelling in _spellings(value):
            exact |= Q(name__iexact=spelling)
            part |= Q(name__icontains=spelling)
        return self.filter(exact | (~Exists(self.model.objects.filter(exact)) & part))

    def without_contact(self):
        """The cities with no active city contact: their reminders and notices would reach nobody."""
        contacts = Membership.objects.filter(
            city=OuterRef("pk"), role=Membership.Role.CITY_CONTACT, user__is_active=True
        ).exclude(user__email="")
        return self.filter(~Exists(contacts))


class City(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)
    municipality_number = models.CharField(
        _("municipality number"),
        max_length=4,
        unique=True,
        help_text=_("Four digits, with a leading zero where there is one."),
    )
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="cities", verbose_name=_("county"))
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    objects = CityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality_number__regex=r"^[0-9]{4}$"),
                name="city_municipality_number_four_digits",
            )
        ]

    def __str__(self):
        return self.name


class ThemeArea(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_nb = models.CharField(_("name (Norwegian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("theme area")
        verbose_name_plural = _("theme areas")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_en if (get_language() or "nb").startswith("en") else self.name_nb


class Network(models.Model):
    theme_area = models.OneToOneField(
        ThemeArea, on_delete=models.PROTECT, related_name="network", verbose_name=_("theme area")
    )
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        ordering = ["theme_area__order"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self):
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        STATE_AGENCY = "state_agency", _("State agency")
        COUNTY_AUTHORITY = "county_authority", _("County authority")
        ASSOCIATION = "association", _("Association")
        BUSINESS = "business", _("Business organisation")
        CONSULTANCY = "consultancy", _("Consultancy")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("county"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return f"{self.name} ({self.short_name})"


class MembershipQuerySet(models.QuerySet):
    def of(self, user):
        return self.filter(user=user) if user.is_authenticated else self.none()


MEMBERSHIP_SCOPES = ("city", "theme_area", "organisation")


def unique_per_scope():
    """A person holds a role for a scope once. SQL treats NULLs as distinct, so one constraint over
    all the scope columns would never fire for the usual membership with a NULL scope; instead, one
    partial unique constraint per shape of scope (which of the columns are set), on every database."""
    constraints = []
    for shape in itertools.product((True, False), repeat=len(MEMBERSHIP_SCOPES)):
        scopes = [name for name, is_set in zip(MEMBERSHIP_SCOPES, shape, strict=True) if is_set]
        constraints.append(
            models.UniqueConstraint(
                fields=["user", "role", *scopes],
                condition=Q(
                    **{f"{name}__isnull": not is_set for name, is_set in zip(MEMBERSHIP_SCOPES, shape, strict=True)}
                ),
                name="membership_unique_" + ("_".join(scopes) or "unscoped"),
                violation_error_message=_("This person already has this role for this scope."),
            )
        )
    return constraints


class Membership(models.Model):
    """A role a person holds, for a city, a theme area or an organisation.

    A role that ends is deleted; its history (who gave it and when, who ended it and when) stays
    in the historical table that django-simple-history keeps."""

    class Role(models.TextChoices):
        CITY_CONTACT = "city_contact", _("City contact")
        NETWORK_MEMBER = "network_member", _("Network participant")
        COORDINATOR = "coordinator", _("Coordinator")
        NETWORK_LEADER = "network_leader", _("Network leader")
        PROGRAMME_MANAGEMENT = "programme_management", _("Programme management")
        CONSULTANT = "consultant", _("Consultant")
        PARTNER = "partner", _("Partner")
        COUNTY_AUTHORITY = "county_authority", _("County authority")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships", verbose_name=_("city")
    )
    theme_area = models.ForeignKey(
        ThemeArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("theme area"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["user__username", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="city_contact") | Q(city__isnull=False),
                name="membership_city_contact_has_city",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["coordinator", "network_leader"]) | Q(theme_area__isnull=False),
                name="membership_theme_role_has_theme_area",
            ),
            models.CheckConstraint(
                condition=~Q(role="network_member") | Q(city__isnull=False, theme_area__isnull=False),
                name="membership_network_member_has_city_and_theme",
            ),
            models.CheckConstraint(
                condition=~Q(role="county_authority") | Q(organisation__isnull=False),
                name="membership_county_authority_has_organisation",
            ),
            *unique_per_scope(),
        ]

    def __str__(self):
        return f"{self.user} – {self.describe()}"

    def describe(self):
        """The role and what it is for: "Coordinator (Land use and transport)"."""
        scopes = [str(scope) for scope in (self.city, self.theme_area) if scope is not None]
        if self.organisation is not None:
            scopes.append(self.organisation.name)
        return self.get_role_display() + (f" ({', '.join(scopes)})" if scopes else "")

    def clean(self):
        """Each role has the scope it needs and no other (the database checks the first half)."""
        if self.role not in ROLE_SCOPES:
            return  # the role field says what is wrong
        needed, allowed = ROLE_SCOPES[self.role]
        errors = {}
        for name in MEMBERSHIP_SCOPES:
            is_set = getattr(self, f"{name}_id") is not None
            if name in needed and not is_set:
                errors[name] = _("Required for this role.")
            elif is_set and name not in allowed:
                errors[name] = _("Leave this empty for this role.")
        if (
            self.role == self.Role.COUNTY_AUTHORITY
            and self.organisation is not None
            and self.organisation.kind != Organisation.Kind.COUNTY_AUTHORITY
        ):
            errors["organisation"] = _("Choose a county authority.")
        if errors:
            raise ValidationError(errors)


_Role = Membership.Role
# For each role: the scopes it needs, and the scopes it may have.
ROLE_SCOPES = {
    _Role.CITY_CONTACT: ({"city"}, {"city"}),
    _Role.NETWORK_MEMBER: ({"city", "theme_area"}, {"city", "theme_area"}),
    _Role.COORDINATOR: ({"theme_area"}, {"theme_area", "organisation"}),
    _Role.NETWORK_LEADER: ({"theme_area"}, {"theme_area", "organisation"}),
    _Role.PROGRAMME_MANAGEMENT: (set(), {"organisation"}),
    _Role.CONSULTANT: (set(), {"organisation"}),
    _Role.PARTNER: ({"organisation"}, {"organisation"}),
    _Role.COUNTY_AUTHORITY: ({"organisation"}, {"organisation"}),
}


class Profile(models.Model):
    """What the portal keeps about a person beyond Django's user: the language
    of the interface and of the e-mails sent to them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="nb")

    class Notices(models.TextChoices):
        IMMEDIATE = "immediate", _("At once, one mail each")
        DAILY = "daily", _("Once a day, in one mail")

    # Of the notices of events (a submission, an answer, minutes); reminders and invitations come at once.
    notices = models.CharField(_("notices"), max_length=10, choices=Notices.choices, default=Notices.IMMEDIATE)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
        help_text=_("Where the person works, if not at one of the cities."),
    )
    calendar_token = models.CharField(
        _("calendar feed key"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The secret part of the personal calendar feed's address; a new one revokes the old."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)


def notices_of(user):
    """How a person gets notices of events: at once unless they chose once a day."""
    try:
        return user.profile.notices
    except Profile.DoesNotExist:
        return Profile.Notices.IMMEDIATE


def wants_daily_notices(user):
    return notices_of(user) == Profile.Notices.DAILY


def language_of(user):
    """The language a person reads the portal in; Norwegian bokmål unless chosen otherwise."""
    try:
        return user.profile.language
    except Profile.DoesNotExist:
        return settings.LANGUAGE_CODE
