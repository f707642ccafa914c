"""The programme's meetings of 2008–2009 besides the autumn gatherings: the start, the administrative
meetings, the coordination group of 4 and 16 December 2008 with its full minutes, the grand gathering
of March 2009 and the political meeting of 19 May 2009; the hosting recipe that December asked for; and
a network gathering a few weeks ahead, being prepared by its host city."""

import datetime

from actionplans.models import DeadlineExtension, Measure
from demo.clock import at, when
from demo.people import COORDINATORS, NETWORK_LEADERS
from meetings.models import (
    ActionItem,
    AgendaItem,
    ChecklistTemplateItem,
    Decision,
    Feedback,
    Invitation,
    Meeting,
    Minutes,
)
from meetings.services import create_meeting

Kind, Status = Meeting.Kind, Meeting.Status
D = datetime.date

# The recipe the coordination group asked for in December 2008: what a host city sees to.
RECIPE = [
    "Lag et program med god tid til diskusjon og erfaringsutveksling mellom byene – ikke for tett",
    "Bestill lokale med plenumssal og grupperom, universelt utformet",
    "Forbered vertsbyens presentasjoner av eget klimaarbeid",
    "Planlegg befaringer til tiltak i vertsbyen, med transport og guide",
    "Inviter fylkeskommunen og fylkesmannen",
    "Bestill servering: lunsj, kaffe og felles middag",
    "Send reiseinformasjon: hotell, transport fra flyplass og stasjon, kart",
    "Send invitasjon med påmeldingsfrist minst fire uker før",
    "Avklar møteleder, referent og hvem som innleder hvert punkt",
    "Legg presentasjonene ut i portalen etter samlingen",
]

# The coordination group: network leaders, coordinators, KS and the programme management in MD.
COORDINATION_GROUP = [*NETWORK_LEADERS, *COORDINATORS.values(), "ks", "departementet"]
ADMINISTRATIVE = [*COORDINATION_GROUP, "konsulent"]  # and every city's main contact
POLITICAL = [*COORDINATION_GROUP, "politisk-ledelse"]  # and every city's main contact

# (kind, title, first day, last day, host city, venue, status, invited, with the cities, description)
HISTORIC_MEETINGS = [
    (
        Kind.POLITICAL,
        "Politisk startmøte",
        D(2008, 6, 17),
        None,
        "oslo",
        "Oslo",
        Status.HELD,
        POLITICAL,
        True,
        "Startmøtet for Framtidens byer. Staten og de 13 byene undertegnet en intensjonsavtale om samarbeidet.",
    ),
    (
        Kind.ADMINISTRATIVE,
        "Første administrative samling",
        D(2008, 8, 21),
        D(2008, 8, 22),
        "oslo",
        "Oslo",
        Status.HELD,
        COORDINATION_GROUP,
        True,
        "Oppstart av det administrative samarbeidet, med verksteder i de fire temaområdene.",
    ),
    (
        Kind.ADMINISTRATIVE,
        "Administrativt møte",
        D(2008, 9, 24),
        None,
        None,
        "Miljøverndepartementet",
        Status.HELD,
        COORDINATION_GROUP,
        True,
        "Byenes hovedkontakter, koordinatorer og nettverksledere. Handlingsprogrammene: form og innhold.",
    ),
    (
        Kind.COORDINATION_GROUP,
        "Koordineringsgruppen",
        D(2008, 10, 16),
        None,
        None,
        "Miljøverndepartementet",
        Status.HELD,
        COORDINATION_GROUP,
        False,
        "Planlegging av nettverkssamlingene i byene høsten 2008.",
    ),
    (
        Kind.COORDINATION_GROUP,
        "Koordineringsgruppen",
        D(2008, 12, 4),
        None,
        None,
        "Miljøverndepartementet",
        Status.BROKEN_OFF,
        COORDINATION_GROUP,
        False,
        "Nettverksledere, koordinatorer, KS og programledelsen i Miljøverndepartementet. "
        "Møtet ble avbrutt og fortsatt 16.12.2008.",
    ),
    (
        Kind.COORDINATION_GROUP,
        "Koordineringsgruppen (fortsettelse)",
        D(2008, 12, 16),
        None,
        None,
        "Miljøverndepartementet",
        Status.HELD,
        COORDINATION_GROUP,
        False,
        "Nettverksledere, koordinatorer, KS og programledelsen i Miljøverndepartementet. "
        "Fortsettelse av møtet 04.12.2008.",
    ),
    (
        Kind.ADMINISTRATIVE,
        "Administrativt møte",
        D(2009, 1, 22),
        None,
        None,
        "Miljøverndepartementet",
        Status.HELD,
        ADMINISTRATIVE,
        True,
        "Byenes hovedkontakter, nettverksledere, koordinatorer, KS og programledelsen. "
        "Handlingsprogrammene er kommet inn; gjennomgangen og veien mot avtaler.",
    ),
    (
        Kind.GRAND_GATHERING,
        "Nettverkssamling / storsamling",
        D(2009, 3, 9),
        D(2009, 3, 10),
        None,
        "Oslo-området",
        Status.HELD,
        ADMINISTRATIVE,
        True,
        "Plenumskonferanse og parallelle sesjoner i temanettverkene. Programmet gir mer tid til diskusjon "
        "og erfaringsutveksling enn samlingene i høst.",
    ),
    (
        Kind.POLITICAL,
        "Politisk møte og bykonferanse",
        D(2009, 5, 19),
        None,
        None,
        "Oslo",
        Status.HELD,
        POLITICAL,
        True,
        "To avtaler ble undertegnet: samarbeidsavtalen mellom staten, KS og kommunene, og en intensjonsavtale "
        "mellom staten, KS og næringslivet.",
    ),
]

