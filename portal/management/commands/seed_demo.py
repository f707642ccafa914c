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


def _slug(name):
    return slugify(name.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a"))


def _demo_pdf(city, round_):
    import weasyprint

    html = (
        f"<h1>{round_.name}</h1><h2>{city.name} kommune</h2>"
        "<p>Demoutkast av handlingsprogrammet for Framtidens byer.</p>"
    )
    return weasyprint.HTML(string=html).write_pdf()
