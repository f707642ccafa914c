"""The hosting recipe, the programme's meetings of 2008–2009 and an upcoming gathering."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from actionplans.models import (
    DeadlineExtension,
    Measure,
)
from demo.people import USERS
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

OSLO = ZoneInfo("Europe/Oslo")


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

# Everyone in the network, and the smaller coordination group.
EVERYONE = [u[0] for u in USERS]
COORDINATION_GROUP = ["koordinator-atp", "koordinator-energi", "nettverksleder-avfall", "ks", "departementet"]

# The programme's meetings, 2008–2009: (kind, title, first day, last day, host city, venue, status, invited, description)
HISTORIC_MEETINGS = [
    (
        Meeting.Kind.ADMINISTRATIVE,
        "Første administrative samling",
        datetime.date(2008, 8, 21),
        datetime.date(2008, 8, 22),
        "oslo",
        "Oslo",
        Meeting.Status.HELD,
        EVERYONE,
        "Oppstart av det administrative samarbeidet, med verksteder i de fire temaområdene.",
    ),
    (
        Meeting.Kind.ADMINISTRATIVE,
        "Administrativt møte",
        datetime.date(2008, 9, 24),
        None,
        None,
        "Miljøverndepartementet",
        Meeting.Status.HELD,
        EVERYONE,
        "Hovedkontakter, koordinatorer og nettverksledere.",
    ),
    (
        Meeting.Kind.COORDINATION_GROUP,
        "Koordineringsgruppen",
        datetime.date(2008, 10, 16),
        None,
        None,
        "Miljøverndepartementet",
        Meeting.Status.HELD,
        COORDINATION_GROUP,
        "",
    ),
    (
        Meeting.Kind.COORDINATION_GROUP,
        "Koordineringsgruppen",
        datetime.date(2008, 12, 4),
        None,
        None,
        "Miljøverndepartementet",
        Meeting.Status.BROKEN_OFF,
        COORDINATION_GROUP,
        "Møtet ble avbrutt og fortsatt 16.12.2008.",
    ),
    (
        Meeting.Kind.COORDINATION_GROUP,
        "Koordineringsgruppen (fortsettelse)",
        datetime.date(2008, 12, 16),
        None,
        None,
        "Miljøverndepartementet",
        Meeting.Status.HELD,
        COORDINATION_GROUP,
        "Nettverksledere, koordinatorer, KS og programledelsen i Miljøverndepartementet. "
        "Fortsettelse av møtet 04.12.2008.",
    ),
    (
        Meeting.Kind.ADMINISTRATIVE,
        "Administrativt møte",
        datetime.date(2009, 1, 22),
        None,
        None,
        "Miljøverndepartementet",
        Meeting.Status.HELD,
        EVERYONE,
        "Hovedkontakter, nettverksledere, koordinatorer, KS og programledelsen.",
    ),
    (
        Meeting.Kind.GRAND_GATHERING,
        "Nettverkssamling / storsamling",
        datetime.date(2009, 3, 9),
        datetime.date(2009, 3, 10),
        None,
        "Oslo-området",
        Meeting.Status.HELD,
        EVERYONE,
        "Plenumskonferanse og parallelle sesjoner i temanettverkene.",
    ),
    (
        Meeting.Kind.POLITICAL,
        "Politisk møte og bykonferanse",
        datetime.date(2009, 5, 19),
        None,
        None,
        "Oslo",
        Meeting.Status.HELD,
        EVERYONE,
        "To avtaler ble undertegnet: mellom staten, KS og kommunene, og en intensjonsavtale mellom staten, "
        "KS og næringslivet.",
    ),
]

MINUTES_16_12_2008 = """Tilbakemeldinger fra nettverkssamlingene høsten 2008: programmene var for tette. Byene ønsker mer tid til diskusjon og erfaringsutveksling mellom byene.

Planlegging: byene arbeider med handlingsprogrammene. Fristen flyttes fra årsskiftet til 15.01.2009; tidlig innsending, ved årsskiftet, oppfordres sterkt. Det kreves ingen felles mal for handlingsprogrammene.

Typer avtaler mellom staten og byene: langsiktige økonomiske avtaler (belønningsordningen for kollektivtransport, rammeavtale med Enova); pilotprosjekter (områdeutvikling etter mønster av by- og boligutstilling, med ekspertbistand); kompetanseoppbygging (kurs i passivhus og offentlige innkjøp); felles utredninger (avfallsforebygging, klimatilpasning); felles data og verktøy (bedre utslippsstatistikk, en klimaregnskapsmodell).

