"""The objects of the results rows of the authorization matrices (tests/portal/test_authorization_matrix.py,
tests/security/test_post_matrix.py), made in the matrices' world when a row first asks for them: an active
agreement on Bergen's land-use measure with Bergen and KS as parties, and the reporting round "Rapport 2030"
on the world's round, in which Bergen (its programme submitted) and KS have their draft reports; Oslo, whose
programme is a draft, has none."""

import datetime

from django.contrib.auth import get_user_model

from agreements import services as agreement_services
from agreements.models import Agreement
from results import services
from results.models import ExtensionRequest, ReportingRound
from tests.results.conftest import formset_data


def results_world(w):
    users = get_user_model().objects.in_bulk(["departementet", "ks"], field_name="username")
    manager, ks = users["departementet"], users["ks"].memberships.get().organisation
    agreement = Agreement.objects.filter(status=Agreement.Status.ACTIVE, measures=w["bergen_measure"]).first()
    if agreement is None:
        agreement = Agreement.objects.create(
            title="Rapportert avtale", kind="pilot_project", created_by=manager, status=Agreement.Status.ACTIVE
        )
        agreement.theme_areas.set([w["atp"]])
        agreement.measures.set([w["bergen_measure"]])
        agreement_services.set_parties(agreement, cities=[w["bergen"].city], organisations=[ks])
    reporting_round = ReportingRound.objects.filter(slug="rapport-2030").first()
    if reporting_round is None:
        reporting_round = services.open_round(
            name="Rapport 2030",
            slug="rapport-2030",
            kind="yearly",
            programme_round=w["bergen"].round,
            due_date=datetime.date(2030, 5, 15),
            by=manager,
        )
    return {
        "round": reporting_round,
        "bergen": reporting_round.reports.get(city=w["bergen"].city),
        "ks": reporting_round.reports.get(organisation=ks),
    }


def round_slug(w):
    return [results_world(w)["round"].slug]


def bergen_report(w):
    return [results_world(w)["bergen"].pk]


def pending_extension(w):
    """Bergen's request for more time, waiting for the management's decision."""
    report = results_world(w)["bergen"]
    extension = report.extension_requests.filter(status=ExtensionRequest.Status.PENDING).first()
    if extension is None:
        contact = get_user_model().objects.get(username="kontakt-bergen")
        extension = services.request_extension(report, new_date=datetime.date(2030, 6, 1), reason="Valg", by=contact)
    return [extension.pk]


def round_data(w):
    return {
        "name": "Rapport 2031",
        "slug": "rapport-2031",
        "kind": "yearly",
        "programme_round": w["bergen"].round_id,
        "due_date": "2031-05-01",
        "offsets": "-7, 0",
    }


def report_data(w):
    report = results_world(w)["bergen"]
    return formset_data(report, {("m", w["bergen_measure"].pk): {"status": "under_way", "share_done": "10"}}) | {
        "save": ""
    }


def submitted_report_data(w):
    """Bergen's report submitted (rolled back with the POST), and the reason it is given back."""
    report = results_world(w)["bergen"]
    report.refresh_from_db()
    contact = get_user_model().objects.get(username="kontakt-bergen")
    if not report.is_submitted:
        services.save_report(report, measures=[], agreements=[], by=contact, submit=True)
    return {"comment": "Mangler tall"}
