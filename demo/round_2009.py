"""The round of 2009: the cities' first action programmes, from the drafts of autumn 2008 to the
reviews of spring 2009, replayed through the services at the moments they happened.

On 16.12.2008 the coordination group moved the deadline from year end to 15.01.2009, wished for
early submission so that the coordinators could start, and asked for no uniform template. Three
cities submitted at year end, most in the days before 15.01, and Tromsø, whose council met on 22.01,
asked for and got a date of its own. The coordinators reviewed each programme in their theme
(comments on measures, answers from the cities, agreement candidates), and the hired consultant
reviewed each one across the themes, linking measures that depend on each other.

The measures are in measures-2009.csv, a row each: the city, the theme area's code, the category
(empty for none), title, description, expected effect in t CO₂e per year (empty: not estimated),
cost in NOK, status, whether the city wants the state's cooperation (yes/no), the agreement kind its
coordinator marks it as a candidate for (empty for none), and the version of the city's document
that first lists it.
"""

import csv
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from actionplans import analysis, services
from actionplans.models import Deadline, Measure, MeasureCategory, Review, Round
from demo import documents
from demo.clock import at, is_working_day, when
from demo.people import COORDINATORS, DEMO_DIR
from demo.sectors import sector_of

SLUG = "handlingsprogram-2009"
MEASURES_FILE = DEMO_DIR / "measures-2009.csv"
D = datetime.date

OPENED = when(D(2008, 6, 18), 10)  # the day after the letter of intent was signed
FIRST_DUE = D(2008, 12, 31)
NEW_DUE = D(2009, 1, 15)
EXTENDED_AT = when(D(2008, 12, 16), 15)
EXTENSION_REASON = (
    "Flere byer trenger mer tid for å gjøre ferdig det administrative utkastet, og fristen flyttes derfor "
    "fra årsskiftet til 15.01.2009. Byer som har et utkast klart ved årsskiftet, bes sterkt om å sende det "
    "inn da, slik at koordinatorene kan begynne gjennomgangen av sine temaområder. Byene står fortsatt fritt "
    "i hvordan programmet utformes; det kreves ingen felles mal."
)

# Stavanger and Sandnes wrote one joint programme. The portal keeps one programme per city and round
# (reminders, reviews and access are per city), so each of the two uploads and submits the same joint
# document, and the measures they share are entered in both programmes. In measures-2009.csv the
# effect and cost of a shared measure are each city's share, so that the total counts it once.
JOINT = ("stavanger", "sandnes")
JOINT_TITLE = "Felles handlingsprogram for Stavanger og Sandnes"

# The versions of each city's document: (day, hour, minute, note), uploaded by the city's contact.
JOINT_DRAFTS = (
    (D(2008, 11, 14), 13, 0, "Felles administrativt utkast for Stavanger og Sandnes"),
    (D(2009, 1, 9), 10, 0, "Felles program for Stavanger og Sandnes, etter politisk behandling i begge byene"),
)
DRAFTS = {
    "bergen": (
        (D(2008, 10, 15), 14, 0, "Administrativt utkast"),
        (D(2008, 11, 28), 11, 30, "Revidert etter nettverkssamlingene"),
        (D(2008, 12, 22), 15, 0, "Etter behandling i byrådet"),
    ),
    "trondheim": (
        (D(2008, 10, 22), 10, 0, "Administrativt utkast"),
        (D(2008, 12, 17), 13, 0, "Etter behandling i formannskapet"),
    ),
    "kristiansand": ((D(2008, 12, 19), 12, 0, "Administrativt utkast, godkjent av rådmannen"),),
    "oslo": (
        (D(2008, 11, 5), 9, 30, "Administrativt utkast fra byrådsavdelingen"),
        (D(2009, 1, 8), 14, 0, "Etter behandling i byrådet"),
    ),
    "baerum": (
        (D(2008, 11, 12), 10, 0, "Administrativt utkast"),
        (D(2009, 1, 13), 13, 30, "Etter behandling i formannskapet"),
    ),
    "drammen": (
        (D(2008, 10, 29), 11, 0, "Administrativt utkast"),
        (D(2008, 12, 10), 14, 0, "Revidert etter innspill fra etatene"),
        (D(2009, 1, 9), 9, 0, "Etter politisk behandling"),
    ),
    "sarpsborg": (
        (D(2008, 11, 24), 13, 0, "Administrativt utkast"),
        (D(2009, 1, 7), 15, 0, "Etter politisk behandling"),
    ),
    "fredrikstad": (
        (D(2008, 11, 20), 10, 30, "Administrativt utkast"),
        (D(2009, 1, 12), 12, 0, "Etter behandling i formannskapet"),
    ),
    "porsgrunn": (
        (D(2008, 12, 3), 9, 0, "Administrativt utkast"),
        (D(2009, 1, 13), 11, 0, "Etter politisk behandling"),
    ),
    "skien": (
        (D(2008, 12, 1), 14, 0, "Administrativt utkast"),
        (D(2009, 1, 12), 10, 0, "Etter politisk behandling"),
    ),
    "tromso": (
        (D(2008, 11, 27), 12, 0, "Administrativt utkast"),
        (D(2009, 1, 9), 11, 0, "Innstilling til kommunestyret"),
        (D(2009, 1, 22), 15, 0, "Vedtatt i kommunestyret 22.01.2009"),
    ),
    "stavanger": JOINT_DRAFTS,
    "sandnes": JOINT_DRAFTS,
}

