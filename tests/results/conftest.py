"""The small world of the results tests: Oslo and Bergen have both submitted their programmes of the round
(Oslo one measure in land use and one in energy, Bergen one in land use); an active agreement on Bergen's
measure has Bergen and KS (the partner persona's organisation) as parties; the programme management opened
the reporting round "Rapport 2030", due Wednesday 15.05.2030, on the round. Oslo's contact reads in English."""

import datetime

import pytest

from actionplans import services as actionplans_services
from actionplans.models import Measure
from agreements import services as agreement_services
from agreements.models import Agreement
from cities.models import Profile
from results import services
from tests.conftest import upload

DUE = datetime.date(2030, 5, 15)


def submit(programme, by):
    upload(programme, by)
    return actionplans_services.submit_programme(programme, by=by)


@pytest.fixture
def ks(partner):
    return partner.memberships.get().organisation


@pytest.fixture
def programmes(oslo_programme, bergen_programme, contact_oslo, contact_bergen, atp, energy):
    """Both programmes, with their measures, submitted."""
    Measure.objects.create(programme=oslo_programme, theme_area=atp, title="Sykkelveier", expected_effect=1000)
    Measure.objects.create(programme=oslo_programme, theme_area=energy, title="Passivhus", expected_effect=200)
    Measure.objects.create(programme=bergen_programme, theme_area=atp, title="Bybane", expected_effect=5000)
    return submit(oslo_programme, contact_oslo), submit(bergen_programme, contact_bergen)


@pytest.fixture
def oslo_measures(programmes):
    return {m.title: m for m in Measure.objects.filter(programme=programmes[0])}


@pytest.fixture
def bergen_measure(programmes):
    return Measure.objects.get(programme=programmes[1])


@pytest.fixture
def agreement(bergen_measure, bergen, ks, manager, atp):
    agreement = Agreement.objects.create(
        title="Belønningsordning for Bergen",
        kind="long_term_economic",
        created_by=manager,
        status=Agreement.Status.ACTIVE,
        signed_date=datetime.date(2029, 6, 1),
    )
    agreement.theme_areas.set([atp])
    agreement.measures.set([bergen_measure])
    agreement_services.set_parties(agreement, cities=[bergen], organisations=[ks])
    return agreement


@pytest.fixture
def reporting_round(programmes, agreement, round_, manager):
    return services.open_round(
        name="Rapport 2030", slug="rapport-2030", kind="yearly", programme_round=round_, due_date=DUE, by=manager
    )


@pytest.fixture
def reports(reporting_round, oslo, bergen, ks):
    """{"oslo", "bergen", "ks"}: the round's three reports."""
    by = {(r.city_id, r.organisation_id): r for r in reporting_round.reports.all()}
    return {"oslo": by[(oslo.pk, None)], "bergen": by[(bergen.pk, None)], "ks": by[(None, ks.pk)]}


@pytest.fixture
def english(contact_oslo):
    Profile.objects.create(user=contact_oslo, language="en")


def formset_data(report, rows=None, *, measures=None, parties=None):
    """The POST of a report's page: `rows` maps a measure's or party's pk to its fields (else not started)."""
    rows = rows or {}
    measures = list(services.measures_to_report(report)) if measures is None else measures
    parties = list(services.parties_to_report(report)) if parties is None else parties
    data = {}
    for prefix, items in (("m", measures), ("a", parties)):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(items))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(items))
        for i, item in enumerate(items):
            fields = {"status": "not_started", "share_done": "", "spent": "", "effect_now": "", "text": ""}
            fields |= rows.get((prefix, item.pk), {})
            data[f"{prefix}-{i}-item"] = str(item.pk)
            data |= {f"{prefix}-{i}-{name}": value for name, value in fields.items()}
    return data
