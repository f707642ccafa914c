"""The round in progress, "Handlingsprogram <year>", due the next 15 January after the day the demo
is loaded. Eleven cities have drafts (their measures are in measures-current.csv), Porsgrunn and
Sarpsborg have not started, Oslo shares its draft with the coordinators, Bergen, Trondheim and
Fredrikstad have submitted early and their theme reviews are under way, and Tromsø waits for an
answer to its request for more time.

Every date is counted back from the day the demo is loaded, in working days, and every step is
replayed through the services at its moment, in the order it happened."""

import csv
import datetime
import functools
import itertools
from decimal import Decimal

from actionplans import lineage, services, sharing
from actionplans.models import AgreementKind, Deadline, Measure, MeasureCategory, Review, Round
from demo import documents
from demo.clock import at, is_working_day, when, working_days_back
from demo.people import COORDINATORS, DEMO_DIR
from demo.sectors import sector_of

MEASURES = DEMO_DIR / "measures-current.csv"

DESCRIPTION = (
    "Byene rullerer handlingsprogrammene sine: tiltakene oppdateres, nye kommer til, og effekt og kostnader "
    "regnes på nytt. Et program kan sendes inn før fristen, og tidlig innsending er ønsket – da kan "
    "koordinatorene begynne gjennomgangen mens de andre byene gjør seg ferdige."
)

# The days each city uploaded its versions, in working days before the day the demo is loaded
# (the measures of a version are entered the working day before it). The two cities not here have
# not started.
VERSIONS = {
    "bergen": (44, 30, 17),
    "oslo": (42, 28, 6),
    "trondheim": (40, 13),
    "stavanger": (38, 15),
    "fredrikstad": (36, 7),
    "baerum": (35, 10),
    "tromso": (34, 14),
    "drammen": (33, 9),
    "kristiansand": (25,),
    "sandnes": (20,),
    "skien": (18,),
}
NOT_STARTED = ("porsgrunn", "sarpsborg")
VERSION_NOTES = {
    1: "Første utkast, med tiltakene så langt.",
    2: "Nytt utkast med flere tiltak og oppdaterte kostnadsoverslag.",
    3: "Oppdatert utkast med de siste tiltakene.",
}
CITY_NOTES = {
    ("oslo", 3): "Oppdatert etter innspillene fra koordinatorene.",
    ("bergen", 3): "Versjonen byrådet har sluttet seg til, klar til innsending.",
    ("trondheim", 2): "Versjonen formannskapet har behandlet.",
    ("fredrikstad", 2): "Ferdig utkast etter behandling i formannskapet.",
}

# Early, as the round asks: (working days before the load, hour).
SUBMISSIONS = {"bergen": (16, 11), "trondheim": (11, 14), "fredrikstad": (6, 10)}
# Two cities start from their programme of 2009: one measure kept as it was, one carried over with a
# new estimate, one dropped with a reason (the rest left for later), the day before their first version.
CARRIED = {
    "stavanger": ("Denne effekten er nå beregnet med nye trafikktall.", "Gjennomført i 2012: erstattet av bypakken."),
    "drammen": ("Kostnadene er oppdatert etter anbudet.", "Lagt inn i den regionale planen for vassdraget."),
}

# Oslo lets the coordinators read its draft after its second version, and two of them leave a note.
OSLO_SHARED = 27
OSLO_NOTES = [
    (
        22,
        "atp",
        "Takk for at dere deler utkastet. Nullutslippssonen trenger en avklaring med staten om hjemmel og "
        "skilting – ta gjerne kontakt med Samferdselsdepartementet før programmet sendes inn.",
    ),
    (
        12,
        "adaptation",
        "Tiltakene for overvann er gode. Skriv gjerne hvilket havnivå byggehøydene i fjordbyen bygger på, og "
        "om det er tatt med en sikkerhetsmargin for stormflo.",
    ),
]

# Tromsø asks for two more weeks: its city council treats the programme late in January.
TROMSO_REQUEST = 3
TROMSO_EXTRA = datetime.timedelta(days=14)