# When each city submitted, in that order: three at year end, as the coordination group wished, the
# others in the days before the new deadline, and Tromsø after its council's meeting.
SUBMISSIONS = {
    "bergen": (D(2008, 12, 29), 14, 0),
    "trondheim": (D(2008, 12, 30), 11, 0),
    "kristiansand": (D(2008, 12, 31), 10, 30),
    "sarpsborg": (D(2009, 1, 12), 14, 0),
    "drammen": (D(2009, 1, 13), 9, 30),
    "skien": (D(2009, 1, 14), 9, 0),
    "baerum": (D(2009, 1, 14), 11, 0),
    "porsgrunn": (D(2009, 1, 14), 15, 0),
    "stavanger": (D(2009, 1, 15), 10, 0),
    "sandnes": (D(2009, 1, 15), 10, 20),
    "fredrikstad": (D(2009, 1, 15), 11, 30),
    "oslo": (D(2009, 1, 15), 13, 0),
    "tromso": (D(2009, 1, 22), 15, 30),
}

# Tromsø asks for a date after its council's meeting; the programme management grants it.
LATE = "tromso"
LATE_ASKED_AT = when(D(2009, 1, 12), 10, 15)
LATE_DATE = D(2009, 1, 23)
LATE_REASON = (
    "Kommunestyret behandler handlingsprogrammet i møtet 22.01.2009. Vi ber om frist til dagen etter, "
    "slik at det er det vedtatte programmet som sendes inn."
)
LATE_DECIDED_AT = when(D(2009, 1, 13), 11, 0)
LATE_DECISION = "Innvilget. Send inn programmet så snart kommunestyret har gjort vedtak."

# The coordinators began with the programmes sent at year end, and with the others the day after
# the deadline; the last reviews were completed by the end of March.
EARLY_REVIEWS_FROM = D(2009, 1, 5)
REVIEWS_FROM = D(2009, 1, 16)
LAST_REVIEW_DAY = D(2009, 3, 27)
# Reviews whose comments were sent and not yet followed up by the end of March.
STILL_COMMENTS_SENT = {("tromso", "atp"), ("porsgrunn", "adaptation"), ("skien", "energy")}
CROSS_THEME_FROM = D(2009, 2, 2)
CROSS_THEME_IN_PROGRESS = {"porsgrunn", "tromso"}

