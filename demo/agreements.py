"""The agreements: the letter of intent of 17.06.2008 and the two signed on 19.05.2009 (kind
"framework agreement or letter of intent": they are between all the parties, not about particular
measures), one or more of each of the five kinds the coordination group named in December 2008,
grown from the 2009 reviews' candidates, and the first ones of the current round.

Each agreement's history is replayed step by step on the day it happened (demo.clock), so its
timeline, its signed date and its creation are dated then, never when the demo was loaded."""

import datetime

from actionplans.models import AgreementKind, Measure, Round
from agreements import services
from agreements.models import Agreement, AgreementStatusChange
from demo.clock import at, when, working_day_before
from demo.meetings import DECISIONS_19_05_2009
from meetings.models import Decision

Status = Agreement.Status
Kind = AgreementKind
D = datetime.date
ALL = "all"
ROUND_2009 = "handlingsprogram-2009"

# title: (kind, value NOK, theme codes, cities, organisations, the candidates it grew from as
# (candidate kind, theme code), description, period, [(day, status, comment)]: the first step is the
# day it was identified, a signed step records the signed date).
AGREEMENTS = {
    "Intensjonsavtale mellom staten og byene om Framtidens byer": (
        Kind.FRAMEWORK,
        None,
        ["atp", "energy", "consumption", "adaptation"],
        ALL,
        ["MD", "SD", "KRD", "OED"],
        None,
        "Staten og de 13 byene går sammen om å redusere klimagassutslippene og gjøre byene bedre å leve i. "
        "Byene lager handlingsprogrammer; staten bidrar innen de fire temaområdene.",
        (D(2008, 6, 17), D(2009, 5, 19)),
        [
            (D(2008, 5, 20), Status.IDENTIFIED, ""),
            (D(2008, 6, 17), Status.SIGNED, "Undertegnet på det politiske startmøtet."),
            (D(2009, 5, 19), Status.COMPLETED, "Avløst av samarbeidsavtalen av 19.05.2009."),
        ],
    ),
    "Samarbeidsavtale mellom staten, KS og kommunene i Framtidens byer": (
        Kind.FRAMEWORK,
        None,
        ["atp", "energy", "consumption", "adaptation"],
        ALL,
        ["MD", "SD", "KRD", "OED", "KS"],
        None,
        "Avtalen om samarbeidet i programmet ut 2014: byene gjennomfører handlingsprogrammene, staten og KS "
        "bidrar med virkemidler, kompetanse og samarbeid innen de fire temaområdene.",
        (D(2009, 5, 19), D(2014, 12, 31)),
        [
            (D(2008, 12, 16), Status.IDENTIFIED, "Koordineringsgruppen: avtalene avklares og forberedes i vår."),
            (D(2009, 1, 22), Status.IN_PREPARATION, "Utkast drøftet på det administrative møtet."),
            (D(2009, 3, 10), Status.NEGOTIATING, "Lagt fram for byene på storsamlingen."),
            (D(2009, 5, 19), Status.SIGNED, "Undertegnet på det politiske møtet og bykonferansen."),
            (D(2009, 5, 20), Status.ACTIVE, ""),
            (D(2014, 10, 21), Status.COMPLETED, "Programmet avsluttet på sluttkonferansen i Oslo."),
        ],
    ),
    "Intensjonsavtale mellom staten, KS og næringslivet": (
        Kind.FRAMEWORK,
        None,
        ["energy", "consumption"],
        [],
        ["MD", "KS", "NHO", "FNO", "HSH"],
        None,
        "Intensjonsavtale om samarbeid mellom staten, KS og næringslivets organisasjoner om klimavennlige byer.",
        (D(2009, 5, 19), D(2014, 12, 31)),
        [
            (D(2009, 1, 22), Status.IDENTIFIED, ""),
            (D(2009, 3, 10), Status.NEGOTIATING, ""),
            (D(2009, 5, 19), Status.SIGNED, "Undertegnet på det politiske møtet og bykonferansen."),
            (D(2014, 10, 21), Status.COMPLETED, ""),
        ],
    ),
    "Belønningsordningen for bedre kollektivtransport og mindre bilbruk": (
        Kind.LONG_TERM_ECONOMIC,
        320_000_000,
        ["atp"],
        ["oslo", "bergen", "trondheim", "kristiansand"],
        ["SD"],
        (Kind.LONG_TERM_ECONOMIC, "atp"),
        "Fireårige avtaler om statlige midler til kollektivtransport, mot tiltak som begrenser biltrafikken.",
        (D(2010, 1, 1), D(2013, 12, 31)),
        [
            (D(2009, 2, 4), Status.IDENTIFIED, "Kandidater fra gjennomgangen av areal og transport."),
            (D(2009, 3, 10), Status.IN_PREPARATION, ""),
            (D(2009, 9, 15), Status.NEGOTIATING, "Forhandlinger med Samferdselsdepartementet."),
            (D(2009, 12, 10), Status.SIGNED, ""),
            (D(2010, 1, 4), Status.ACTIVE, ""),
            (D(2014, 2, 3), Status.COMPLETED, "Avtaleperioden er over; nye avtaler forhandles i bypakkene."),
        ],
    ),
    "Rammeavtale med Enova om energi i bygg": (
        Kind.LONG_TERM_ECONOMIC,
        60_000_000,
        ["energy"],
        ["oslo", "trondheim", "drammen"],
        ["Enova", "OED"],
        (Kind.LONG_TERM_ECONOMIC, "energy"),
        "Rammeavtale om støtte til fjernvarme og energieffektivisering i kommunale bygg.",
        (D(2009, 11, 1), D(2012, 12, 31)),
        [
            (D(2009, 2, 6), Status.IDENTIFIED, "Kandidater fra gjennomgangen av energi i bygg."),
            (D(2009, 4, 2), Status.NEGOTIATING, ""),
            (D(2009, 10, 20), Status.SIGNED, ""),
            (D(2009, 11, 2), Status.ACTIVE, ""),
            (D(2013, 1, 15), Status.COMPLETED, ""),
        ],
    ),
    "Pilot: områdeutvikling etter mønster av en by- og boligutstilling": (
        Kind.PILOT_PROJECT,
        12_000_000,
        ["atp", "energy"],
        ["trondheim", "drammen"],
        ["KRD", "Husbanken"],
        (Kind.PILOT_PROJECT, "atp"),
        "Byutvikling i et avgrenset område med faglig bistand fra Husbanken, etter mønster av en by- og "
        "boligutstilling.",
        (D(2010, 3, 1), D(2013, 12, 31)),
        [
            (D(2009, 2, 10), Status.IDENTIFIED, ""),
            (D(2009, 6, 3), Status.IN_PREPARATION, ""),
            (D(2010, 2, 18), Status.SIGNED, ""),
            (D(2010, 3, 1), Status.ACTIVE, ""),
            (D(2014, 1, 20), Status.COMPLETED, ""),
        ],
    ),
    "Kurs i passivhus for kommunale byggherrer": (
        Kind.COMPETENCE_BUILDING,
        2_000_000,
        ["energy"],
        ["bergen", "stavanger", "sandnes"],
        ["Husbanken", "Enova", "KS"],
        (Kind.COMPETENCE_BUILDING, "energy"),
        "Kursrekke for byggherrer og prosjektledere i kommunene.",
        (D(2009, 9, 1), D(2010, 6, 30)),
        [
            (D(2009, 2, 6), Status.IDENTIFIED, ""),
            (D(2009, 4, 20), Status.IN_PREPARATION, ""),
            (D(2009, 8, 24), Status.SIGNED, ""),
            (D(2009, 9, 1), Status.ACTIVE, ""),
            (D(2010, 8, 16), Status.COMPLETED, "Fire kurs holdt, 160 deltakere."),
        ],
    ),
    "Kurs i miljøvennlige offentlige innkjøp": (
        Kind.COMPETENCE_BUILDING,
        800_000,
        ["consumption"],
        ["oslo", "baerum", "fredrikstad"],
        ["Difi", "KS"],
        (Kind.COMPETENCE_BUILDING, "consumption"),
        "Kurs og veiledning for innkjøpere i kommunene om klima- og miljøkrav i anskaffelser.",
        (D(2009, 10, 1), D(2010, 12, 31)),
        [
            (D(2009, 2, 12), Status.IDENTIFIED, ""),
            (D(2009, 9, 21), Status.SIGNED, ""),
            (D(2009, 10, 1), Status.ACTIVE, ""),
            (D(2011, 1, 17), Status.COMPLETED, ""),
        ],
    ),
    "Felles utredning om avfallsforebygging": (
        Kind.JOINT_STUDY,
        1_500_000,
        ["consumption"],
        ["oslo", "fredrikstad", "sarpsborg"],
        ["MD"],
        (Kind.JOINT_STUDY, "consumption"),
        "Hva byene kan gjøre for at mindre avfall oppstår, med forslag til felles tiltak.",
        (D(2010, 1, 1), D(2010, 12, 31)),
        [
            (D(2009, 2, 12), Status.IDENTIFIED, ""),
            (D(2009, 11, 5), Status.SIGNED, ""),
            (D(2010, 1, 4), Status.ACTIVE, ""),
            (D(2011, 3, 1), Status.COMPLETED, "Rapporten er levert."),
        ],
    ),
    "Felles utredning om klimatilpasning i byene": (
        Kind.JOINT_STUDY,
        2_500_000,
        ["adaptation"],
        ["bergen", "drammen", "tromso"],
        ["MD", "DSB", "NVE"],
        (Kind.JOINT_STUDY, "adaptation"),
        "Sårbarhet for overvann, flom, skred og havnivåstigning i byene, og hvordan det tas inn i planene.",
        (D(2009, 9, 1), D(2010, 12, 31)),
        [
            (D(2009, 2, 16), Status.IDENTIFIED, ""),
            (D(2009, 5, 4), Status.IN_PREPARATION, ""),
            (D(2009, 6, 22), Status.SIGNED, ""),
            (D(2009, 9, 1), Status.ACTIVE, ""),
            (D(2011, 2, 14), Status.COMPLETED, ""),
        ],
    ),
    "Bedre utslippsstatistikk og en klimaregnskapsmodell for kommunene": (
        Kind.SHARED_DATA,
        3_000_000,
        ["atp", "energy", "consumption"],
        ALL,
        ["MD"],
        (Kind.SHARED_DATA, None),
        "Felles data og verktøy: bedre utslippsstatistikk per kommune og en modell for klimaregnskap.",
        (D(2010, 1, 1), D(2012, 12, 31)),
        [
            (D(2009, 3, 10), Status.IDENTIFIED, "Kandidater fra gjennomgangen på tvers."),
            (D(2009, 6, 15), Status.IN_PREPARATION, ""),
            (D(2009, 12, 14), Status.SIGNED, ""),
            (D(2010, 1, 4), Status.ACTIVE, ""),
            (D(2013, 2, 1), Status.COMPLETED, ""),
        ],
    ),
    "Felles innkjøp av elbiler til kommunene": (
        Kind.PILOT_PROJECT,
        None,
        ["atp"],
        ["oslo", "baerum"],
        ["KS"],
        None,
        "Felles anbud på elbiler til kommunenes tjenestebiler.",
        (None, None),
        [
            (D(2009, 3, 10), Status.IDENTIFIED, ""),
            (D(2009, 9, 1), Status.DROPPED, "For få modeller på markedet; tas opp igjen senere."),
        ],
    ),
}


