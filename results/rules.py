"""Who may do what with reporting rounds and progress reports, as django-rules predicates.

The programme management opens the rounds, sets their reminder steps, reads every report, reopens a
submitted one and decides the requests for more time. A reporter is a city (its contacts write its report)
or an organisation party to agreements (its partners write its report). A report is the reporter's to write
while it is a draft; once submitted it is read by the management, the theme staff (coordinators and network
leaders: the rows of their themes, `results.access.rows_for`) and the consultant, and by the contacts of the
other cities as the reported-on round's `open_to_cities` says. No one but its reporter and the management
reads a draft. `results.access` holds the queryset twins.
"""

import rules

from cities.rules import (
    Role,
    city_ids,
    is_city_contact,
    is_consultant,
    is_member,
    is_programme_management,
    is_theme_staff,
    memberships,
)


def partner_organisation_ids(user):
    """The organisations `user` is a partner of: the reporters whose reports they write."""
    return {m.organisation_id for m in memberships(user) if m.role == Role.PARTNER and m.organisation_id}


@rules.predicate
def is_reporter(user, report):
    if report.city_id is not None:
        return report.city_id in city_ids(user)
    return report.organisation_id in partner_organisation_ids(user)


@rules.predicate
def is_draft(user, report):
    return not report.is_submitted


@rules.predicate
def is_submitted(user, report):
    return report.is_submitted


@rules.predicate
def reads_as_another_city(user, report):
    """A contact of another city reads a city's submitted report once the reported-on round is open to cities."""
    return (
        report.is_submitted
        and report.city_id is not None
        and is_city_contact(user)
        and report.city_id not in city_ids(user)
        and report.reporting_round.programme_round.opens_to_cities()
    )


is_report_reader = is_theme_staff | is_consultant

rules.add_perm("results.view_rounds", is_member)
rules.add_perm("results.open_round", is_programme_management)
rules.add_perm("results.set_reminder_steps", is_programme_management)
rules.add_perm(
    "results.view_report",
    is_programme_management | is_reporter | (is_submitted & is_report_reader) | reads_as_another_city,
)
rules.add_perm("results.change_report", is_reporter & is_draft)
rules.add_perm("results.submit_report", is_reporter & is_draft)
rules.add_perm("results.reopen_report", is_programme_management & is_submitted)
rules.add_perm("results.request_extension", is_reporter & is_draft)
rules.add_perm("results.decide_extension", is_programme_management)