# The links the consultant found between a city's measures in two theme areas: (city, title, title, how).
LINKS = [
    (
        "oslo",
        "Færre parkeringsplasser i sentrum",
        "Åpne bekker og blågrønne tak",
        "Arealer som frigjøres fra gateparkering, kan brukes til åpne bekker og lokal overvannshåndtering.",
    ),
    (
        "oslo",
        "Utvidet fjernvarmenett",
        "Kildesortering av matavfall",
        "Restavfallet etter sorteringen går til energigjenvinning i fjernvarmen.",
    ),
    (
        "bergen",
        "Fortetting langs Bybanen",
        "Fjernvarme fra energigjenvinningsanlegget i Rådalen",
        "Tettere utbygging langs banen gjør det lønnsomt å knytte de nye byggene til fjernvarmen.",
    ),
    (
        "bergen",
        "Fortetting langs Bybanen",
        "Kartlegging av skredfare",
        "Nye byggeområder langs banen må avklares mot skred- og flomfare.",
    ),
    (
        "trondheim",
        "Fortetting langs kollektivaksene",
        "Utbygging av fjernvarme fra Heimdal varmesentral",
        "Tilknytningsplikten til fjernvarmen bør gjelde i fortettingsområdene.",
    ),
    (
        "trondheim",
        "Fortetting langs kollektivaksene",
        "Overvannshåndtering i nye byggeområder",
        "Fortetting gir mer tette flater, og overvannet må håndteres i de samme planene.",
    ),
    (
        "trondheim",
        "Miljøpakken: bedre busstilbud",
        "Biogass fra matavfall og slam",
        "Biogassen kan brukes som drivstoff i bussene i Miljøpakken.",
    ),
    (
        "drammen",
        "Fortetting rundt Drammen stasjon",
        "Fjernvarme med varmepumpe i Drammenselva",
        "De nye byggene ved stasjonen er det viktigste kundegrunnlaget for fjernvarmen.",
    ),
    (
        "drammen",
        "Fortetting rundt Drammen stasjon",
        "Flomsikring langs Drammenselva",
        "Transformasjonsområdene ligger lavt ved elva og må flomsikres før de bygges ut.",
    ),
    (
        "kristiansand",
        "Utfasing av oljefyr i kommunale bygg",
        "Klimaregnskap for kommunens virksomhet",
        "Klimaregnskapet skal vise hva utfasingen av oljefyrene gir.",
    ),
    (
        "baerum",
        "Fortetting ved stasjonene i Sandvika og på Stabekk",
        "Overvannsplan for Sandvikselva og Lysakerelva",
        "Fortettingen i Sandvika ligger i nedbørfeltet til Sandvikselva.",
    ),
    (
        "baerum",
        "Klimavennlige innkjøp",
        "Energieffektivisering i kommunale bygg",
        "Energikrav i rammeavtalene for utstyr og byggevarer støtter energiarbeidet i byggene.",
    ),
    (
        "fredrikstad",
        "Bypakke Nedre Glomma: bedre bussforbindelser",
        "Miljøkrav i kommunens anskaffelser",
        "Miljøkrav når busstjenestene kjøpes inn, gir renere busser i bypakken.",
    ),
    (
        "sarpsborg",
        "Fjernvarme fra energigjenvinningsanlegget",
        "Avfallsforebygging i kommunen og husholdningene",
        "Mindre avfall endrer brenselsgrunnlaget for energigjenvinningen; tiltakene bør planlegges sammen.",
    ),
    (
        "sarpsborg",
        "Bypakke Nedre Glomma: kollektivfelt og knutepunkter",
        "Kartlegging av kvikkleireområder",
        "Knutepunktet ved stasjonen ligger i et område med kvikkleire som må kartlegges først.",
    ),
    (
        "porsgrunn",
        "Fortetting i Porsgrunn sentrum",
        "Spillvarme fra industrien på Herøya",
        "Tettere bebyggelse i sentrum gir kunder til fjernvarmen fra Herøya.",
    ),
    (
        "porsgrunn",
        "Fortetting i Porsgrunn sentrum",
        "Overvann og flom i Porsgrunnselva",
        "Sentrum ligger lavt ved elva, og fortettingen må ta hensyn til flom og overvann.",
    ),
    (
        "skien",
        "Klimavennlige reisevaner for kommunens ansatte",
        "Klimaregnskap for kommunens virksomhet",
        "De ansattes reiser inngår i klimaregnskapet og viser om reisevaneplanen virker.",
    ),
    (
        "tromso",
        "Fjernvarme fra avfallsforbrenning",
        "Kildesortering og energigjenvinning av restavfall",
        "Restavfallet fra sorteringen er brenselet i fjernvarmen.",
    ),
    *(
        (
            city,
            "Fortetting langs Jærbanen",
            "Energisentral på Forus",
            "Nye bygg ved stasjonene på Forus kan knyttes til energisentralen.",
        )
        for city in JOINT
    ),
]