# The two agreements the political meeting of 19.05.2009 signed, and the decision in its minutes.
POLITICAL_MEETING = "Politisk møte og bykonferanse"
SIGNED_ON_19_05_2009 = dict(
    zip(
        [
            "Samarbeidsavtale mellom staten, KS og kommunene i Framtidens byer",
            "Intensjonsavtale mellom staten, KS og næringslivet",
        ],
        DECISIONS_19_05_2009,
        strict=True,
    )
)


def seed(demo):
    decisions = dict(
        Decision.objects.filter(
            minutes__meeting__title=POLITICAL_MEETING, text__in=SIGNED_ON_19_05_2009.values()
        ).values_list("text", "pk")
    )
    for title, (kind, value, theme_codes, city_slugs, org_names, grown_from, text, period, steps) in AGREEMENTS.items():
        if Agreement.objects.filter(title=title).exists():
            continue
        decision_pk = decisions.get(SIGNED_ON_19_05_2009.get(title))
        decision = Decision.objects.get(pk=decision_pk) if decision_pk else None
        _make(demo, title, kind, value, theme_codes, city_slugs, org_names, text, period, steps, decision=decision)
        if grown_from:
            agreement = Agreement.objects.get(title=title)
            candidate, theme = grown_from
            measures = Measure.objects.filter(programme__round__slug=ROUND_2009, candidate_kind=candidate)
            if theme:
                measures = measures.filter(theme_area__code=theme)
            if city_slugs != ALL:
                measures = measures.filter(programme__city__slug__in=city_slugs)
            agreement.measures.set(measures)


