"""Who takes part: counties, cities, theme areas, networks, organisations and
the memberships that give people their roles."""

import itertools

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class County(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    number = models.CharField(_("county number"), max_length=2, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self):
        return self.name


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
    """A role a person holds, for a city, a theme area or an organisation."""

    class Role(models.TextChoices):
        CITY_CONTACT = "city_contact", _("City contact")
        COORDINATOR = "coordinator", _("Coordinator")
        NETWORK_LEADER = "network_leader", _("Network leader")
        PROGRAMME_MANAGEMENT = "programme_management", _("Programme management")
        PARTNER = "partner", _("Partner")

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
            *unique_per_scope(),
        ]

    def __str__(self):
        scope = self.city or self.theme_area or self.organisation
        return f"{self.user} – {self.get_role_display()}" + (f" ({scope})" if scope else "")


class Profile(models.Model):
    """What the portal keeps about a person beyond Django's user: the language
    of the interface and of the e-mails sent to them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="nb")
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


def language_of(user):
    """The language a person reads the portal in; Norwegian bokmål unless chosen otherwise."""
    try:
        return user.profile.language
    except Profile.DoesNotExist:
        return settings.LANGUAGE_CODE