Kind = AgreementKind
Status = Review.Status
# The theme reviews of the submitted programmes, by (city, theme): each step is (working days before
# the load, hour, minute, action, subject, value). A "comment" is the theme coordinator's, on the
# measure titled `subject` (None: on the theme in general); a "candidate" marks the measure an
# agreement candidate of kind `value`; "status" moves the review to `subject` with the assessment
# `value`; a "reply" is the city contact's answer to the comment on the measure.
REVIEWS = {
    ("bergen", "atp"): [
        (
            15,
            10,
            0,
            "comment",
            "Bybanen til Åsane",
            "Hvordan er effekten på 6 000 tonn beregnet? Oppgi gjerne forutsetningene om reisevaner og hvor stor "
            "del av trafikkveksten banen skal ta.",
        ),
        (15, 10, 20, "candidate", "Bybanen til Åsane", Kind.LONG_TERM_ECONOMIC),
        (
            15,
            11,
            0,
            "comment",
            "Elektriske busser og ferjer",
            "Busser og ferjer drives av fylkeskommunen. Beskriv gjerne hvordan kommunen og fylkeskommunen deler "
            "ansvaret og kostnadene.",
        ),
        (
            14,
            9,
            30,
            "comment",
            None,
            "Parkeringstiltaket er beskjedent sammenlignet med de andre byene. Vurder å se parkeringspolitikken "
            "i sammenheng med byvekstavtalen.",
        ),
        (
            14,
            10,
            0,
            "status",
            Status.COMMENTS_SENT,
            "Et gjennomarbeidet program der Bybanen og fortetting langs banen er den bærende satsingen. "
            "Effektberegningene bør begrunnes bedre før tiltakene drøftes som avtaler med staten.",
        ),
        (
            12,
            13,
            0,
            "reply",
            "Bybanen til Åsane",
            "Effekten er beregnet med transportmodellen for Bergensområdet og befolkningsveksten fram mot 2040. "
            "Vi sender beregningsnotatet til koordinatoren og legger det ved neste versjon.",
        ),
    ],
    ("bergen", "consumption"): [
        (
            13,
            9,
            0,
            "comment",
            "Utslippsfrie bygge- og anleggsplasser",
            "Flere byer i nettverket har nesten det samme tiltaket. Et felles opplegg for krav i kontraktene og "
            "tilgangen på elektriske maskiner kan være aktuelt.",
        ),
        (13, 9, 15, "candidate", "Utslippsfrie bygge- og anleggsplasser", Kind.COMPETENCE_BUILDING),
        (
            11,
            14,
            0,
            "comment",
            "Mindre matsvinn i kommunale kjøkken",
            "Oppgi gjerne hvordan matsvinnet skal måles, så effekten kan følges opp fra år til år.",
        ),
        (
            11,
            14,
            30,
            "status",
            Status.COMMENTS_SENT,
            "Tiltakene for avfall og innkjøp henger godt sammen. Utslippsfrie byggeplasser egner seg for et "
            "felles løft med de andre byene.",
        ),
    ],
    ("bergen", "energy"): [
        (
            10,
            10,
            0,
            "comment",
            "Nye skoler som plusshus",
            "Enova støtter nybygg med høye ambisjoner. Er det søkt om støtte, og hvilke skoler gjelder det?",
        ),
        (10, 10, 10, "candidate", "Nye skoler som plusshus", Kind.PILOT_PROJECT),
        (
            10,
            11,
            0,
            "status",
            Status.IN_PROGRESS,
            "Foreløpig: fjernvarmen og energioppgraderingen av skolene er godt beskrevet. Venter på svar om "
            "plusshusskolene.",
        ),
    ],
    ("bergen", "adaptation"): [
        (
            4,
            13,
            0,
            "status",
            Status.COMPLETED,
            "Tiltakene mot skred, overvann og stormflo bygger på kommunens risiko- og sårbarhetsanalyse og er godt "
            "begrunnet. Ingen merknader til denne versjonen.",
        ),
    ],
    ("trondheim", "energy"): [
        (
            10,
            9,
            30,
            "comment",
            "Fjernvarme uten fossil spisslast",
            "Når regner dere med at den fossile spisslasten er borte? Et årstall gjør tiltaket lettere å følge opp.",
        ),
        (
            10,
            10,
            0,
            "comment",
            "Nye kommunale bygg med lavt klimafotavtrykk",
            "Et godt tiltak. Kan erfaringene med massivtre og lavkarbonbetong deles med de andre byene i nettverket?",
        ),
        (10, 10, 5, "candidate", "Nye kommunale bygg med lavt klimafotavtrykk", Kind.COMPETENCE_BUILDING),
        (
            9,
            15,
            0,
            "status",
            Status.COMMENTS_SENT,
            "Et godt program for energi i bygg, med tydelige tiltak for fjernvarmen og de kommunale byggene.",
        ),
        (
            5,
            11,
            0,
            "reply",
            "Fjernvarme uten fossil spisslast",
            "Den fossile spisslasten skal være faset ut innen to år. Vi tar årstallet inn i tiltaksbeskrivelsen.",
        ),
    ],
    ("trondheim", "atp"): [
        (
            8,
            10,
            0,
            "comment",
            "Sykkelekspressveier til Tiller og Ranheim",
            "Hvor mange flere sykkelturer regner dere med, og hvordan er de regnet om til tonn CO₂?",
        ),
        (8, 10, 30, "candidate", "Metrobuss med elektriske busser", Kind.LONG_TERM_ECONOMIC),
    ],
    ("trondheim", "consumption"): [],
    ("trondheim", "adaptation"): [
        (
            3,
            14,
            0,
            "comment",
            "Kartlegging og sikring av kvikkleire",
            "NVE kartlegger kvikkleire over hele landet. Beskriv gjerne hvordan kommunens kartlegging bygger på den.",
        ),
        (3, 14, 20, "candidate", "Overvann håndteres på overflaten", Kind.JOINT_STUDY),
    ],
    ("fredrikstad", "consumption"): [
        (
            2,
            10,
            0,
            "comment",
            "Fossilfrie og utslippsfrie bygge- og anleggsplasser",
            "Når går kommunen over fra fossilfrie til utslippsfrie krav? En plan med årstall vil styrke tiltaket.",
        ),
    ],
    ("fredrikstad", "atp"): [],
    ("fredrikstad", "energy"): [],
    ("fredrikstad", "adaptation"): [],
}


