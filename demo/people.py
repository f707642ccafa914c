"""Who takes part: the 13 cities, the theme areas and networks, the organisations of 2008–2009
and the demo users. People are roles, never real names."""

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from slugify import slugify

from actionplans.models import MeasureCategory
from cities.models import City, County, Membership, Network, Organisation, Profile, ThemeArea
from demo.clock import OSLO

DEMO_DIR = Path(__file__).resolve().parent
PASSWORD = "demo"  # noqa: S105 - the documented password of the demo users only
Role = Membership.Role
Kind = Organisation.Kind

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
        ("Gange", "Walking"),
        ("Kollektivtransport", "Public transport"),
        ("Fortetting ved knutepunkter", "Densification near hubs"),
    ],
    "energy": [
        ("Passivhus", "Passive houses"),
        ("Fjernvarme", "District heating"),
        ("Energieffektivisering", "Energy efficiency"),
        ("Utfasing av oljefyr", "Phasing out oil boilers"),
    ],
    "consumption": [
        ("Avfallsforebygging", "Waste prevention"),
        ("Innkjøp", "Procurement"),
        ("Kildesortering", "Waste sorting"),
    ],
    "adaptation": [
        ("Overvann", "Storm water"),
        ("Flom og skred", "Floods and landslides"),
        ("Havnivå", "Sea level rise"),
        ("Klimatilpasning i planer", "Adaptation in plans"),
    ],
}

# The names valid in 2008–2009 (MD became KLD and KRD became KMD later; HSH became Virke in 2011).
ORGANISATIONS = [
    ("MD", "Miljøverndepartementet", Kind.MINISTRY),
    ("SD", "Samferdselsdepartementet", Kind.MINISTRY),
    ("KRD", "Kommunal- og regionaldepartementet", Kind.MINISTRY),
    ("OED", "Olje- og energidepartementet", Kind.MINISTRY),
    ("KS", "KS – Kommunesektorens interesse- og arbeidsgiverorganisasjon", Kind.ASSOCIATION),
    ("Enova", "Enova SF", Kind.STATE_AGENCY),
    ("Husbanken", "Husbanken", Kind.STATE_AGENCY),
    ("DSB", "Direktoratet for samfunnssikkerhet og beredskap", Kind.STATE_AGENCY),
    ("NVE", "Norges vassdrags- og energidirektorat", Kind.STATE_AGENCY),
    ("Difi", "Direktoratet for forvaltning og IKT", Kind.STATE_AGENCY),
    ("NHO", "Næringslivets Hovedorganisasjon", Kind.BUSINESS),
    ("FNO", "Finansnæringens Fellesorganisasjon", Kind.BUSINESS),
    ("HSH", "Handels- og Servicenæringens Hovedorganisasjon", Kind.BUSINESS),
    # The coordinators of three themes came from consultancies (climate adaptation's from DSB),
    # and a consultancy was hired for the cross-theme review.
    ("Byplan", "Byplan Rådgivning AS", Kind.CONSULTANCY),
    ("Energiråd", "Energiråd AS", Kind.CONSULTANCY),
    ("Kretsløp", "Kretsløp Miljørådgivning AS", Kind.CONSULTANCY),
    ("Konsulent", "Helhet Analyse AS", Kind.CONSULTANCY),
]

# The county authorities of the four host counties of the autumn 2008 gatherings.
COUNTY_AUTHORITIES = [
    ("HFK", "Hordaland fylkeskommune", "Hordaland"),
    ("RFK", "Rogaland fylkeskommune", "Rogaland"),
    ("STFK", "Sør-Trøndelag fylkeskommune", "Sør-Trøndelag"),
    ("ØFK", "Østfold fylkeskommune", "Østfold"),
]

