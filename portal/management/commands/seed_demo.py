"""Load the demo programme: the 13 cities of "Framtidens byer", the theme
areas, organisations, two rounds and the demo users. Safe to run again."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from actionplans import services
from actionplans.models import (
    ActionProgramme,
    AgreementKind,
    Deadline,
    DeadlineExtension,
    Measure,
    MeasureCategory,
    Review,
    Round,
)
from actionplans.uploads import inspect_upload
from cities.models import City, County, Membership, Network, Organisation, ThemeArea
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
DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
PASSWORD = "demo"  # noqa: S105 - the documented password of the demo users only

THEMES = [
    ("atp", "Areal og transport", "Land use and transport"),
    ("energy", "Energi i bygg", "Energy in buildings"),
    ("consumption", "Forbruksmønster og avfall", "Consumption and waste"),
    ("adaptation", "Klimatilpasning", "Climate adaptation"),
]

CATEGORIES = {
    "atp": [
        ("Parkeringspolitikk", "Parking policy"),
        ("Sykkel", "Cycling"),
        ("Kollektivtransport", "Public transport"),
        ("Fortetting ved knutepunkter", "Densification near hubs"),
    ],
    "energy": [
        ("Passivhus", "Passive houses"),
        ("Fjernvarme", "District heating"),
        ("Energieffektivisering", "Energy efficiency"),
    ],
    "consumption": [
        ("Avfallsforebygging", "Waste prevention"),
        ("Innkjøp", "Procurement"),
    ],
    "adaptation": [
        ("Overvann", "Storm water"),
        ("Flom og skred", "Floods and landslides"),
    ],
}

ORGANISATIONS = [
    ("MD", "Miljøverndepartementet", Organisation.Kind.MINISTRY),
    ("SD", "Samferdselsdepartementet", Organisation.Kind.MINISTRY),
    ("KRD", "Kommunal- og regionaldepartementet", Organisation.Kind.MINISTRY),
    ("OED", "Olje- og energidepartementet", Organisation.Kind.MINISTRY),
    ("KS", "KS – Kommunesektorens organisasjon", Organisation.Kind.ASSOCIATION),
    ("Enova", "Enova SF", Organisation.Kind.STATE_AGENCY),
    ("Husbanken", "Husbanken", Organisation.Kind.STATE_AGENCY),
    (
        "DSB",
        "Direktoratet for samfunnssikkerhet og beredskap",
        Organisation.Kind.STATE_AGENCY,
    ),
    ("NVE", "Norges vassdrags- og energidirektorat", Organisation.Kind.STATE_AGENCY),
    ("NHO", "Næringslivets Hovedorganisasjon", Organisation.Kind.BUSINESS),
    ("FNO", "Finansnæringens Hovedorganisasjon", Organisation.Kind.BUSINESS),
    (
        "HSH",
        "Handels- og Servicenæringens Hovedorganisasjon",
        Organisation.Kind.BUSINESS,
    ),
]

# (username, first name, last name, role, scope): roles, not real people.
USERS = [
    (
        "kontakt-oslo",
        "Hovedkontakt",
        "Oslo",
        Membership.Role.CITY_CONTACT,
        ("city", "oslo"),
    ),
    (
        "kontakt-bergen",
        "Hovedkontakt",
        "Bergen",
        Membership.Role.CITY_CONTACT,
        ("city", "bergen"),
    ),
    (
        "koordinator-atp",
        "Koordinator",
        "Areal og transport",
        Membership.Role.COORDINATOR,
        ("theme", "atp"),
    ),
    (
        "koordinator-energi",
        "Koordinator",
        "Energi i bygg",
        Membership.Role.COORDINATOR,
        ("theme", "energy"),
    ),
    (
        "nettverksleder-avfall",
        "Nettverksleder",
        "Forbruk og avfall",
        Membership.Role.NETWORK_LEADER,
        ("theme", "consumption"),
    ),
    (
        "departementet",
        "Programledelsen",
        "MD",
        Membership.Role.PROGRAMME_MANAGEMENT,
        ("org", "MD"),
    ),
    ("ks", "Partner", "KS", Membership.Role.PARTNER, ("org", "KS")),
]

# Demo measures: (theme, category (nb), title, effect t CO2e/yr, cost NOK, status, state cooperation)
MEASURES = {
    "oslo": [
        (
            "atp",
            "Kollektivtransport",
            "Flere avganger på trikk og T-bane",
            "18000",
            "450000000",
            "ongoing",
            True,
        ),
        (
            "atp",
            "Parkeringspolitikk",
            "Færre parkeringsplasser i sentrum",
            "6500",
            "20000000",
            "planned",
            False,
        ),
        (
            "energy",
            "Fjernvarme",
            "Utvidet fjernvarmenett",
            "12000",
            "300000000",
            "planned",
            True,
        ),
        (
            "consumption",
            "Avfallsforebygging",
            "Kildesortering av matavfall",
            "4200",
            "60000000",
            "ongoing",
            False,
        ),
        (
            "adaptation",
            "Overvann",
            "Åpne bekker og blågrønne tak",
            "0",
            "35000000",
            "planned",
            True,
        ),
    ],
    "bergen": [
        (
            "atp",
            "Kollektivtransport",
            "Bybanen, andre byggetrinn",
            "9500",
            "1200000000",
            "ongoing",
            True,
        ),
        (
            "atp",
            "Sykkel",
            "Sammenhengende sykkelvegnett",
            "2100",
            "80000000",
            "planned",
            True,
        ),
        (
            "energy",
            "Passivhus",
            "Nye kommunale bygg som passivhus",
            "1500",
            "40000000",
            "planned",
            True,
        ),
        (
            "adaptation",
            "Flom og skred",
            "Kartlegging av skredfare",
            "0",
            "5000000",
            "planned",
            True,
        ),
    ],
    "trondheim": [
        (
            "atp",
            "Sykkel",
            "Sykkelheis og sykkelparkering",
            "800",
            "12000000",
            "done",
            False,
        ),
        (
            "energy",
            "Energieffektivisering",
            "Energioppfølging i kommunale bygg",
            "3100",
            "15000000",
            "ongoing",
            False,
        ),
    ],
}


# The hosting recipe: what a host city sees to for a network gathering.
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


class Command(BaseCommand):
    help = "Load the demo programme (cities, theme areas, rounds, demo users). Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        cities = self.cities()
        themes = self.themes()
        orgs = self.organisations()
        users = self.users(cities, themes, orgs)
        self.historic_round(cities, users)
        self.current_round(cities, themes, users)
        self.meetings(cities, themes, users)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("Demo logins (password 'demo'): " + ", ".join(u[0] for u in USERS) + ", admin")

    def cities(self):
        cities = {}
        with open(DEMO_DIR / "cities.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                county, _ = County.objects.get_or_create(name=row["county_2008"])
                population = int(row["population_2009"]) if row["population_2009"] else None
                city, _ = City.objects.update_or_create(
                    municipality_number=row["knr_2008"],
                    defaults={
                        "name": row["name"],
                        "slug": _slug(row["name"]),
                        "county": county,
                        "population": population,
                    },
                )
                cities[city.slug] = city
        return cities

    def themes(self):
        themes = {}
        for order, (code, nb, en) in enumerate(THEMES, start=1):
            theme, _ = ThemeArea.objects.update_or_create(
                code=code, defaults={"name_nb": nb, "name_en": en, "order": order}
            )
            Network.objects.update_or_create(theme_area=theme, defaults={"name": f"Nettverk for {nb.lower()}"})
            for cat_nb, cat_en in CATEGORIES[code]:
                MeasureCategory.objects.update_or_create(theme_area=theme, name_nb=cat_nb, defaults={"name_en": cat_en})
            themes[code] = theme
        return themes

    def organisations(self):
        return {
            short: Organisation.objects.update_or_create(short_name=short, defaults={"name": name, "kind": kind})[0]
            for short, name, kind in ORGANISATIONS
        }

    def users(self, cities, themes, orgs):
        User = get_user_model()
        users = {}
        for username, first, last, role, (scope, key) in USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.org",
                },
            )
            if created:
                user.set_password(PASSWORD)
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(
                user=user,
                role=role,
                city=cities[key] if scope == "city" else None,
                theme_area=themes[key] if scope == "theme" else None,
                organisation=orgs[key] if scope == "org" else None,
            )
            users[username] = user
        if not User.objects.filter(username="admin").exists():
            User.objects.create_superuser("admin", "admin@example.org", PASSWORD)
        return users

    def historic_round(self, cities, users):
        round_, created = Round.objects.get_or_create(
            slug="handlingsprogram-2009",
            defaults={
                "name": "Handlingsprogram 2009",
                "description": "Byenes første handlingsprogrammer i Framtidens byer, sendt til Miljøverndepartementet.",
            },
        )
        deadline, _ = Deadline.objects.get_or_create(round=round_, defaults={"due_date": datetime.date(2009, 1, 15)})
        if not deadline.extensions.exists():
            DeadlineExtension.objects.create(
                deadline=deadline,
                old_date=datetime.date(2008, 12, 31),
                new_date=datetime.date(2009, 1, 15),
                reason="Fristen ble flyttet fra årsskiftet til 15. januar. Tidlig innsending, ved årsskiftet, "
                "oppfordres sterkt. Det kreves ingen felles mal for handlingsprogrammene.",
                decided_by_text="Koordineringsgruppen, 16.12.2008",
                decided_at=datetime.datetime(2008, 12, 16, 15, 0, tzinfo=OSLO),
            )
        services.ensure_programmes(round_)
        if not created:
            return
        # Historic submissions, on behalf of the programme management's records.
        recorder = users["departementet"]
        for index, city in enumerate(sorted(cities.values(), key=lambda c: c.name)):
            moment = datetime.datetime(2008, 12, 19, 12, 0, tzinfo=OSLO) + datetime.timedelta(days=2 * index)
            programme = ActionProgramme.objects.get(round=round_, city=city)
            self.upload(programme, city, round_, recorder, moment)
            services.submit_programme(programme, by=recorder, now=moment)

    def current_round(self, cities, themes, users):
        today = timezone.localdate()
        due = datetime.date(today.year, 1, 15)
        if due < today:
            due = datetime.date(today.year + 1, 1, 15)
        round_, created = Round.objects.get_or_create(
            slug=f"handlingsprogram-{due.year}",
            defaults={
                "name": f"Handlingsprogram {due.year}",
                "description": "Rullering av byenes handlingsprogrammer. Tidlig innsending er mulig og ønsket.",
            },
        )
        Deadline.objects.get_or_create(round=round_, defaults={"due_date": due})
        services.ensure_programmes(round_)
        if not created:
            return
        for slug, rows in MEASURES.items():
            programme = ActionProgramme.objects.get(round=round_, city=cities[slug])
            contact = users.get(f"kontakt-{slug}", users["departementet"])
            self.upload(programme, cities[slug], round_, contact, timezone.now())
            for theme, category, title, effect, cost, status, state in rows:
                Measure.objects.create(
                    programme=programme,
                    theme_area=themes[theme],
                    category=MeasureCategory.objects.get(theme_area=themes[theme], name_nb=category),
                    title=title,
                    expected_effect=Decimal(effect),
                    cost_estimate=Decimal(cost),
                    status=status,
                    state_cooperation_wanted=state,
                )
        # Bergen submits early, as the coordination group encouraged, and the review starts.
        bergen = ActionProgramme.objects.get(round=round_, city=cities["bergen"])
        services.submit_programme(bergen, by=users["kontakt-bergen"])
        self.review(bergen, themes, users)

    def review(self, programme, themes, users):
        coordinator = users["koordinator-atp"]
        review = services.review_for(programme, themes["atp"])
        light_rail = programme.measures.get(title__startswith="Bybanen")
        services.add_comment(
            review,
            measure=light_rail,
            text="Hvordan er effekten beregnet? Oppgi gjerne forutsetningene for reisevaneendringen.",
            by=coordinator,
        )
        services.mark_candidate(light_rail, kind=AgreementKind.LONG_TERM_ECONOMIC, by=coordinator)
        services.update_review(
            review,
            assessment="Et godt gjennomarbeidet program med tydelig satsing på kollektivtransport.",
            status=Review.Status.COMMENTS_SENT,
            by=coordinator,
        )
        passive = programme.measures.get(title__contains="passivhus")
        services.mark_candidate(passive, kind=AgreementKind.COMPETENCE_BUILDING, by=users["koordinator-energi"])
        services.review_for(programme, themes["energy"])

    def meetings(self, cities, themes, users):
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
        self.minutes_of_december(continued, users)
        self.grand_gathering(held[datetime.date(2009, 3, 9)], themes, users)
        self.upcoming_gathering(cities, themes, users)

    def minutes_of_december(self, meeting, users):
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

    def grand_gathering(self, meeting, themes, users):
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

    def upcoming_gathering(self, cities, themes, users):
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

    def upload(self, programme, city, round_, by, moment):
        file = ContentFile(_demo_pdf(city, round_), name=f"Handlingsprogram {city.name}.pdf")
        draft = services.upload_draft(
            programme,
            file=file,
            inspected=inspect_upload(file, max_size=10**7),
            note="Første utkast.",
            by=by,
        )
        draft.uploaded_at = moment
        draft.save(update_fields=["uploaded_at"])


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


def _slug(name):
    return slugify(name.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a"))


def _demo_pdf(city, round_):
    import weasyprint

    html = (
        f"<h1>{round_.name}</h1><h2>{city.name} kommune</h2>"
        "<p>Demoutkast av handlingsprogrammet for Framtidens byer.</p>"
    )
    return weasyprint.HTML(string=html).write_pdf()