# What the coordinators asked about a measure, and how the cities answered (a few answers each,
# taken in turn). "{title}" is a linked measure in another theme area, "{agency}" the theme's state bodies.
QUESTIONS = {
    "effect": "Hvordan er effekten beregnet? Oppgi gjerne forutsetningene og hvilket år tallet gjelder for.",
    "unquantified": "Effekten er ikke oppgitt. Kan den anslås, eller er tiltaket først og fremst et verktøy "
    "for de andre tiltakene?",
    "state": "Hva slags statlig medvirkning ønsker byen her, og fra hvilken etat?",
    "funding": "Er tiltaket finansiert? Oppgi gjerne hvor mye som ligger i økonomiplanen.",
    "link": "Kan dette ses i sammenheng med «{title}»? Tiltakene ser ut til å avhenge av hverandre.",
    "projections": "Hvilke klimaframskrivinger bygger tiltaket på?",
    "responsibility": "Hvem i kommunen har ansvaret for oppfølgingen, og når skal arbeidet være ferdig?",
    "schedule": "Når regner byen med at tiltaket er gjennomført?",
    "follow_up": "Tiltaket er gjennomført. Hvordan følger byen opp at det virker?",
}
ANSWERS = {
    "effect": (
        "Effekten er anslått ut fra kommunens utslippstall fra SSB og forventet nedgang i biltrafikk og "
        "oljebruk. Vi sender beregningen til koordinatoren.",
        "Beregningen bygger på erfaringstall fra lignende tiltak i andre byer og gjelder for 2012. Vi "
        "oppdaterer den når tiltaket er detaljplanlagt.",
    ),
    "unquantified": (
        "Regnskapet gir ingen reduksjon i seg selv, men skal vise effekten av de andre tiltakene fra 2010.",
        "Det er et verktøy. Vi tar gjerne del i et felles opplegg med de andre byene for hvordan slike regnskap føres.",
    ),
    "state": (
        "Vi ønsker faglig bistand og delfinansiering fra {agency}, og tar gjerne opp dette i nettverket.",
        "Det viktigste for oss er en langsiktig avtale med {agency}, slik at tiltaket kan planlegges over flere år.",
    ),
    "funding": (
        "Tiltaket ligger inne i økonomiplanen for 2009–2012, men full utbygging forutsetter statlige midler.",
        "Finansieringen er ikke avklart ennå. Den tas opp i budsjettarbeidet for 2010.",
    ),
    "link": (
        "Ja, tiltakene planlegges sammen, og vi beskriver koblingen tydeligere når programmet rulleres.",
        "Godt poeng. Vi ser på dette i arbeidet med kommuneplanens arealdel.",
    ),
    "projections": (
        "Vi bygger på framskrivingene fra Meteorologisk institutt og NVEs flomsonekart, og avklarer dette "
        "med fylkesmannen.",
        "Foreløpig på de nasjonale framskrivingene. Vi ønsker hjelp til å bruke dem lokalt.",
    ),
    "responsibility": (
        "Teknisk sektor har ansvaret, og arbeidet skal være ferdig i løpet av 2010.",
        "Plan- og bygningsetaten leder arbeidet sammen med beredskapsrådgiveren; det er ferdig høsten 2009.",
    ),
    "schedule": (
        "Tiltaket gjennomføres i perioden 2009–2012, med de første resultatene i 2010.",
        "Oppstart er planlagt i 2009, og tiltaket skal være fullført innen 2011.",
    ),
    "follow_up": (
        "Vi teller bruken hvert år og rapporterer resultatene i årsmeldingen.",
        "Driften følges opp av etaten, og vi måler effekten på nytt i 2010.",
    ),
}
AGENCIES = {
    "atp": "Samferdselsdepartementet og Statens vegvesen",
    "energy": "Enova og Husbanken",
    "consumption": "Miljøverndepartementet og Difi",
    "adaptation": "NVE og DSB",
}
CANDIDATE_WORDS = {
    "long_term_economic": "en langsiktig økonomisk avtale med staten",
    "pilot_project": "et pilotprosjekt",
    "competence_building": "kompetanseoppbygging",
    "joint_study": "en felles utredning med andre byer",
    "shared_data": "felles datagrunnlag og verktøy",
}


