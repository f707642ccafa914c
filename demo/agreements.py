"""The agreements: the two signed on 19.05.2009, and one of each kind named in
the note of December 2008, at different stages, linked to demo measures."""

import datetime

from actionplans.models import Measure
from agreements import services
from agreements.models import Agreement
from meetings.models import Decision

Status = Agreement.Status
# The pipeline's order, to walk an agreement to its stage with a history row per step.
PIPELINE = [Status.IN_PREPARATION, Status.NEGOTIATING, Status.SIGNED, Status.ACTIVE, Status.COMPLETED]

# (title, kind, status, signed, value NOK, theme codes, city slugs, organisations, measure titles, description)
AGREEMENTS = [
    (
        "Samarbeidsavtale mellom staten, KS og kommunene i Framtidens byer",
        "long_term_economic",
        Status.COMPLETED,
        datetime.date(2009, 5, 19),
        None,
        ["atp", "energy", "consumption", "adaptation"],
        "all",
        ["MD", "SD", "KRD", "OED", "KS"],
        [],
        "Avtalen om samarbeid i programmet, signert på det politiske møtet 19.05.2009.",
    ),
    (
        "Intensjonsavtale mellom staten, KS og næringslivet",
        "competence_building",
        Status.COMPLETED,
        datetime.date(2009, 5, 19),
        None,
        ["energy", "consumption"],
        [],
        ["MD", "KS", "NHO", "FNO", "HSH"],
        [],
        "Intensjonsavtale om samarbeid med næringslivets organisasjoner, signert 19.05.2009.",
    ),
    (
        "Belønningsordningen for bedre kollektivtransport",
        "long_term_economic",
        Status.NEGOTIATING,
        None,
        300_000_000,
        ["atp"],
        ["oslo", "bergen"],
        ["SD"],
        ["Flere avganger på trikk og T-bane", "Bybanen, andre byggetrinn"],
        "Langsiktig avtale om statlige midler til kollektivtransport mot restriktive tiltak for bil.",
    ),
    (
        "Rammeavtale med Enova om energi i bygg",
        "long_term_economic",
        Status.IN_PREPARATION,
        None,
        50_000_000,
        ["energy"],
        ["oslo", "trondheim"],
        ["Enova"],
        ["Utvidet fjernvarmenett", "Energioppfølging i kommunale bygg"],
        "",
    ),
    (
        "Pilot: områdeutvikling etter mønster av en bo- og byutstilling",
        "pilot_project",
        Status.IDENTIFIED,
        None,
        None,
        ["atp"],
        ["trondheim"],
        ["KRD", "Husbanken"],
        [],
        "Byutvikling med faglig bistand, etter mønster av en bo- og byutstilling.",
    ),
    (
        "Kurs i passivhus for kommunale byggherrer",
        "competence_building",
        Status.ACTIVE,
        datetime.date(2027, 1, 5),
        2_000_000,
        ["energy"],
        ["bergen"],
        ["Husbanken", "KS"],
        ["Nye kommunale bygg som passivhus"],
        "",
    ),
    (
        "Felles utredning om avfallsforebygging",
        "joint_study",
        Status.SIGNED,
        datetime.date(2026, 11, 2),
        1_500_000,
        ["consumption"],
        ["oslo"],
        ["MD"],
        ["Kildesortering av matavfall"],
        "",
    ),
    (
        "Bedre utslippsstatistikk og en klimaregnskapsmodell for kommunene",
        "shared_data",
        Status.IDENTIFIED,
        None,
        None,
        ["atp", "energy", "consumption"],
        "all",
        ["MD"],
        [],
        "Felles data og verktøy: bedre utslippsstatistikk per kommune og en modell for klimaregnskap.",
    ),
]


def agreements(cities, themes, orgs, users):
    manager = users["departementet"]
    for title, kind, status, signed, value, theme_codes, city_slugs, org_names, measure_titles, text in AGREEMENTS:
        if Agreement.objects.filter(title=title).exists():
            continue
        agreement = Agreement.objects.create(
            title=title, kind=kind, description=text, value=value, signed_date=signed, created_by=manager
        )
        agreement.theme_areas.set([themes[code] for code in theme_codes])
        parties = list(cities.values()) if city_slugs == "all" else [cities[slug] for slug in city_slugs]
        services.set_parties(agreement, cities=parties, organisations=[orgs[name] for name in org_names])
        agreement.measures.set(Measure.objects.filter(title__in=measure_titles))
        agreement.status_changes.create(from_status="", to_status=Status.IDENTIFIED, changed_by=manager)
        for step in PIPELINE[: PIPELINE.index(status) + 1] if status in PIPELINE else []:
            services.change_status(agreement, to_status=step, comment="", by=manager)
        if signed and signed.year == 2009:
            # The meeting plan of 16.12.2008 set the political meeting where they were signed.
            agreement.decisions.set(Decision.objects.filter(text__startswith="Møteplanen for 2009"))