def _make(demo, title, kind, value, theme_codes, city_slugs, org_names, text, period, steps, *, decision=None):
    manager = demo.users["departementet"]
    (created_on, _identified, first_comment), *moves = steps
    with at(when(created_on, 14)):
        agreement = Agreement.objects.create(
            title=title,
            kind=kind,
            description=text,
            value=value,
            period_start=period[0],
            period_end=period[1],
            created_by=manager,
            responsible=manager,
        )
        agreement.theme_areas.set([demo.themes[code] for code in theme_codes])
        cities = list(demo.cities.values()) if city_slugs == ALL else [demo.cities[slug] for slug in city_slugs]
        services.set_parties(agreement, cities=cities, organisations=[demo.orgs[name] for name in org_names])
        AgreementStatusChange.objects.create(
            agreement=agreement, from_status="", to_status=Status.IDENTIFIED, changed_by=manager, comment=first_comment
        )
        if decision is not None:
            agreement.decisions.add(decision)
    for day, status, comment in moves:
        with at(when(day, 15)):
            services.change_status(
                agreement,
                to_status=status,
                comment=comment,
                by=manager,
                decision=decision if status == Status.SIGNED else None,
            )
    return agreement


# The current round's first agreements, from the candidates of the reviews under way.
CURRENT = {
    "Belønningsavtale for nullutslipp i kollektivtrafikken": (
        Kind.LONG_TERM_ECONOMIC,
        450_000_000,
        ["atp"],
        ["SD"],
        "Ny avtaleperiode: statlige midler til nullutslippsbusser og flere avganger, mot restriktive tiltak for bil.",
        [
            (42, Status.IDENTIFIED, "Kandidater fra gjennomgangen av areal og transport."),
            (20, Status.IN_PREPARATION, ""),
        ],
    ),
    "Kompetanseprogram for fossilfrie og utslippsfrie byggeplasser": (
        Kind.COMPETENCE_BUILDING,
        3_000_000,
        ["energy", "consumption"],
        ["Enova", "KS"],
        "Kurs og erfaringsdeling for byggherrer i kommunene om utslippsfrie bygge- og anleggsplasser.",
        [(30, Status.IDENTIFIED, "")],
    ),
    "Pilot: nye skoler som plusshus": (
        Kind.PILOT_PROJECT,
        25_000_000,
        ["energy"],
        ["Enova", "Husbanken"],
        "Støtte og faglig bistand til skoler som produserer mer energi enn de bruker.",
        [(38, Status.IDENTIFIED, ""), (27, Status.IN_PREPARATION, ""), (9, Status.NEGOTIATING, "Møte med Enova.")],
    ),
    "Felles utredning om overvann på overflaten": (
        Kind.JOINT_STUDY,
        1_200_000,
        ["adaptation"],
        ["NVE", "DSB"],
        "Hvordan byene håndterer overvann på overflaten, med felles veileder for planleggere.",
        [(33, Status.IDENTIFIED, ""), (6, Status.SIGNED, "Undertegnet av NVE, DSB og Trondheim kommune.")],
    ),
}


def seed_current(demo):
    """The agreements grown from the current round's candidates so far; dated days before the load."""
    round_ = Round.objects.current()
    for title, (kind, value, theme_codes, org_names, text, steps) in CURRENT.items():
        if Agreement.objects.filter(title=title).exists():
            continue
        measures = Measure.objects.filter(
            programme__round=round_, candidate_kind=kind, theme_area__code__in=theme_codes
        ).select_related("programme__city")
        if not measures:
            continue
        dated = [
            (working_day_before(demo.today - datetime.timedelta(days=days)), status, comment)
            for days, status, comment in steps
        ]
        cities = sorted({m.programme.city.slug for m in measures})
        agreement = _make(demo, title, kind, value, theme_codes, cities, org_names, text, (None, None), dated)
        agreement.measures.set(measures)
