"""The benchmark's programme: cities, people, programmes, measures, reviews, agreements and meetings.

`Builder().grow_to(size)` adds rows in bulk up to `size` (so 13, then 1,000,
then 10,000 cities reuse what is there). The data is shaped like the
programme's: every city has a contact; of every 20 cities 12 have submitted,
5 have a draft and 3 have not started; a started programme has 2–3 versions;
about 20 measures a city, spread over the four theme areas, 60 % of them in
one of the theme's categories and the rest without one, their titles and
descriptions made of varied Norwegian phrases so that grouping similar
measures has real work; every submitted programme has a review per theme,
in every status, most with comments; agreements between cities and state
bodies; meetings held and planned, with minutes. The same on every run.
"""

import datetime
import random
from decimal import Decimal

MANAGER = "bench-departementet"
ROUND = "handlingsprogram-bench"
# The municipal emission statistics: 20 years in every sector for the first 1,000 cities.
EMISSION_CITIES = 1000
EMISSION_YEARS = range(2005, 2025)
SECTORS = ["road_traffic", "heating", "waste", "", "other_mobile", "energy_supply", "", "agriculture"]
PASSWORD = "bench"  # noqa: S105 -- a throwaway database's users

THEMES = [
    ("atp", "Areal og transport", "Land use and transport", ["Sykkel", "Kollektivtransport", "Parkering"]),
    ("energy", "Energi i bygg", "Energy in buildings", ["Fjernvarme", "Energieffektivisering", "Passivhus"]),
    ("consumption", "Forbruksmønster og avfall", "Consumption and waste", ["Avfall", "Innkjøp", "Gjenbruk"]),
    ("adaptation", "Klimatilpasning", "Climate adaptation", ["Overvann", "Flom og skred", "Havnivå"]),
]
# What a measure's title is made of, per theme: a verb, an object and a place.
VERBS = ["Utvide", "Bygge ut", "Planlegge", "Etablere", "Forbedre", "Kartlegge", "Styrke", "Prøve ut"]
OBJECTS = {
    "atp": [
        "sykkelveinettet",
        "innfartsparkering",
        "kollektivfelt for buss",
        "gang- og sykkelveier",
        "parkeringsnorm for nye boliger",
        "bildelingsordning",
        "hurtigladere for elbil",
        "bysykkelordning",
        "kollektivknutepunkt",
        "fortetting rundt stasjonene",
    ],
    "energy": [
        "fjernvarmenettet",
        "energioppfølging i kommunale bygg",
        "varmepumper i skoler",
        "passivhusstandard for nye bygg",
        "solceller på tak",
        "etterisolering av boliger",
        "utfasing av oljefyring",
        "energirådgivning for innbyggere",
        "LED-belysning i gatene",
        "biobrensel i sykehjem",
    ],
    "consumption": [
        "kildesortering av matavfall",
        "miljøkrav i offentlige innkjøp",
        "gjenbruksstasjon",
        "ombruk av byggematerialer",
        "biogassanlegg",
        "plastinnsamling",
        "reparasjonsverksted",
        "matsvinn i kantiner",
        "deleordning for verktøy",
        "returpunkt for elektronikk",
    ],
    "adaptation": [
        "overvannshåndtering",
        "flomsikring langs elva",
        "grønne tak",
        "kartlegging av skredfare",
        "beredskap for ekstremvær",
        "regnbed i gatene",
        "havnivåstigning i reguleringsplaner",
        "åpning av bekker",
        "klimatilpasset vann- og avløpsnett",
        "tørkesikring av grøntarealer",
    ],
}
PLACES = [
    "i sentrum",
    "langs hovedveiene",
    "ved stasjonen",
    "i nye boligområder",
    "mellom bydelene",
    "ved skolene",
    "i havneområdet",
    "i hele kommunen",
]
SENTENCES = [
    "Tiltaket følger opp kommuneplanens klimamål og gjennomføres i samarbeid med fylkeskommunen.",
    "Effekten er beregnet ut fra reisevaneundersøkelsen og kommunens energistatistikk.",
    "Kommunen ønsker statlig medvirkning gjennom Enova og Husbanken.",
    "Arbeidet starter med et forprosjekt og en kartlegging av dagens situasjon.",
    "Næringslivet og innbyggerne involveres gjennom åpne møter og en digital høring.",
    "Tiltaket finansieres over investeringsbudsjettet, med søknad om tilskudd.",
    "Resultatene rapporteres i kommunens årlige klimaregnskap.",
    "Det er behov for kompetanse fra statlige etater for å lykkes.",
]
COMMENTS = [
    "Hvordan er effekten beregnet? Oppgi forutsetningene.",
    "Tiltaket kan være aktuelt for en avtale med staten.",
    "Kostnadsanslaget mangler for driften.",
    "Vurder å samarbeide med nabokommunene om dette.",
    "Hvem har ansvaret for gjennomføringen?",
]


