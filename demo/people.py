"""Who takes part: the 13 cities, the theme areas and networks, organisations and the demo users."""

import csv
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from slugify import slugify

from actionplans.models import (
    MeasureCategory,
)
from cities.models import City, County, Membership, Network, Organisation, Profile, ThemeArea

OSLO = ZoneInfo("Europe/Oslo")


DEMO_DIR = Path(__file__).resolve().parent
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
    # The consultant hired for the cross-theme review of the action programmes.
    ("konsulent", "Konsulent", "Tverrgående gjennomgang", Membership.Role.CONSULTANT, ("org", "Konsulent")),
    # County authorities of two host counties, invited to the network gatherings there.
    (
        "fylkeskommune-hordaland",
        "Fylkeskommunen",
        "Hordaland",
        Membership.Role.COUNTY_AUTHORITY,
        ("org", "HFK"),
    ),
    (
        "fylkeskommune-rogaland",
        "Fylkeskommunen",
        "Rogaland",
        Membership.Role.COUNTY_AUTHORITY,
        ("org", "RFK"),
    ),
]

# A contact for every city: kontakt-<city>, by the city's slug (kontakt-oslo, kontakt-baerum, …).
COUNTY_AUTHORITIES = [
    ("HFK", "Hordaland fylkeskommune", "Hordaland"),
    ("RFK", "Rogaland fylkeskommune", "Rogaland"),
]
CONSULTANCY = ("Konsulent", "Konsulentselskapet for tverrgående gjennomgang")

# Demo measures: (theme, category (nb), title, effect t CO2e/yr, cost NOK, status, state cooperation)


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
                    "slug": _slug(row["name"]),
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
                "kind": Organisation.Kind.COUNTY_AUTHORITY,
                "county": County.objects.get_or_create(name=county)[0],
            },
        )[0]
    short, name = CONSULTANCY
    orgs[short] = Organisation.objects.update_or_create(
        short_name=short, defaults={"name": name, "kind": Organisation.Kind.CONSULTANCY}
    )[0]
    return orgs


def city_contacts(cities):
    """(username, first name, last name, role, scope) of the contact of every city."""
    return [
        (f"kontakt-{slug}", "Hovedkontakt", city.name, Membership.Role.CITY_CONTACT, ("city", slug))
        for slug, city in sorted(cities.items(), key=lambda item: item[1].name)
    ]


def users(cities, themes, orgs):
    User = get_user_model()
    users = {}
    everyone = USERS + [c for c in city_contacts(cities) if c[0] not in {u[0] for u in USERS}]
    for username, first, last, role, (scope, key) in everyone:
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
        Profile.objects.get_or_create(user=user, defaults={"organisation": orgs.get(key) if scope == "org" else None})
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


def _slug(name):
    return slugify(name)
