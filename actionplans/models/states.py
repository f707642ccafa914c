"""Where a programme stands, as every page names it: the one vocabulary of programme states,
made from the stored status and submission of `ActionProgramme`."""

from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

# The stored statuses (`ActionProgramme.Status`), by value: that model imports this module.
NOT_STARTED, DRAFT, SUBMITTED = "not_started", "draft", "submitted"


class ProgrammeState(models.TextChoices):
    """Where a city's programme stands, as every page, report, export and mail names it.

    Derived from the stored status and submission (`ActionProgramme.state`, and `state_filter`
    for a queryset): one vocabulary, one label each, distinct from every review status.
    """

    NOT_STARTED = "not_started", pgettext_lazy("programme state", "Not started")
    DRAFT = "draft", pgettext_lazy("programme state", "Draft")
    REOPENED = "reopened", pgettext_lazy("programme state", "Reopened")
    SUBMITTED_ON_TIME = "submitted_on_time", pgettext_lazy("programme state", "Submitted on time")
    SUBMITTED_LATE = "submitted_late", pgettext_lazy("programme state", "Submitted late")


def programme_state(status, submitted_at, submitted_on_time):
    """The `ProgrammeState` of a programme's stored fields (also of `values()` rows)."""
    if status == SUBMITTED:
        return ProgrammeState.SUBMITTED_LATE if submitted_on_time is False else ProgrammeState.SUBMITTED_ON_TIME
    if status == DRAFT:
        # Given back after a submission: the last submission stays pinned on the programme.
        return ProgrammeState.REOPENED if submitted_at is not None else ProgrammeState.DRAFT
    return ProgrammeState.NOT_STARTED


def state_filter(state, prefix=""):
    """A Q for the programmes in `state` (`prefix` "programme__" from a related model); the twin of
    `programme_state`, tested against it."""
    fields = {
        ProgrammeState.NOT_STARTED: {"status": NOT_STARTED},
        ProgrammeState.DRAFT: {"status": DRAFT, "submitted_at__isnull": True},
        ProgrammeState.REOPENED: {"status": DRAFT, "submitted_at__isnull": False},
        ProgrammeState.SUBMITTED_ON_TIME: {"status": SUBMITTED, "submitted_on_time": True},
        ProgrammeState.SUBMITTED_LATE: {"status": SUBMITTED, "submitted_on_time": False},
    }[state]
    return Q(**{prefix + name: value for name, value in fields.items()})