Møter i 2009: administrativt møte 22.01.2009, nettverkssamling 09.–10.03.2009 i Oslo-området, politisk møte og bykonferanse 19.05.2009."""


def meetings(cities, themes, users):
    for order, text in enumerate(RECIPE, start=1):
        ChecklistTemplateItem.objects.get_or_create(text=text, defaults={"order": order})
    held = {}
    for kind, title, first, last, city, venue, status, invited, description in HISTORIC_MEETINGS:
        meeting, created = _meeting(
            users["departementet"],
            kind=kind,
            title=title,
            starts_at=_at(first, 10),
            ends_at=_at(last or first, 16 if last else 15),
            host_city=cities[city] if city else None,
            venue=venue,
            status=status,
            description=description,
            theme_areas=themes.values(),
        )
        if created:
            _invite(meeting, [users[u] for u in invited])
        held[first] = meeting
    continued = held[datetime.date(2008, 12, 16)]
    if continued.continues is None:
        continued.continues = held[datetime.date(2008, 12, 4)]
        continued.save(update_fields=["continues"])
    minutes_of_december(continued, users)
    grand_gathering(held[datetime.date(2009, 3, 9)], themes, users)
    upcoming_gathering(cities, themes, users)


def minutes_of_december(meeting, users):
    minutes, created = Minutes.objects.get_or_create(
        meeting=meeting,
        defaults={
            "main_points": MINUTES_16_12_2008,
            "status": Minutes.Status.PUBLISHED,
            "approved_by": users["departementet"],
            "approved_at": _at(datetime.date(2008, 12, 18), 12),
            "published_at": _at(datetime.date(2008, 12, 19), 9),
            # Long since told; the sweep must not mail it now.
            "published_notified_at": _at(datetime.date(2008, 12, 19), 9),
        },
    )
    if not created:
        return
    extension = DeadlineExtension.objects.get(
        deadline__round__slug="handlingsprogram-2009", new_date=datetime.date(2009, 1, 15)
    )
    decisions = [
        (
            "Fristen for å sende handlingsprogrammene til Miljøverndepartementet flyttes fra årsskiftet til "
            "15.01.2009. Tidlig innsending, ved årsskiftet, oppfordres sterkt.",
            extension,
        ),
        ("Det kreves ingen felles mal for handlingsprogrammene.", None),
        (
            "Kommende nettverkssamlinger får mindre tette programmer og mer tid til diskusjon og erfaringsutveksling.",
            None,
        ),
        ("Møteplanen for 2009 vedtas: 22.01., 09.–10.03. og 19.05.2009.", None),
    ]
    Decision.objects.bulk_create(
        [
            Decision(minutes=minutes, order=order, text=text, deadline_extension=link)
            for order, (text, link) in enumerate(decisions, start=1)
        ]
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                minutes=minutes,
                text="Sende møteplanen for 2009 til byenes hovedkontakter.",
                owner=users["departementet"],
                due_date=datetime.date(2009, 1, 9),
                status=ActionItem.Status.DONE,
            ),
            ActionItem(
                minutes=minutes,
                text="Samle tilbakemeldingene fra nettverkssamlingene til programmet for storsamlingen i mars.",
                owner=users["nettverksleder-avfall"],
                due_date=datetime.date(2009, 1, 22),
                status=ActionItem.Status.DONE,
            ),
        ]
    )


def grand_gathering(meeting, themes, users):
    if meeting.agenda.exists():
        return
    day1, day2 = datetime.date(2009, 3, 9), datetime.date(2009, 3, 10)
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting,
                kind=AgendaItem.Kind.PLENARY,
                title="Plenumskonferanse: byenes handlingsprogrammer",
                starts_at=_at(day1, 10),
                ends_at=_at(day1, 12),
            ),
            AgendaItem(
                meeting=meeting,
                kind=AgendaItem.Kind.PARALLEL,
                title="Parallelle sesjoner i de fire temanettverkene",
                starts_at=_at(day1, 13),
                ends_at=_at(day1, 16),
            ),
            AgendaItem(
                meeting=meeting,
                kind=AgendaItem.Kind.DISCUSSION,
                title="Erfaringsutveksling mellom byene",
                starts_at=_at(day2, 9),
                ends_at=_at(day2, 12),
            ),
        ]
    )
    for username, pace, enough in [("kontakt-oslo", "right", "yes"), ("kontakt-bergen", "right", "partly")]:
        Feedback.objects.get_or_create(
            meeting=meeting,
            user=users[username],
            defaults={
                "rating": 4,
                "pace": pace,
                "enough_discussion": enough,
                "comment": "Mer luft i programmet enn i høst, og god tid til å snakke med de andre byene.",
                "created_at": _at(day2, 18),
            },
        )


def upcoming_gathering(cities, themes, users):
    """A network gathering in Bergen a few weeks ahead, being prepared by the host city."""
    bergen = cities["bergen"]
    title = "Nettverkssamling i Bergen: areal og transport"
    if Meeting.objects.filter(kind=Meeting.Kind.NETWORK_GATHERING, host_city=bergen, title=title).exists():
        return
    first = timezone.localdate() + datetime.timedelta(days=21)
    first += datetime.timedelta(days=(1 - first.weekday()) % 7)  # a Tuesday
    second = first + datetime.timedelta(days=1)
    meeting = create_meeting(
        by=users["departementet"],
        theme_areas=[themes["atp"]],
        kind=Meeting.Kind.NETWORK_GATHERING,
        title=title,
        description="Samling i nettverket for areal og transport. Vertsby: Bergen. "
        "Programmet gir god tid til diskusjon og erfaringsutveksling mellom byene.",
        host_city=bergen,
        venue="Bergen rådhus",
        starts_at=_at(first, 10),
        ends_at=_at(second, 15),
        registration_deadline=first - datetime.timedelta(days=7),
    )
    light_rail = (
        Measure.objects.filter(programme__city=bergen, title__startswith="Bybanen")
        .order_by("-programme__round__deadline__due_date")
        .first()
    )
    agenda = [
        (AgendaItem.Kind.PLENARY, "Velkommen og runde rundt bordet", _at(first, 10), _at(first, 10, 30), "", ""),
        (
            AgendaItem.Kind.PRESENTATION,
            "Klimaarbeidet i Bergen: areal og transport",
            _at(first, 10, 30),
            _at(first, 11, 30),
            "Bergen kommune",
            "",
        ),
        (AgendaItem.Kind.BREAK, "Lunsj", _at(first, 11, 30), _at(first, 12, 15), "", ""),
        (
            AgendaItem.Kind.SITE_VISIT,
            "Befaring: Bybanen, andre byggetrinn",
            _at(first, 12, 15),
            _at(first, 15),
            "Bergen kommune",
            "Bybanen, fra sentrum til Nesttun",
        ),
        (
            AgendaItem.Kind.DISCUSSION,
            "Diskusjon: kollektivtransport og parkeringspolitikk i byene",
            _at(first, 15, 15),
            _at(first, 17),
            "",
            "",
        ),
        (
            AgendaItem.Kind.DISCUSSION,
            "Erfaringsutveksling: hva har byene lært siden sist?",
            _at(second, 9),
            _at(second, 12),
            "",
            "",
        ),
        (AgendaItem.Kind.PLENARY, "Oppsummering og veien videre", _at(second, 13), _at(second, 15), "", ""),
    ]
    for kind, item_title, starts, ends, presenter, place in agenda:
        item = AgendaItem.objects.create(
            meeting=meeting,
            kind=kind,
            title=item_title,
            starts_at=starts,
            ends_at=ends,
            presenter=presenter,
            place=place,
            city=bergen if presenter else None,
        )
        if kind == AgendaItem.Kind.SITE_VISIT and light_rail:
            item.measures.add(light_rail)
    attending = {"kontakt-oslo", "kontakt-bergen", "koordinator-atp"}
    now = timezone.now()
    Invitation.objects.bulk_create(
        [
            Invitation(
                meeting=meeting,
                user=user,
                invited_at=now - datetime.timedelta(days=14),
                response=Invitation.Response.ATTENDING if username in attending else Invitation.Response.PENDING,
                responded_at=now - datetime.timedelta(days=10) if username in attending else None,
            )
            for username, user in users.items()
        ]
    )
    # The host city has started on the recipe.
    for item in meeting.checklist.all()[:4]:
        item.done_at = now - datetime.timedelta(days=7)
        item.done_by = users["kontakt-bergen"]
        item.save(update_fields=["done_at", "done_by"])


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=OSLO)


def _meeting(by, *, title, starts_at, theme_areas=(), **fields):
    """The meeting with this title and start, made if it is not there; (meeting, created)."""
    meeting = Meeting.objects.filter(title=title, starts_at=starts_at).first()
    if meeting is not None:
        return meeting, False
    return create_meeting(by=by, title=title, starts_at=starts_at, theme_areas=theme_areas, **fields), True


def _invite(meeting, users):
    Invitation.objects.bulk_create(
        [
            Invitation(
                meeting=meeting,
                user=user,
                invited_at=meeting.starts_at - datetime.timedelta(days=21),
                response=Invitation.Response.ATTENDING,
                responded_at=meeting.starts_at - datetime.timedelta(days=14),
                attended=True,
            )
            for user in users
        ]
    )
