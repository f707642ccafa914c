"""Who may see the dashboard and the reports, as django-rules predicates."""

import rules

from cities.rules import is_contact_of_city, is_programme_management, is_programme_reader

# The dashboard is for those who read every city's submitted programme: the
# programme management, coordinators and network leaders, and partners. Each
# sees on it only what they may read elsewhere.
rules.add_perm("portal.view_dashboard", is_programme_reader)


@rules.predicate
def asked_for(user, job):
    return job.user_id == user.pk


# Reports. The status report covers every city, so it is the management's; a
# city's report is also its own contacts'. A report built in the background
# belongs to the one who asked for it, for as long as they may ask (and, as
# every permission, to superusers): it shows what that person may read.
rules.add_perm("reports.view_status_report", is_programme_management)
rules.add_perm("reports.view_report_job", is_programme_management & asked_for)
rules.add_perm("reports.view_city_report", is_programme_management | is_contact_of_city)