@dataclass(frozen=True)
class Row:
    city: str
    theme: str
    category: str
    title: str
    description: str
    effect: Decimal | None
    cost: Decimal | None
    status: str
    state_cooperation: bool
    candidate: str
    version: int


def rows():
    """The measures of measures-2009.csv, by city slug."""
    by_city = {}
    with open(MEASURES_FILE, encoding="utf-8") as f:
        for raw in csv.DictReader(f):
            row = Row(
                city=raw["city"],
                theme=raw["theme"],
                category=raw["category"],
                title=raw["title"],
                description=raw["description"],
                effect=Decimal(raw["effect"]) if raw["effect"] else None,
                cost=Decimal(raw["cost"]) if raw["cost"] else None,
                status=raw["status"],
                state_cooperation=raw["state_cooperation"] == "yes",
                candidate=raw["candidate"],
                version=int(raw["version"]),
            )
            by_city.setdefault(row.city, []).append(row)
    return by_city


def seed(demo):
    if Round.objects.filter(slug=SLUG).exists():
        return
    round_ = _open_round(demo)
    programmes = {p.city.slug: p for p in round_.programmes.select_related("city")}
    measures = rows()
    for slug, programme in programmes.items():
        _write(programme, measures[slug], demo)
    _ask_for_time(programmes[LATE], demo)
    for slug, (day, hour, minute) in SUBMISSIONS.items():
        moment = when(day, hour, minute)
        with at(moment):
            services.submit_programme(programmes[slug], by=demo.users[f"kontakt-{slug}"], now=moment)
    submitted = list(round_.programmes.select_related("city").order_by("submitted_at"))
    candidates = {(slug, row.title): row.candidate for slug, city_rows in measures.items() for row in city_rows}
    links = _link_partners(round_)
    _theme_reviews(demo, submitted, candidates, links)
    _cross_theme_reviews(demo, submitted, links["pairs"])


def _open_round(demo):
    with at(OPENED):
        round_ = Round.objects.create(
            name="Handlingsprogram 2009",
            slug=SLUG,
            description="Byenes første handlingsprogrammer i Framtidens byer, med tiltak innen de fire "
            "temaområdene, sendt til Miljøverndepartementet. Byene velger selv hvordan programmet "
            "utformes; det er ingen felles mal.",
        )
        deadline = Deadline.objects.create(round=round_, due_date=FIRST_DUE)
        services.ensure_programmes(round_)
    with at(EXTENDED_AT):
        services.extend_deadline(
            deadline,
            new_date=NEW_DUE,
            reason=EXTENSION_REASON,
            by=demo.users["departementet"],
            decided_by_text="Koordineringsgruppen, 16.12.2008",
        )
    return round_


def _write(programme, city_rows, demo):
    """The city's versions, each uploaded after the measures it is the first to list were entered."""
    slug = programme.city.slug
    contact = demo.users[f"kontakt-{slug}"]
    drafts = DRAFTS[slug]
    categories = {(c.theme_area.code, c.name_nb): c for c in MeasureCategory.objects.select_related("theme_area")}
    for number, (day, hour, minute, note) in enumerate(drafts, start=1):
        moment = when(day, hour, minute)
        with at(moment - datetime.timedelta(minutes=40)):
            for row in city_rows:
                if row.version == number:
                    Measure.objects.create(
                        programme=programme,
                        theme_area=demo.themes[row.theme],
                        category=categories[row.theme, row.category] if row.category else None,
                        title=row.title,
                        description=row.description,
                        expected_effect=row.effect,
                        cost_estimate=row.cost,
                        status=row.status,
                        sector=sector_of(row.theme, row.category),
                        state_cooperation_wanted=row.state_cooperation,
                    )
        documents.upload(programme, by=contact, moment=moment, note=note, title=JOINT_TITLE if slug in JOINT else "")


