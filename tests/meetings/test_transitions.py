"""Minutes go draft → approved → published as their table says; nothing else."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from meetings.models import Minutes


@pytest.fixture(autouse=True)
def _english():
    """The messages are compared in the source language (the interface's default is Norwegian)."""
    with translation.override("en"):
        yield


MS = Minutes.Status


def test_the_minutes_table():
    assert {s: Minutes.TRANSITIONS.next_statuses(s) for s in MS.values} == {
        MS.DRAFT: [MS.APPROVED],
        MS.APPROVED: [MS.DRAFT, MS.PUBLISHED],
        MS.PUBLISHED: [],
    }
    assert Minutes.TRANSITIONS.permission(MS.DRAFT, MS.APPROVED) == "meetings.change_meeting"


@pytest.mark.parametrize(
    ("current", "new"), [(MS.DRAFT, MS.PUBLISHED), (MS.PUBLISHED, MS.DRAFT), (MS.PUBLISHED, MS.APPROVED)]
)
def test_a_minutes_move_not_in_the_table_is_refused(current, new):
    with pytest.raises(ValidationError) as refused:
        Minutes.TRANSITIONS.check(current, new)

    labels = dict(MS.choices)
    assert refused.value.messages == [f"The status cannot change from “{labels[current]}” to “{labels[new]}”."]