# The minutes of 04.12.2008 (broken off) and of 16.12.2008 (continued): the note's points in our words.
MINUTES_04_12_2008 = """Møtet ble avbrutt før alle sakene var behandlet, og fortsetter 16.12.2008.

Nettverkssamlingene: gjennomgangen av tilbakemeldingene ble påbegynt og fortsetter i neste møte.

Innspurten på handlingsprogrammene: koordinatorene holder tett kontakt med byene de siste ukene før fristen, og gir støtte og hjelp der byene ber om det."""

MINUTES_16_12_2008 = """1. Nettverkssamlingene høsten 2008 – oppsummering
Koordineringsgruppen har et godt inntrykk av samlingene, og tilbakemeldingene fra byene og de andre deltakerne sier det samme: samlingene var nyttige, og deltakerne lærte mye.
- Å legge samlingene til byene fungerte godt. Gjennom vertsbyens presentasjoner og befaringer fikk deltakerne grundig kjennskap til byen.
- Vertsbyene planla og gjennomførte samlingene godt. Erfaringene samles i en «oppskrift» for senere samlinger, slik at neste vertsby slipper å begynne på nytt.
- Det var nyttig å invitere fylkeskommunen og de regionale myndighetene i fylket. Å få fylkesnivået til å delta aktivt er likevel fortsatt en utfordring.
- Programmene var jevnt over for tette. Flere ba om mer tid til diskusjon og erfaringsutveksling mellom byene på senere samlinger.
- De statlige aktørene fortalte hva de kan bidra med og inviterte til samarbeid, men en del byer mente at staten ikke var tydelig og konkret nok. Å gjøre statens bidrag konkret blir en hovedoppgave når handlingsprogrammene følges opp og avtalene avklares.
- Noen byer la fram handlingsprogrammet sitt slik det står nå. Programmene varierer, men i tråd med drøftingene med hovedkontaktene i september kreves det ingen felles mal. Miljøverndepartementet ga rammer og forventninger til programmene på tre av samlingene, og koordinatorene følger opp byene etter behov.

2. Handlingsprogrammene – fristen og gjennomgangen
- Koordinatorene holder kontakt med byene i innspurten (jf. møtet 04.12.2008). Det de har hørt fra byene tyder på at noen byer ikke rekker det administrative utkastet innen årsskiftet.
- Fristen for å sende handlingsprogrammene til Miljøverndepartementet flyttes derfor fra årsskiftet til 15.01.2009. Byer som har et utkast klart ved årsskiftet, oppfordres sterkt til å sende det da, slik at koordinatorene kan begynne gjennomgangen på sine temaområder mens de andre blir ferdige.
- Gjennomgangen skal først og fremst finne temaer og tiltak som kan bli avtaler eller samarbeid mellom byene, regionen og staten. Kommuner med likeartede tiltak kan grupperes innenfor nettverket.
- Programmene gjennomgås også på tvers av temaområdene, for å sikre koblingene mellom dem og gi et helhetlig bilde av innsatsen. Det gjøres av koordinatorene sammen med en innleid konsulent. Så langt det lar seg gjøre, skal den samlede klimaeffekten av tiltakene vurderes og oppsummeres.

3. Avtaler mellom staten og byene
Å avklare og forberede samarbeidsavtaler blir en hovedoppgave i vår. Fem typer avtaler og samarbeid er aktuelle:
- langsiktige økonomiske avtaler (for eksempel belønningsordningen for kollektivtransport og en rammeavtale med Enova);
- pilotprosjekter (for eksempel områdeutvikling etter mønster av en by- og boligutstilling, med faglig bistand);
- kompetanseoppbygging (for eksempel kurs om passivhus og om offentlige innkjøp);
- felles utredninger (for eksempel om avfallsforebygging og klimatilpasning);
- felles datagrunnlag og verktøy (for eksempel bedre utslippsstatistikk og en modell for klimaregnskap).

4. Møter og samlinger første halvår 2009
- Administrativt møte 22.01.2009: byenes hovedkontakter, nettverksledere, koordinatorer, KS og programledelsen.
- Nettverkssamling / storsamling 09.–10.03.2009 i Oslo-området, med plenum og parallelle sesjoner.
- Politisk møte og bykonferanse 19.05.2009."""