def _ask_for_time(programme, demo):
    with at(LATE_ASKED_AT):
        request = services.request_extension(
            programme, new_date=LATE_DATE, reason=LATE_REASON, by=demo.users[f"kontakt-{programme.city.slug}"]
        )
    with at(LATE_DECIDED_AT):
        services.decide_extension(request, approve=True, comment=LATE_DECISION, by=demo.users["departementet"])


def _link_partners(round_):
    """For each measure in LINKS, the measure it is linked with: {measure pk: partner}; the pairs in order."""
    by_key = {
        (m.programme.city.slug, m.title): m
        for m in Measure.objects.filter(programme__round=round_).select_related("programme__city", "theme_area")
    }
    partners, pairs = {}, []
    for city, first, second, note in LINKS:
        a, b = by_key[city, first], by_key[city, second]
        partners.setdefault(a.pk, b)
        partners.setdefault(b.pk, a)
        pairs.append((city, a, b, note))
    return {"partners": partners, "pairs": pairs}


# Days and moments


def add_working_days(day, count):
    """The working day `count` working days after `day` (`day` itself, if a working day, for 0)."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    while count:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def _partner_city(programme):
    """The other city of the joint programme of Stavanger and Sandnes."""
    return {"stavanger": "Sandnes", "sandnes": "Stavanger"}[programme.city.slug]


def _number(count):
    """A small number in words, as Norwegian prose writes it ("ett tiltak", "tre av tiltakene")."""
    words = ["ingen", "ett", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "ti", "elleve", "tolv"]
    return words[count] if count < len(words) else str(count)


def _tonnes(value):
    return f"{int(value or 0):,}".replace(",", " ")


# The reviews per theme area


def _theme_reviews(demo, submitted, candidates, links):
    turn = 0
    for theme_index, (code, username) in enumerate(COORDINATORS.items()):
        theme, coordinator = demo.themes[code], demo.users[username]
        early = [p for p in submitted if p.submitted_at.date() < D(2009, 1, 1)]
        rest = [p for p in submitted if p not in early]
        for queue, start in ((early, EARLY_REVIEWS_FROM), (rest, REVIEWS_FROM)):
            for k, programme in enumerate(queue):
                day = add_working_days(start, (k + theme_index) // 2)
                day = max(day, add_working_days(programme.submitted_at.date(), 1))
                _theme_review(demo, programme, theme, coordinator, day, turn, candidates, links)
                turn += 1


def _questions(measure, code, turn, partner):
    kinds = []
    if partner is not None:
        kinds.append("link")
    if code == "adaptation":
        kinds += ["projections", "responsibility"]
    elif measure.expected_effect is None:
        kinds.append("unquantified")
    elif measure.expected_effect >= 1000:
        kinds.append("effect")
    if measure.state_cooperation_wanted:
        kinds.append("state")
    if measure.status == Measure.Status.PLANNED and (measure.cost_estimate or 0) >= 10_000_000:
        kinds.append("funding")
    if len(kinds) < 2:
        kinds.append("follow_up" if measure.status == Measure.Status.DONE else "schedule")
    kind = kinds[turn % len(kinds)]
    return kind, QUESTIONS[kind].format(title=partner.title if partner else "")


def _theme_review(demo, programme, theme, coordinator, day, turn, candidates, links):
    slug = programme.city.slug
    contact = demo.users[f"kontakt-{slug}"]
    measures = list(programme.measures.filter(theme_area=theme).order_by("pk"))
    with at(when(day, 9, 0)):
        review = services.review_for(programme, theme)
    marked = []
    with at(when(day, 9, 30)):
        for measure in measures:
            kind = candidates[slug, measure.title]
            if kind:
                services.mark_candidate(measure, kind=kind, by=coordinator)
                marked.append(measure)
    # The candidates and the measures the city wants the state's help with are asked about first.
    asked = sorted(measures, key=lambda m: (not candidates[slug, m.title], not m.state_cooperation_wanted, m.pk))
    asked = asked[: 1 + turn % 3]
    comments = []
    for i, measure in enumerate(asked):
        kind, text = _questions(measure, theme.code, turn + i, links["partners"].get(measure.pk))
        with at(when(day, 10, 20 * i)):
            comments.append((services.add_comment(review, measure=measure, text=text, by=coordinator), kind))
    assessment = _assessment(programme, theme, measures, marked)
    with at(when(day, 14, 30)):
        services.update_review(review, assessment=assessment, status=Review.Status.COMMENTS_SENT, by=coordinator)
    answered, last = [], day
    for i, (comment, kind) in enumerate(comments):
        if (turn + i) % 7 == 3:  # left unanswered
            continue
        reply_day = add_working_days(day, 2 + (turn + i) % 3)
        text = ANSWERS[kind][(turn + i) % len(ANSWERS[kind])].format(agency=AGENCIES[theme.code])
        with at(when(reply_day, 13, 10 * i)):
            services.reply_to_comment(comment, text=text, by=contact)
        answered.append(comment)
        last = max(last, reply_day)
    if (slug, theme.code) in STILL_COMMENTS_SENT:
        return
    done = min(add_working_days(last, 4 + (turn * 7) % 25), LAST_REVIEW_DAY)
    for i, comment in enumerate(answered):
        if (turn + i) % 2 == 0:
            with at(when(done, 10, 10 * i)):
                services.resolve_comment(comment, by=coordinator, version=None)
    if not answered:
        closing = " Gjennomgangen er avsluttet."
    elif len(answered) < len(comments):
        closing = " Byen har svart på en del av kommentarene, og gjennomgangen er avsluttet."
    else:
        closing = " Byen har svart på kommentarene, og gjennomgangen er avsluttet."
    with at(when(done, 15, 0)):
        services.update_review(review, assessment=assessment + closing, status=Review.Status.COMPLETED, by=coordinator)


def _assessment(programme, theme, measures, marked):
    """The coordinator's general assessment of one theme of a programme."""
    categories = {m.category.name_nb for m in measures if m.category}
    effect = programme.measures.filter(theme_area=theme).aggregate(total=Sum("expected_effect"))["total"]
    if theme.code == "adaptation":
        they = "Tiltaket gir" if len(measures) == 1 else "Tiltakene gir"
        parts = [
            f"Programmet har {_number(len(measures))} tiltak innen klimatilpasning. {they} ingen direkte "
            "utslippsreduksjon, men er viktige for å møte mer nedbør, flom og havnivåstigning."
        ]
    else:
        parts = [
            f"Programmet har {_number(len(measures))} tiltak innen {theme.name_nb.lower()}, med en samlet "
            f"forventet effekt på {_tonnes(effect)} tonn CO₂e per år."
        ]
    parts += [sentence for category, sentence in THEME_REMARKS[theme.code] if category in categories][:2]
    if theme.code == "atp" and "Parkeringspolitikk" not in categories:
        parts.append("Programmet sier lite om parkeringspolitikk, som er et av de sterkeste virkemidlene.")
    parts += [f"«{m.title}» foreslås som kandidat til {CANDIDATE_WORDS[m.candidate_kind]}." for m in marked]
    wanted = sum(1 for m in measures if m.state_cooperation_wanted)
    if wanted:
        parts.append(f"Byen ønsker statlig medvirkning i {_number(wanted)} av tiltakene.")
    if programme.city.slug in JOINT:
        parts.append(
            f"Programmet er felles med {_partner_city(programme)}, og tiltakene er de samme i begge byenes programmer."
        )
    return " ".join(parts)