# (username, first name, last name, role, theme, organisation). A contact for every city
# (kontakt-<city slug>) is added by `city_contacts`.
USERS = [
    ("koordinator-atp", "Koordinator", "Areal og transport", Role.COORDINATOR, "atp", "Byplan"),
    ("koordinator-energi", "Koordinator", "Energi i bygg", Role.COORDINATOR, "energy", "Energiråd"),
    ("koordinator-forbruk", "Koordinator", "Forbruk og avfall", Role.COORDINATOR, "consumption", "Kretsløp"),
    ("koordinator-klima", "Koordinator", "Klimatilpasning", Role.COORDINATOR, "adaptation", "DSB"),
    ("nettverksleder-atp", "Nettverksleder", "Areal og transport", Role.NETWORK_LEADER, "atp", "SD"),
    ("nettverksleder-energi", "Nettverksleder", "Energi i bygg (OED)", Role.NETWORK_LEADER, "energy", "OED"),
    ("nettverksleder-bygg", "Nettverksleder", "Energi i bygg (KRD)", Role.NETWORK_LEADER, "energy", "KRD"),
    ("nettverksleder-avfall", "Nettverksleder", "Forbruk og avfall", Role.NETWORK_LEADER, "consumption", "MD"),
    ("nettverksleder-klima", "Nettverksleder", "Klimatilpasning", Role.NETWORK_LEADER, "adaptation", "MD"),
    ("departementet", "Programledelsen", "MD", Role.PROGRAMME_MANAGEMENT, None, "MD"),
    ("ks", "Partner", "KS", Role.PARTNER, None, "KS"),
    # The partners of the state bodies: they keep their body's instruments and answer the cities' requests.
    ("partner-sd", "Partner", "Samferdselsdepartementet", Role.PARTNER, None, "SD"),
    ("partner-enova", "Partner", "Enova", Role.PARTNER, None, "Enova"),
    ("partner-husbanken", "Partner", "Husbanken", Role.PARTNER, None, "Husbanken"),
    ("partner-dsb", "Partner", "DSB", Role.PARTNER, None, "DSB"),
    ("partner-nve", "Partner", "NVE", Role.PARTNER, None, "NVE"),
    ("partner-difi", "Partner", "Difi", Role.PARTNER, None, "Difi"),
    # The consultant hired for the cross-theme review of the action programmes.
    ("konsulent", "Konsulent", "Tverrgående gjennomgang", Role.CONSULTANT, None, "Konsulent"),
    # The political level at the political meeting and city conference of 19.05.2009.
    ("politisk-ledelse", "Politisk ledelse", "Miljøverndepartementet", Role.PARTNER, None, "MD"),
    ("fylkeskommune-hordaland", "Fylkeskommunen", "Hordaland", Role.COUNTY_AUTHORITY, None, "HFK"),
    ("fylkeskommune-rogaland", "Fylkeskommunen", "Rogaland", Role.COUNTY_AUTHORITY, None, "RFK"),
    ("fylkeskommune-sor-trondelag", "Fylkeskommunen", "Sør-Trøndelag", Role.COUNTY_AUTHORITY, None, "STFK"),
    ("fylkeskommune-ostfold", "Fylkeskommunen", "Østfold", Role.COUNTY_AUTHORITY, None, "ØFK"),
]

COORDINATORS = {theme: username for username, _f, _l, role, theme, _o in USERS if role == Role.COORDINATOR}
NETWORK_LEADERS = [username for username, _f, _l, role, _t, _o in USERS if role == Role.NETWORK_LEADER]


def cities():
    cities = {}
    with open(DEMO_DIR / "cities.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            county, _ = County.objects.get_or_create(name=row["county_2008"])
            population = int(row["population_2009"]) if row["population_2009"] else None
            city, _ = City.objects.update_or_create(
                municipality_number=row["knr_2008"],
                defaults={
                    "name": row["name"],
                    "slug": slugify(row["name"]),
                    "county": county,
                    "population": population,
                },
            )
            cities[city.slug] = city
    return cities


def themes():
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


def organisations():
    orgs = {
        short: Organisation.objects.update_or_create(short_name=short, defaults={"name": name, "kind": kind})[0]
        for short, name, kind in ORGANISATIONS
    }
    for short, name, county in COUNTY_AUTHORITIES:
        orgs[short] = Organisation.objects.update_or_create(
            short_name=short,
            defaults={
                "name": name,
                "kind": Kind.COUNTY_AUTHORITY,
                "county": County.objects.get_or_create(name=county)[0],
            },
        )[0]
    return orgs


def city_contacts(cities):
    """The contact of every city, as rows of USERS."""
    return [
        (f"kontakt-{slug}", "Hovedkontakt", city.name, Role.CITY_CONTACT, None, None)
        for slug, city in sorted(cities.items(), key=lambda item: item[1].name)
    ]


def users(cities, themes, orgs):
    """Every demo user by username, with the password `PASSWORD` (hashed once: hashing is slow by design)."""
    User = get_user_model()
    password = make_password(PASSWORD)
    users = {}
    for username, first, last, role, theme, org in city_contacts(cities) + USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org", "password": password},
        )
        Profile.objects.get_or_create(user=user, defaults={"organisation": orgs[org] if org else None})
        Membership.objects.get_or_create(
            user=user,
            role=role,
            city=cities[username.removeprefix("kontakt-")] if role == Role.CITY_CONTACT else None,
            theme_area=themes[theme] if theme else None,
            organisation=orgs[org] if org else None,
        )
        users[username] = user
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    return users


@dataclass(frozen=True)
class Demo:
    """What every part of the demo is seeded with: who takes part, and the day it is loaded."""

    cities: dict
    themes: dict
    orgs: dict
    users: dict
    today: datetime.date

    @classmethod
    def load(cls):
        cities_, themes_, orgs = cities(), themes(), organisations()
        return cls(cities_, themes_, orgs, users(cities_, themes_, orgs), timezone.localdate(timezone.now(), OSLO))