DECISIONS_16_12_2008 = [
    (
        "Fristen for å sende handlingsprogrammene til Miljøverndepartementet flyttes fra årsskiftet til "
        "15.01.2009. Byer som har et utkast klart ved årsskiftet, oppfordres sterkt til å sende det da.",
        True,
    ),
    ("Det kreves ingen felles mal for handlingsprogrammene.", False),
    ("Erfaringene fra høstens samlinger samles i en oppskrift for vertsbyer.", False),
    (
        "Kommende nettverkssamlinger får mindre tette programmer og mer tid til diskusjon og erfaringsutveksling.",
        False,
    ),
    (
        "Koordinatorene begynner gjennomgangen på programmene som kommer ved årsskiftet. Gjennomgangen skal finne "
        "temaer og tiltak for avtaler, og gruppere kommuner med likeartede tiltak.",
        False,
    ),
    (
        "Programmene gjennomgås også på tvers av temaområdene, av koordinatorene og en innleid konsulent, og den "
        "samlede klimaeffekten vurderes så langt det er mulig.",
        False,
    ),
    (
        "Å avklare og forberede avtaler blir hovedoppgaven i vår, og statens bidrag gjøres konkret per temaområde.",
        False,
    ),
    ("Møteplanen for 2009 vedtas: 22.01., 09.–10.03. og 19.05.2009.", False),
]

THEME_NAMES = {
    "atp": "areal og transport",
    "energy": "energi i bygg",
    "consumption": "forbruk og avfall",
    "adaptation": "klimatilpasning",
}
# The network leader who makes the state's contribution concrete in each theme (SD, OED, MD, MD).
THEME_LEADERS = {
    "atp": "nettverksleder-atp",
    "energy": "nettverksleder-energi",
    "consumption": "nettverksleder-avfall",
    "adaptation": "nettverksleder-klima",
}

# (what, owner, due date); all done by now.
ACTION_ITEMS_16_12_2008 = [
    (
        "Lage en oppskrift for vertsbyer ut fra erfaringene fra høstens samlinger.",
        "nettverksleder-avfall",
        D(2009, 2, 13),
    ),
    (
        "Leie inn en konsulent til gjennomgangen av programmene på tvers av temaområdene.",
        "departementet",
        D(2009, 1, 9),
    ),
    ("Sende møteplanen for 2009 til byenes hovedkontakter.", "departementet", D(2009, 1, 9)),
    (
        "Samle tilbakemeldingene fra høstens samlinger til programmet for storsamlingen i mars.",
        "koordinator-atp",
        D(2009, 1, 22),
    ),
    *[
        (
            f"Starte gjennomgangen av programmene som kommer inn ved årsskiftet ({name}).",
            COORDINATORS[theme],
            D(2009, 1, 9),
        )
        for theme, name in THEME_NAMES.items()
    ],
    *[
        (f"Gjøre statens bidrag konkret: hva staten kan tilby byene innen {name}.", THEME_LEADERS[theme], D(2009, 3, 6))
        for theme, name in THEME_NAMES.items()
    ],
]

