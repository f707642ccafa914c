"""What a value the portal stores may be: how long free text is, which dates
make sense, how large a number can be. One place, read by the models (a
validator and, where it is cheap, a check constraint in the database) and by
the forms (the same limit, with a message the user can act on)."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import formats, timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Free text, in characters.
TITLE = 200
NOTE = 5_000  # comments, answers, decisions, reasons, notes
DESCRIPTION = 10_000  # descriptions and general assessments
MAIN_POINTS = 20_000  # the main points of a meeting's minutes
TASK = 1_000  # what an action item asks to be done

# Parts of one meeting's minutes. With the texts at their longest, the minutes
# PDF renders within its time budget (benchmarks/minutes_pdf.py).
MAX_DECISIONS = 25
MAX_ACTION_ITEMS = 25

# Dates: the programme's span. Anything outside is a typing error (20255, 0202).
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)

# Numbers. Norway emits about 50 million t CO₂e a year and its cities a few
# million; no single measure moves more than 10 million t either way.
MAX_EFFECT = Decimal(10_000_000)
# A trillion kroner is more than the state budget: no measure or agreement costs more.
MAX_AMOUNT = Decimal(10**12)


def text_field(verbose_name, max_length, **kwargs):
    """A TextField that refuses more than `max_length` characters, in the form and in `full_clean`."""
    return models.TextField(verbose_name, max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs)


def length_check(field, max_length, name):
    """A check constraint that the database keeps `field` within `max_length` characters."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), max_length), name=name)


def _day(value):
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


@deconstructible
class DateRangeValidator:
    """A date (or the local day of a datetime) within FIRST_DAY and LAST_DAY."""

    def __call__(self, value):
        day = _day(value)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError(
                _("Choose a date between %(first)s and %(last)s."),
                code="date_out_of_range",
                params={"first": f"{FIRST_DAY:%d.%m.%Y}", "last": f"{LAST_DAY:%d.%m.%Y}"},
            )

    def __eq__(self, other):
        return isinstance(other, DateRangeValidator)


validate_programme_date = DateRangeValidator()


def date_attrs():
    """The `min` and `max` of a date input, so the browser's date picker keeps to the span too."""
    return {"min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()}


def effect_validators():
    message = _("Enter an effect between −10 000 000 and 10 000 000 t CO₂e per year.")
    return [MinValueValidator(-MAX_EFFECT, message=message), MaxValueValidator(MAX_EFFECT, message=message)]


def amount_validators():
    message = _("Enter an amount between 0 and 1 000 000 000 000 kroner.")
    return [MinValueValidator(0, message=message), MaxValueValidator(MAX_AMOUNT, message=message)]


_SPACES = re.compile(r"[\s\u00a0\u202f']")
_GROUPED = r"-?[1-9]\d{0,2}(?:%s\d{3})+"
_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")


def parse_decimal(text):
    """`text` as a Decimal, read as people type numbers in Norwegian or English; None if it is no number.

    Spaces group thousands. A comma is the decimal sign (2500,5 is 2500.5), unless
    it groups thousands in a number that also has a decimal point (1,234.5) or, in
    English, in groups of three (1,234); a point likewise the other way round.
    Letters (NaN, Infinity, 1e9) are no number.
    """
    value = _SPACES.sub("", str(text)).replace("\u2212", "-")
    if "," in value and "." in value:
        thousands = "," if value.rindex(",") < value.rindex(".") else "."
        value = value.replace(thousands, "")
    elif value.count(",") or value.count("."):
        sign = "," if "," in value else "."
        decimal_sign = formats.get_format("DECIMAL_SEPARATOR")
        if sign != decimal_sign and re.fullmatch(_GROUPED % re.escape(sign), value):
            value = value.replace(sign, "")
    value = value.replace(",", ".")
    if not _PLAIN.fullmatch(value):
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


class DecimalNumberField(forms.DecimalField):
    """A decimal typed as people write it (see `parse_decimal`), in a text input that takes a comma."""

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # A phone shows its number pad with the decimal sign of its language.
        return {**super().widget_attrs(widget), "inputmode": "decimal"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_decimal(value)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number