# (category, remark) per theme: a remark is made when the theme's measures include that category.
THEME_REMARKS = {
    "atp": [
        ("Kollektivtransport", "Kollektivsatsingen er godt beskrevet og bør kobles tett til arealpolitikken."),
        ("Fortetting ved knutepunkter", "Fortettingen ved knutepunktene er konkret og knyttet til kollektivnettet."),
        ("Parkeringspolitikk", "Parkeringstiltakene styrker kollektivsatsingen."),
        ("Sykkel", "Sykkeltiltakene trenger tallfestede mål for sykkelandelen."),
        ("Gange", "Tiltaket for gående er et godt eksempel for de andre byene."),
    ],
    "energy": [
        ("Fjernvarme", "Fjernvarmen gir det meste av effekten og bør ses i sammenheng med arealplanene."),
        ("Passivhus", "Satsingen på passivhus gir et godt grunnlag for kompetanseoppbygging med Husbanken og Enova."),
        ("Utfasing av oljefyr", "Utfasing av oljefyr gir rask og sikker effekt."),
        ("Energieffektivisering", "Energiarbeidet i kommunens egne bygg er godt forankret."),
    ],
    "consumption": [
        ("Avfallsforebygging", "Avfallsforebyggingen kan inngå i en felles utredning med de andre byene."),
        ("Innkjøp", "Miljøkravene i innkjøp kan styrkes med kurs for innkjøperne."),
        ("Kildesortering", "Kildesorteringen er godt i gang, men effekten avhenger av hvordan avfallet behandles."),
    ],
    "adaptation": [
        ("Flom og skred", "Kartleggingen av flom og skred bør gjøres i samarbeid med NVE."),
        ("Havnivå", "Havnivåstigning er tatt inn i planleggingen langs sjøen."),
        ("Overvann", "Overvannstiltakene bør forankres i kommuneplanen."),
        ("Klimatilpasning i planer", "Det er bra at klimatilpasning skrives inn i kommuneplanen."),
    ],
}