MINUTES_22_01_2009 = """Handlingsprogrammene: tolv byer har sendt inn, tre av dem ved årsskiftet. Tromsø har fått utsatt fristen til 23.01.2009 fordi bystyret behandler programmet 22.01.

Gjennomgangen: koordinatorene er i gang på sine temaområder. Konsulenten for gjennomgangen på tvers er leid inn og begynner i februar. Byene får kommentarene i portalen og svarer der.

Avtaler: nettverkslederne arbeider med hva staten konkret kan tilby i hvert tema. Forslag til avtaler legges fram på storsamlingen i mars.

Storsamlingen 09.–10.03.2009: programmet får mer tid til diskusjon mellom byene, etter tilbakemeldingene fra høsten."""

MINUTES_19_05_2009 = """Statsråden, ordførerne i de 13 byene, KS og næringslivets organisasjoner møttes til politisk møte og bykonferanse.

Samarbeidsavtalen mellom staten, KS og kommunene i Framtidens byer ble undertegnet. Avtalen fastsetter at byene gjennomfører handlingsprogrammene sine, og at staten bidrar innen de fire temaområdene.

Intensjonsavtalen mellom staten, KS og næringslivet (NHO, Finansnæringens Fellesorganisasjon og HSH) ble undertegnet.

Bykonferansen: byene la fram hovedgrepene i handlingsprogrammene. Den samlede klimaeffekten av tiltakene ble presentert fra gjennomgangen på tvers."""

DECISIONS_19_05_2009 = [
    "Samarbeidsavtalen mellom staten, KS og kommunene i Framtidens byer undertegnes.",
    "Intensjonsavtalen mellom staten, KS og næringslivet undertegnes.",
]


def seed(demo):
    for order, text in enumerate(RECIPE, start=1):
        ChecklistTemplateItem.objects.get_or_create(text=text, defaults={"order": order})
    held = {}
    for kind, title, first, last, city, venue, status, invited, with_cities, text in HISTORIC_MEETINGS:
        meeting, created = _meeting(
            demo,
            kind=kind,
            title=title,
            starts_at=when(first, 10),
            ends_at=when(last or first, 16 if last else 15),
            host_city=demo.cities[city] if city else None,
            venue=venue,
            status=status,
            description=text,
        )
        if created:
            people = [demo.users[u] for u in invited]
            if with_cities:
                people += [u for name, u in demo.users.items() if name.startswith("kontakt-")]
            _invite(meeting, people)
        held[first] = meeting
    broken_off, continued = held[D(2008, 12, 4)], held[D(2008, 12, 16)]
    if continued.continues is None:
        continued.continues = broken_off
        continued.save(update_fields=["continues"])
    if Minutes.objects.filter(meeting=continued).exists():
        return
    _minutes(broken_off, MINUTES_04_12_2008, demo, approved=D(2008, 12, 8))
    december = _minutes(continued, MINUTES_16_12_2008, demo, approved=D(2008, 12, 18))
    extension = DeadlineExtension.objects.get(deadline__round__slug="handlingsprogram-2009", new_date=D(2009, 1, 15))
    _decisions(december, [(text, extension if linked else None) for text, linked in DECISIONS_16_12_2008])
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                minutes=december, text=text, owner=demo.users[owner], due_date=due, status=ActionItem.Status.DONE
            )
            for text, owner, due in ACTION_ITEMS_16_12_2008
        ]
    )
    _minutes(held[D(2009, 1, 22)], MINUTES_22_01_2009, demo, approved=D(2009, 1, 28))
    political = _minutes(held[D(2009, 5, 19)], MINUTES_19_05_2009, demo, approved=D(2009, 5, 26))
    _decisions(political, [(text, None) for text in DECISIONS_19_05_2009])
    grand_gathering(held[D(2009, 3, 9)], demo)