def due_date(today):
    """The next 15 January: this year's if today is on or before it, else next year's."""
    this_year = datetime.date(today.year, 1, 15)
    return this_year if today <= this_year else datetime.date(today.year + 1, 1, 15)


def opening_day(today, due):
    """1 September before the due date, or twelve weeks before today if that is earlier (so that the
    round has had the time its drafts and reviews take), on a working day."""
    day = min(datetime.date(due.year - 1, 9, 1), today - datetime.timedelta(weeks=12))
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def seed(demo):
    """The round, once: nothing if it is there already."""
    due = due_date(demo.today)
    slug = f"handlingsprogram-{due.year}"
    if Round.objects.filter(slug=slug).exists():
        return
    opened = opening_day(demo.today, due)
    with at(when(opened, 9, 0)):
        round_ = Round.objects.create(name=f"Handlingsprogram {due.year}", slug=slug, description=DESCRIPTION)
        Deadline.objects.create(round=round_, due_date=due)
        services.ensure_programmes(round_)
    programmes = {p.city.slug: p for p in round_.programmes.select_related("city", "round__deadline")}

    def day(working_days):
        return max(working_days_back(demo.today, working_days), opened)

    events = [
        *_drafts(demo, programmes, day),
        *_submissions(demo, programmes, day),
        *_carry_overs(demo, programmes, day),
        *_oslo_shares(demo, programmes["oslo"], day),
        *_reviews(demo, programmes, day),
        _tromso_asks(demo, programmes["tromso"], day, due),
    ]
    order = itertools.count()
    for moment, _n, step in sorted((moment, next(order), step) for moment, step in events):
        with at(moment):
            step()


def _carry_overs(demo, programmes, day):
    for slug, (changed_note, dropped_reason) in CARRIED.items():
        programme, contact = programmes[slug], demo.users[f"kontakt-{slug}"]
        moment = when(day(VERSIONS[slug][0] + 2), 8, 30)
        yield moment, functools.partial(_carry_over, programme, contact, changed_note, dropped_reason)


def _carry_over(programme, contact, changed_note, dropped_reason):
    source = lineage.carry_source(programme)
    earlier = list(source.measures.order_by("theme_area__order", "pk"))
    kept, changed, dropped = earlier[0], earlier[1], earlier[-1]
    decisions = [(kept, services.KEEP, ""), (changed, services.CHANGE, ""), (dropped, services.DROP, dropped_reason)]
    copies = services.carry_over(programme, source=source, decisions=decisions, by=contact)
    copy = next(c for c in copies if c.carried_from_id == changed.pk)
    if copy.expected_effect:
        copy.expected_effect = (copy.expected_effect * Decimal("1.2")).quantize(Decimal("0.1"))
    copy.description = f"{copy.description} {changed_note}".strip()
    copy._history_user = contact
    services.save_measure(programme, _Entered(copy), by=contact)