# The cross-theme review


def _cross_theme_reviews(demo, submitted, pairs):
    consultant = demo.users["konsulent"]
    for k, programme in enumerate(submitted):
        slug = programme.city.slug
        day = add_working_days(CROSS_THEME_FROM, 3 * k)
        with at(when(day, 9, 0)):
            review = services.review_for(programme, None)
        own = [(a, b, note) for city, a, b, note in pairs if city == slug]
        for i, (a, b, note) in enumerate(own):
            with at(when(day, 10, 15 * i)):
                services.link_measures(a, b, note=note, by=consultant)
        assessment = _cross_assessment(programme, own)
        with at(when(day, 15, 0)):
            services.update_review(review, assessment=assessment, status=Review.Status.IN_PROGRESS, by=consultant)
        if slug in CROSS_THEME_IN_PROGRESS:
            continue
        closing = " Koblingene bør følges opp når programmet rulleres."
        with at(when(add_working_days(day, 2), 14, 0)):
            services.update_review(
                review, assessment=assessment + closing, status=Review.Status.COMPLETED, by=consultant
            )


def _cross_assessment(programme, own):
    by_theme = [t for t in analysis.programme_effect_by_theme(programme) if t["effect"]]
    largest = max(by_theme, key=lambda t: t["effect"])["theme_area__name_nb"].lower()
    totals = programme.measures.aggregate(effect=Sum("expected_effect"), count=Count("pk"))
    count, total = totals["count"], totals["effect"]
    parts = [
        f"Programmet har {_number(count)} tiltak i alle de fire temaområdene, med en samlet forventet effekt på "
        f"{_tonnes(total)} tonn CO₂e per år, mest innen {largest}."
    ]
    if own:
        parts.append("Gjennomgangen på tvers viser disse koblingene mellom temaområdene:")
        parts += [f"«{a.title}» og «{b.title}»: {note}" for a, b, note in own]
    if programme.city.slug in JOINT:
        parts.append(
            f"Programmet er felles med {_partner_city(programme)}; tiltakene og koblingene er de samme i begge byenes programmer, "
            "og effekten er fordelt mellom byene."
        )
    return " ".join(parts)