def grand_gathering(meeting, demo):
    """The grand gathering of March 2009: a looser programme, as the cities asked in the autumn."""
    day1, day2 = D(2009, 3, 9), D(2009, 3, 10)
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting,
                kind=kind,
                title=title,
                presenter=presenter,
                starts_at=when(day, start),
                ends_at=when(day, end),
            )
            for kind, title, presenter, day, start, end in [
                (AgendaItem.Kind.PLENARY, "Byenes handlingsprogrammer: hovedgrepene", "", day1, 10, 12),
                (
                    AgendaItem.Kind.PRESENTATION,
                    "Gjennomgangen på tvers: koblinger og samlet klimaeffekt",
                    "Konsulenten for gjennomgangen",
                    day1,
                    12,
                    13,
                ),
                (AgendaItem.Kind.PARALLEL, "Parallelle sesjoner i de fire temanettverkene", "", day1, 14, 16),
                (
                    AgendaItem.Kind.PRESENTATION,
                    "Hva staten kan tilby: avtaleforslag per tema",
                    "Nettverkslederne",
                    day2,
                    9,
                    10,
                ),
                (AgendaItem.Kind.DISCUSSION, "Erfaringsutveksling mellom byene", "", day2, 10, 12),
                (AgendaItem.Kind.DISCUSSION, "Avtalene: hvem går sammen om hva?", "", day2, 13, 15),
            ]
        ]
    )
    answers = [
        ("kontakt-oslo", 4, Feedback.Pace.RIGHT, Feedback.Enough.YES, "Mer luft i programmet enn i høst."),
        ("kontakt-bergen", 4, Feedback.Pace.RIGHT, Feedback.Enough.PARTLY, "God tid til å snakke med de andre byene."),
        (
            "kontakt-trondheim",
            5,
            Feedback.Pace.RIGHT,
            Feedback.Enough.YES,
            "Avtaleforslagene gjorde statens rolle tydeligere.",
        ),
        ("kontakt-drammen", 4, Feedback.Pace.RIGHT, Feedback.Enough.YES, ""),
        ("kontakt-kristiansand", 4, Feedback.Pace.TOO_TIGHT, Feedback.Enough.PARTLY, "Fortsatt litt tett første dag."),
        (
            "kontakt-tromso",
            3,
            Feedback.Pace.RIGHT,
            Feedback.Enough.PARTLY,
            "Vi savner fortsatt beløp og frister fra staten.",
        ),
        ("kontakt-fredrikstad", 4, Feedback.Pace.RIGHT, Feedback.Enough.YES, ""),
        (
            "kontakt-stavanger",
            4,
            Feedback.Pace.RIGHT,
            Feedback.Enough.YES,
            "Nyttig å møte de andre byene i temasesjonene.",
        ),
        ("koordinator-energi", 4, Feedback.Pace.RIGHT, Feedback.Enough.YES, ""),
    ]
    Feedback.objects.bulk_create(
        [
            Feedback(
                meeting=meeting,
                user=demo.users[name],
                rating=rating,
                pace=pace,
                enough_discussion=enough,
                comment=comment,
                created_at=when(day2, 18),
            )
            for name, rating, pace, enough, comment in answers
        ]
    )
    Meeting.objects.filter(pk=meeting.pk).update(survey_sent_at=when(day2, 16))
    meeting.invitations.update(survey_sent_at=when(day2, 16))