def _rows():
    with open(MEASURES, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _drafts(demo, programmes, day):
    """Each city's measures, entered the working day before the version that first lists them, and
    its versions, uploaded by its contact."""
    categories = {(c.theme_area.code, c.name_nb): c for c in MeasureCategory.objects.select_related("theme_area")}
    rows = _rows()
    for index, (slug, versions) in enumerate(VERSIONS.items()):
        programme, contact = programmes[slug], demo.users[f"kontakt-{slug}"]
        for number, working_days in enumerate(versions, start=1):
            listed = [row for row in rows if row["city"] == slug and int(row["version"]) == number]
            entered = when(day(working_days + 1), 9, index)
            for position, row in enumerate(listed):
                moment = entered + datetime.timedelta(minutes=6 * position)
                yield moment, functools.partial(_enter, demo, programme, row, categories, contact)
            note = CITY_NOTES.get((slug, number), VERSION_NOTES[number])
            upload = functools.partial(documents.upload, programme, by=contact, note=note)
            moment = when(day(working_days), 14, 3 * index)
            yield moment, functools.partial(upload, moment=moment)


def _enter(demo, programme, row, categories, contact):
    """A measure entered by the city's contact, through the service the measure form uses."""
    measure = Measure(
        theme_area=demo.themes[row["theme"]],
        category=categories[row["theme"], row["category"]] if row["category"] else None,
        title=row["title"],
        description=row["description"],
        expected_effect=Decimal(row["effect"]) if row["effect"] else None,
        cost_estimate=Decimal(row["cost"]) if row["cost"] else None,
        status=row["status"],
        sector=sector_of(row["theme"], row["category"]),
        state_cooperation_wanted=row["state_cooperation"] == "yes",
    )
    measure._history_user = contact
    services.save_measure(programme, _Entered(measure), by=contact)


class _Entered:
    """What `save_measure` takes of a measure form: the measure, unsaved. The form's checks cost more
    than the rest of the step; tests/demo/test_round_current.py puts every row through the form."""

    def __init__(self, measure):
        self.measure = measure

    def save(self, commit=True):
        return self.measure


def _submissions(demo, programmes, day):
    """The early submissions; the coordinators find the four theme reviews waiting."""
    for slug, (working_days, hour) in SUBMISSIONS.items():
        programme = programmes[slug]
        moment = when(day(working_days), hour, 0)
        yield moment, functools.partial(services.submit_programme, programme, by=demo.users[f"kontakt-{slug}"])
        for theme in demo.themes.values():
            yield moment + datetime.timedelta(minutes=5), functools.partial(services.review_for, programme, theme)


def _oslo_shares(demo, oslo, day):
    contact = demo.users["kontakt-oslo"]
    yield when(day(OSLO_SHARED), 15, 0), functools.partial(sharing.share_programme, oslo, share=True, by=contact)
    for working_days, theme, text in OSLO_NOTES:
        coordinator = demo.users[COORDINATORS[theme]]
        yield (
            when(day(working_days), 10, 30),
            functools.partial(sharing.add_draft_note, oslo, text=text, by=coordinator),
        )


def _reviews(demo, programmes, day):
    for (slug, theme), steps in REVIEWS.items():
        for working_days, hour, minute, action, subject, value in steps:
            step = functools.partial(_review_step, demo, programmes[slug], theme, action, subject, value)
            yield when(day(working_days), hour, minute), step


def _review_step(demo, programme, theme, action, subject, value):
    review = services.review_for(programme, demo.themes[theme])
    coordinator = demo.users[COORDINATORS[theme]]
    if action == "status":
        services.update_review(review, assessment=value, status=subject, by=coordinator)
        return
    measure = programme.measures.get(title=subject) if subject else None
    if action == "comment":
        services.add_comment(review, measure=measure, text=value, by=coordinator)
    elif action == "candidate":
        measure._history_user = coordinator
        services.mark_candidate(measure, kind=value, by=coordinator)
    else:  # the city answers the comment on the measure
        comment = review.comments.filter(measure=measure).earliest("created_at")
        services.reply_to_comment(comment, text=value, by=demo.users[f"kontakt-{programme.city.slug}"])


def _tromso_asks(demo, tromso, day, due):
    new_date = due + TROMSO_EXTRA
    reason = (
        "Bystyret behandler handlingsprogrammet først i møtet sitt i slutten av januar. Vi ber om ny frist "
        f"{new_date:%d.%m.%Y}, slik at vi kan sende inn programmet slik bystyret vedtar det."
    )
    ask = functools.partial(
        services.request_extension, tromso, new_date=new_date, reason=reason, by=demo.users["kontakt-tromso"]
    )
    return when(day(TROMSO_REQUEST), 13, 0), ask