def size_of(cities):
    """The benchmark's programme at `cities` cities."""
    return {
        "cities": cities,
        "measures": 20 * cities,
        "agreements": max(8, cities // 5),
        "meetings": max(20, min(cities // 2, 1000)),
    }


class Builder:
    """Adds cities, people, programmes, measures, reviews, agreements and meetings in bulk, up to the sizes asked for."""

    def __init__(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import make_password

        from actionplans.models import Deadline, MeasureCategory, Round
        from cities.models import County, Membership, Organisation, ThemeArea

        self.random = random.Random(2009)  # noqa: S311 -- made-up figures, the same on every run
        self.now = datetime.datetime.now(datetime.UTC)
        self.password = make_password(PASSWORD)  # hashed once for every user of the benchmark
        self.counties = County.objects.bulk_create([County(name=f"Fylke {n}", number=f"{n:02d}") for n in range(11)])
        self.themes = ThemeArea.objects.bulk_create(
            [ThemeArea(code=code, name_nb=nb, name_en=en, order=n) for n, (code, nb, en, _c) in enumerate(THEMES, 1)]
        )
        self.categories = {
            theme.pk: MeasureCategory.objects.bulk_create(
                [MeasureCategory(theme_area=theme, name_nb=name, name_en=name) for name in categories]
            )
            for theme, (_code, _nb, _en, categories) in zip(self.themes, THEMES, strict=True)
        }
        self.organisations = Organisation.objects.bulk_create(
            [
                Organisation(name=name, short_name=short, kind=kind)
                for short, name, kind in [
                    ("MD", "Miljøverndepartementet", Organisation.Kind.MINISTRY),
                    ("KS", "KS", Organisation.Kind.ASSOCIATION),
                    ("ENOVA", "Enova SF", Organisation.Kind.STATE_AGENCY),
                    ("SD", "Samferdselsdepartementet", Organisation.Kind.MINISTRY),
                ]
            ]
        )
        users = get_user_model().objects
        self.manager = users.create(username=MANAGER, email=f"{MANAGER}@example.org", password=self.password)
        Membership.objects.create(
            user=self.manager, role=Membership.Role.PROGRAMME_MANAGEMENT, organisation=self.organisations[0]
        )
        self.coordinators = []
        for theme in self.themes:
            coordinator = users.create(
                username=f"bench-koordinator-{theme.code}", email=f"{theme.code}@example.org", password=self.password
            )
            Membership.objects.create(user=coordinator, role=Membership.Role.COORDINATOR, theme_area=theme)
            self.coordinators.append(coordinator)
        self.round = Round.objects.create(name="Handlingsprogram (benchmark)", slug=ROUND)
        self.due = (self.now + datetime.timedelta(days=30)).date()
        Deadline.objects.create(round=self.round, due_date=self.due)
        self.size = {"cities": 0, "measures": 0, "agreements": 0, "meetings": 0}

    def grow_to(self, size):
        first, last = self.size["cities"], size["cities"]
        cities = self._cities(first, last)
        self._contacts(cities, first)
        self._emissions(cities)
        programmes = self._programmes(cities, first)
        measures = self._measures(programmes, size["measures"] - self.size["measures"])
        self._reviews([p for p in programmes if p.status == "submitted"], measures)
        self._agreements(size["agreements"] - self.size["agreements"], size["cities"])
        self._meetings(size["meetings"] - self.size["meetings"], size["cities"])
        self.size = dict(size)

    def contact(self, n=0):
        """The contact person of city number `n`."""
        from django.contrib.auth import get_user_model

        return get_user_model().objects.get(username=f"bench-kontakt-{n:05d}")

    def _cities(self, first, last):
        from cities.models import City

        return City.objects.bulk_create(
            [
                City(
                    name=f"By {n:04d}",
                    slug=f"by-{n:04d}",
                    municipality_number=f"{n:04d}",
                    county=self.counties[n % len(self.counties)],
                    population=20_000 + 137 * n,
                )
                for n in range(first, last)
            ]
        )

    def _emissions(self, cities):
        """The municipal statistics of `EMISSION_YEARS` years in every sector, for the first `EMISSION_CITIES`
        cities (the city page and the totals at 1,000 cities with 20 years, as the issue asks)."""
        from cities.sectors import EmissionSector
        from emissions.models import Emission

        rows = [
            Emission(
                city=city,
                year=year,
                sector=sector,
                tonnes=Decimal(self.random.randrange(1_000, 900_000)) / 10,
            )
            for city in cities
            if int(city.municipality_number) < EMISSION_CITIES
            for year in EMISSION_YEARS
            for sector in EmissionSector.values
        ]
        Emission.objects.bulk_create(rows, batch_size=5000)

    def _contacts(self, cities, first):
        from django.contrib.auth import get_user_model

        from cities.models import Membership

        User = get_user_model()  # noqa: N806 -- a model class
        users = User.objects.bulk_create(
            [
                User(
                    username=f"bench-kontakt-{n:05d}",
                    email=f"kontakt-{n:05d}@example.org",
                    first_name="Kontakt",
                    last_name=city.name,
                    password=self.password,
                )
                for n, city in enumerate(cities, first)
            ],
            batch_size=2000,
        )
        Membership.objects.bulk_create(
            [
                Membership(user=user, city=city, role=Membership.Role.CITY_CONTACT)
                for user, city in zip(users, cities, strict=True)
            ],
            batch_size=2000,
        )

    def _programmes(self, cities, first):
        from actionplans.models import ActionProgramme, Draft

        # Of every 20 cities, 12 have submitted, 5 have a draft and 3 have not started.
        statuses = [
            "submitted" if n % 20 < 12 else "draft" if n % 20 < 17 else "not_started"
            for n in range(first, first + len(cities))
        ]
        programmes = ActionProgramme.objects.bulk_create(
            [
                ActionProgramme(
                    round=self.round,
                    city=city,
                    status="draft" if status == "submitted" else status,
                    extended_due_date=self.due + datetime.timedelta(days=14) if n % 10 == 9 else None,
                )
                for n, (city, status) in enumerate(zip(cities, statuses, strict=True), first)
            ],
            batch_size=2000,
        )
        started = [(n, p) for n, (p, s) in enumerate(zip(programmes, statuses, strict=True)) if s != "not_started"]
        drafts = Draft.objects.bulk_create(
            [
                Draft(
                    programme=p,
                    number=number,
                    file=f"drafts/{p.pk}/bench-{number}.pdf",
                    original_name=f"handlingsprogram-v{number}.pdf",
                    extension=".pdf",
                    content_type="application/pdf",
                    size=123_456 + number,
                    sha256=f"{p.pk:032x}{number:032x}",
                    uploaded_by=self.manager,
                    uploaded_at=self.now - datetime.timedelta(days=40 - 10 * number),
                    text="Handlingsprogram for klima og energi. " * 20,
                )
                for n, p in started
                for number in range(1, 3 + n % 2)  # 2 or 3 versions
            ],
            batch_size=2000,
        )
        latest = {}
        for draft in drafts:
            latest[draft.programme_id] = draft
        submitted = []
        for n, (p, status) in enumerate(zip(programmes, statuses, strict=True), first):
            if status == "submitted":
                p.status, p.submitted_draft, p.submitted_by = "submitted", latest[p.pk], self.manager
                p.submitted_at = self.now - datetime.timedelta(days=n % 9, hours=n % 7)
                p.submitted_on_time = n % 7 != 0
                submitted.append(p)
        ActionProgramme.objects.bulk_update(
            submitted,
            ["status", "submitted_draft", "submitted_by", "submitted_at", "submitted_on_time"],
            batch_size=500,
        )
        return programmes

    def _text(self, theme_code):
        pick = self.random.choice
        title = f"{pick(VERBS)} {pick(OBJECTS[theme_code])} {pick(PLACES)}"
        description = " ".join(self.random.sample(SENTENCES, 2))
        return title, description

    def _measures(self, programmes, count):
        from actionplans.models import Measure

        measures = []
        for n in range(count):
            programme = programmes[n % len(programmes)]
            theme = self.themes[self.random.randrange(len(self.themes))]
            title, description = self._text(theme.code)
            category = self.random.choice(self.categories[theme.pk]) if self.random.random() < 0.6 else None
            measures.append(
                Measure(
                    programme=programme,
                    theme_area=theme,
                    category=category,
                    title=title,
                    description=description,
                    expected_effect=Decimal(self.random.randrange(0, 50_000)) / 10 if n % 5 else None,
                    cost_estimate=Decimal(self.random.randrange(100, 50_000) * 1000),
                    status=("planned", "ongoing", "done")[n % 3],
                    state_cooperation_wanted=n % 4 == 0,
                    candidate_kind="pilot_project" if n % 25 == 0 else "",
                    sector=SECTORS[n % len(SECTORS)],
                    assessed_effect=Decimal(self.random.randrange(0, 40_000)) / 10 if n % 7 == 0 else None,
                    assessed_reason="Vurdert av koordinator" if n % 7 == 0 else "",
                )
            )
        return Measure.objects.bulk_create(measures, batch_size=2000)

    def _reviews(self, submitted, measures):
        from actionplans.models import Review, ReviewComment

        statuses = ["not_started", "in_progress", "comments_sent", "completed", "completed"]
        reviews = Review.objects.bulk_create(
            [
                Review(
                    programme=p,
                    theme_area=theme,
                    status=statuses[(p.pk + t) % len(statuses)],
                    assessment="Vurdering av temaet: programmet er godt forankret, men effektene bør dokumenteres.",
                    completed_at=self.now if statuses[(p.pk + t) % len(statuses)] == "completed" else None,
                    reviewed_draft_id=p.submitted_draft_id,
                )
                for p in submitted
                for t, theme in enumerate(self.themes)
            ],
            batch_size=2000,
        )
        by_place = {}
        for m in measures:
            by_place.setdefault((m.programme_id, m.theme_area_id), []).append(m)
        coordinator = {c.memberships.get().theme_area_id: c for c in self.coordinators}
        comments = []
        for review in reviews:
            if review.status == "not_started":
                continue
            for k, measure in enumerate(by_place.get((review.programme_id, review.theme_area_id), [])[:2]):
                comments.append(
                    ReviewComment(
                        review=review,
                        measure=measure,
                        text=COMMENTS[(review.pk + k) % len(COMMENTS)],
                        author=coordinator[review.theme_area_id],
                        created_at=self.now - datetime.timedelta(days=3, hours=k),
                    )
                )
        ReviewComment.objects.bulk_create(comments, batch_size=2000)

    def _agreements(self, count, cities):
        from agreements.models import Agreement, Party
        from cities.models import City

        statuses = Agreement.Status.values
        kinds = ["long_term_economic", "pilot_project", "competence_building", "joint_study", "shared_data"]
        agreements = Agreement.objects.bulk_create(
            [
                Agreement(
                    title=f"Avtale {self.size['agreements'] + n}: {OBJECTS[THEMES[n % 4][0]][n % 10]}",
                    kind=kinds[n % len(kinds)],
                    status=statuses[n % len(statuses)],
                    value=Decimal(1_000_000 * (n % 50 + 1)) if n % 3 else None,
                    created_by=self.manager,
                )
                for n in range(count)
            ],
            batch_size=2000,
        )
        city_ids = list(City.objects.order_by("pk").values_list("pk", flat=True)[:cities])
        parties = []
        for n, agreement in enumerate(agreements):
            for city_id in {city_ids[n % len(city_ids)], city_ids[(7 * n + 3) % len(city_ids)]}:
                parties.append(Party(agreement=agreement, city_id=city_id))
            parties.append(Party(agreement=agreement, organisation=self.organisations[n % len(self.organisations)]))
        Party.objects.bulk_create(parties, batch_size=2000)
        through = Agreement.theme_areas.through
        through.objects.bulk_create(
            [through(agreement=a, themearea=self.themes[n % len(self.themes)]) for n, a in enumerate(agreements)],
            batch_size=2000,
        )

    def _meetings(self, count, cities):
        from cities.models import City
        from meetings.models import ActionItem, Decision, Meeting, Minutes

        kinds = Meeting.Kind.values
        hosts = list(City.objects.order_by("pk")[: max(cities, 1)])
        meetings = []
        for n in range(count):
            # Half held in the past year, half planned for the next.
            days = (n * 365 // max(count, 1)) - 182
            starts = self.now + datetime.timedelta(days=days, hours=n % 8)
            meetings.append(
                Meeting(
                    kind=kinds[n % len(kinds)],
                    title=f"Møte {self.size['meetings'] + n}",
                    host_city=hosts[(7 * n) % len(hosts)],
                    venue="Rådhuset",
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=5),
                    status="held" if days < 0 else "planned",
                    created_by=self.manager,
                )
            )
        meetings = Meeting.objects.bulk_create(meetings)
        through = Meeting.theme_areas.through
        through.objects.bulk_create(
            [through(meeting=m, themearea=self.themes[n % len(self.themes)]) for n, m in enumerate(meetings)]
        )
        held = [m for m in meetings if m.status == "held"]
        minutes = Minutes.objects.bulk_create(
            [
                Minutes(
                    meeting=m,
                    main_points="Hovedpunkter fra møtet.",
                    status="published",
                    approved_by=self.manager,
                    approved_at=m.ends_at,
                    published_at=m.ends_at,
                )
                for m in held
            ]
        )
        Decision.objects.bulk_create(
            [
                Decision(minutes=mi, order=k, text=f"Vedtak {k} fra {mi.meeting.title}.")
                for mi in minutes
                for k in (1, 2)
            ]
        )
        ActionItem.objects.bulk_create(
            [
                ActionItem(
                    minutes=mi,
                    text=f"Oppfølging {k} fra {mi.meeting.title}",
                    owner=self.manager,
                    due_date=(mi.meeting.ends_at + datetime.timedelta(days=30 * k)).date(),
                    status="done" if (mi.pk + k) % 3 else "open",
                )
                for mi in minutes
                for k in (1, 2)
            ]
        )
