"""The only lookups of reporting rounds, progress reports and their extension requests for a user: each
fetches one object and answers 404 if the user may not see it (403 where they see it but may not do what
they asked), or scopes a queryset to what the user may see, in the database. The rules are in `rules.py`;
these are their queryset twins."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from actionplans.models import Round
from cities import rules as cities_rules
from results import rules as results_rules
from results.models import ExtensionRequest, ProgressReport, ReportingRound
from results.rules import partner_organisation_ids


def sees_everything(user):
    """Superusers, as in Django's checks, and the programme management read every report."""
    return user.is_superuser or cities_rules.is_programme_management(user)


def with_relations(reports):
    """What a page of reports reads of each: its reporter, round and the reported-on round's deadline."""
    return reports.select_related("city", "organisation", "reporting_round__programme_round__deadline")


def reports_visible_to(user, queryset=None):
    """The queryset twin of `results.view_report`."""
    reports = ProgressReport.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return reports
    if not user.is_authenticated:
        return reports.none()
    visible = Q(city__in=cities_rules.city_ids(user)) | Q(organisation__in=partner_organisation_ids(user))
    submitted = Q(status=ProgressReport.Status.SUBMITTED)
    if cities_rules.is_theme_staff(user) or cities_rules.is_consultant(user):
        visible |= submitted
    elif cities_rules.is_city_contact(user):
        visible |= (
            submitted & Q(city__isnull=False) & Q(reporting_round__programme_round__in=Round.objects.open_to_cities())
        )
    return reports.filter(visible)


def reads_only_own_themes(user, report):
    """Whether `user` reads `report` as theme staff only: then the rows of their theme areas alone."""
    if sees_everything(user) or cities_rules.is_consultant(user):
        return False
    if results_rules.is_reporter(user, report) or results_rules.reads_as_another_city(user, report):
        return False
    return cities_rules.is_theme_staff(user)


def rows_for(user, report):
    """(measure rows, agreement rows) of `report` that `user` reads: two queries."""
    measures = report.measure_rows.select_related("measure__theme_area")
    agreements = report.agreement_rows.select_related("agreement", "party__city", "party__organisation")
    if reads_only_own_themes(user, report):
        themes = cities_rules.theme_area_ids(user)
        measures = measures.filter(measure__theme_area__in=themes)
        agreements = agreements.filter(agreement__theme_areas__in=themes).distinct()
    return list(measures), list(agreements)


def get_report_for_user(user, pk, perm="results.view_report"):
    """The report, if `user` may see it (else 404) and has `perm` on it (else 403)."""
    report = get_object_or_404(with_relations(ProgressReport.objects.all()).select_related("submitted_by"), pk=pk)
    if not user.has_perm("results.view_report", report):
        raise Http404
    if not user.has_perm(perm, report):
        raise PermissionDenied
    return report


def get_round_for_user(user, slug, perm="results.view_rounds"):
    """The reporting round, if `user` has `perm` (else 403; 404 if there is none)."""
    if not user.has_perm(perm):
        raise PermissionDenied
    return get_object_or_404(ReportingRound.objects.select_related("programme_round__deadline"), slug=slug)


def get_extension_for_user(user, pk):
    """An extension request to decide: 403 unless `user` decides extensions, then 404 if there is none."""
    if not user.has_perm("results.decide_extension"):
        raise PermissionDenied
    return get_object_or_404(
        ExtensionRequest.objects.select_related(
            "report__city", "report__organisation", "report__reporting_round", "requested_by"
        ),
        pk=pk,
    )


def own_reports(user, reporting_round=None):
    """The reports (of `reporting_round`, if given) that `user` writes: their cities' and their organisations'."""
    if not user.is_authenticated:
        return ProgressReport.objects.none()
    reports = ProgressReport.objects.filter(
        Q(city__in=cities_rules.city_ids(user)) | Q(organisation__in=partner_organisation_ids(user))
    )
    if reporting_round is not None:
        reports = reports.filter(reporting_round=reporting_round)
    return with_relations(reports)
