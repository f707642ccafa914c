"""Dates, numbers and amounts of money are written as the user's language writes them."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from actionplans.models import OSLO

TEMPLATE = Template(
    "{% load portal_tags %}"
    "{{ day|date:'SHORT_DATE_FORMAT' }}|{{ moment|date:'DATETIME_FORMAT' }}|{{ effect|tonnes }}|{{ value|nok }}|{{ none|nok }}"
)
VALUES = {
    "day": datetime.date(2027, 1, 15),
    "moment": datetime.datetime(2027, 1, 15, 9, 5, tzinfo=OSLO),
    "effect": Decimal("12345.67"),
    "value": Decimal("1500000"),
    "none": None,
}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", "15.01.2027|15.01.2027 kl. 09.05|12\xa0345,7|1\xa0500\xa0000 kr|–"),
        ("en", "15/01/2027|15 January 2027, 09:05|12,345.7|NOK 1,500,000|–"),
    ],
)
def test_dates_numbers_and_kroner_follow_the_language(language, expected):
    with translation.override(language), timezone.override(OSLO):
        assert TEMPLATE.render(Context(VALUES)) == expected