def upcoming_gathering(demo):
    """A network gathering in Bergen a few weeks ahead, being prepared by the host city."""
    bergen = demo.cities["bergen"]
    title = "Nettverkssamling i Bergen: areal og transport"
    if Meeting.objects.filter(kind=Kind.NETWORK_GATHERING, host_city=bergen, title=title).exists():
        return
    first = demo.today + datetime.timedelta(days=21)
    if (first.month, first.day) >= (12, 15) or (first.month, first.day) <= (1, 10):
        # Not in the weeks of Christmas and New Year: after them.
        first = datetime.date(first.year + (first.month == 12), 1, 11)
    first += datetime.timedelta(days=(1 - first.weekday()) % 7)  # a Tuesday
    second = first + datetime.timedelta(days=1)
    invited_at = when(demo.today - datetime.timedelta(days=14), 9)
    with at(invited_at):
        meeting = create_meeting(
            by=demo.users["departementet"],
            theme_areas=[demo.themes["atp"]],
            kind=Kind.NETWORK_GATHERING,
            title=title,
            description="Samling i nettverket for areal og transport. Vertsby: Bergen. "
            "Programmet gir god tid til diskusjon og erfaringsutveksling mellom byene.",
            host_city=bergen,
            venue="Bergen rådhus",
            starts_at=when(first, 10),
            ends_at=when(second, 15),
            registration_deadline=first - datetime.timedelta(days=7),
        )
    light_rail = (
        Measure.objects.filter(programme__city=bergen, title__startswith="Bybanen")
        .order_by("-programme__round__deadline__due_date")
        .first()
    )
    agenda = [
        (AgendaItem.Kind.PLENARY, "Velkommen og runde rundt bordet", (first, 10), (first, 10, 30), "", ""),
        (
            AgendaItem.Kind.PRESENTATION,
            "Klimaarbeidet i Bergen: areal og transport",
            (first, 10, 30),
            (first, 11, 30),
            "Bergen kommune",
            "",
        ),
        (AgendaItem.Kind.BREAK, "Lunsj", (first, 11, 30), (first, 12, 15), "", ""),
        (
            AgendaItem.Kind.SITE_VISIT,
            f"Befaring: {light_rail.title}" if light_rail else "Befaring: Bybanen",
            (first, 12, 15),
            (first, 15),
            "Bergen kommune",
            "Bybanen, fra sentrum",
        ),
        (
            AgendaItem.Kind.DISCUSSION,
            "Diskusjon: kollektivtransport og parkeringspolitikk i byene",
            (first, 15, 15),
            (first, 17),
            "",
            "",
        ),
        (
            AgendaItem.Kind.DISCUSSION,
            "Erfaringsutveksling: hva har byene lært siden sist?",
            (second, 9),
            (second, 12),
            "",
            "",
        ),
        (AgendaItem.Kind.PLENARY, "Oppsummering og veien videre", (second, 13), (second, 15), "", ""),
    ]
    for kind, item_title, starts, ends, presenter, place in agenda:
        item = AgendaItem.objects.create(
            meeting=meeting,
            kind=kind,
            title=item_title,
            starts_at=when(*starts),
            ends_at=when(*ends),
            presenter=presenter,
            place=place,
            city=bergen if presenter else None,
        )
        if kind == AgendaItem.Kind.SITE_VISIT and light_rail:
            item.measures.add(light_rail)
    attending = {"kontakt-oslo", "kontakt-bergen", "kontakt-trondheim", "koordinator-atp", "nettverksleder-atp"}
    answered_at = when(demo.today - datetime.timedelta(days=10), 11)
    Invitation.objects.bulk_create(
        [
            Invitation(
                meeting=meeting,
                user=user,
                invited_at=invited_at,
                response=Invitation.Response.ATTENDING if username in attending else Invitation.Response.PENDING,
                responded_at=answered_at if username in attending else None,
            )
            for username, user in demo.users.items()
        ]
    )
    # The host city has started on the recipe.
    done_at = when(demo.today - datetime.timedelta(days=7), 14)
    meeting.checklist.filter(pk__in=list(meeting.checklist.values_list("pk", flat=True)[:4])).update(
        done_at=done_at, done_by=demo.users["kontakt-bergen"]
    )


def _meeting(demo, *, title, starts_at, **fields):
    """The meeting with this title and start, made if it is not there (on the day it was planned, three
    weeks before); (meeting, created)."""
    meeting = Meeting.objects.filter(title=title, starts_at=starts_at).first()
    if meeting is not None:
        return meeting, False
    with at(starts_at - datetime.timedelta(days=35)):
        meeting = create_meeting(
            by=demo.users["departementet"], title=title, starts_at=starts_at, theme_areas=demo.themes.values(), **fields
        )
    return meeting, True


def _invite(meeting, users):
    Invitation.objects.bulk_create(
        [
            Invitation(
                meeting=meeting,
                user=user,
                invited_at=meeting.starts_at - datetime.timedelta(days=28),
                response=Invitation.Response.ATTENDING,
                responded_at=meeting.starts_at - datetime.timedelta(days=14),
                attended=True,
            )
            for user in users
        ]
    )


def _minutes(meeting, text, demo, *, approved):
    """Published minutes, approved by the programme management on `approved` and published the next day."""
    return Minutes.objects.create(
        meeting=meeting,
        main_points=text,
        status=Minutes.Status.PUBLISHED,
        approved_by=demo.users["departementet"],
        approved_at=when(approved, 12),
        published_at=when(approved + datetime.timedelta(days=1), 9),
    )


def _decisions(minutes, decisions):
    Decision.objects.bulk_create(
        [
            Decision(minutes=minutes, order=order, text=text, deadline_extension=link)
            for order, (text, link) in enumerate(decisions, start=1)
        ]
    )
