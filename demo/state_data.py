"""The state's side of the demo as data: the bodies' instruments and the cities' requests with their
answers, in 2009 and in the current round (demo.state replays them)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from demo.clock import when
from state.models import Instrument, StateRequest

Kind = Instrument.Kind
Status = StateRequest.Status
D = datetime.date
ROUND_2009 = "handlingsprogram-2009"

# Who keeps each body's instruments and answers its requests: its partner, and the programme
# management for the ministry that runs the programme.
KEEPERS = {
    "SD": "partner-sd",
    "Enova": "partner-enova",
    "Husbanken": "partner-husbanken",
    "DSB": "partner-dsb",
    "NVE": "partner-nve",
    "Difi": "partner-difi",
    "MD": "departementet",
}
# The bodies' own sites, their front pages only (the ministries are on the government's site).
LINKS = {
    "SD": "https://www.regjeringen.no/",
    "MD": "https://www.regjeringen.no/",
    "Enova": "https://www.enova.no/",
    "Husbanken": "https://www.husbanken.no/",
    "DSB": "https://www.dsb.no/",
    "NVE": "https://www.nve.no/",
    "Difi": "https://www.difi.no/",
}


@dataclass(frozen=True)
class Offered:
    """An instrument as its body registers it."""

    body: str
    name_nb: str
    name_en: str
    kind: str
    themes: tuple
    offers_nb: str
    offers_en: str
    terms_nb: str
    terms_en: str
    contact_role: str
    open_from: datetime.date | None = None
    open_until: datetime.date | None = None
    application_deadline: datetime.date | None = None


# The 2009 instruments, each with the day its body registered it.
INSTRUMENTS_2009 = [
    (
        D(2009, 1, 23),
        Offered(
            "MD",
            "Felles utredninger med byene",
            "Joint studies with the cities",
            Kind.GUIDANCE,
            ("consumption", "adaptation"),
            "Miljøverndepartementet finansierer og leder utredninger for flere byer om spørsmål de har felles, i "
            "2009 om avfallsforebygging og om klimatilpasning.",
            "The Ministry of the Environment funds and leads studies for several cities on questions they share; "
            "in 2009 on waste prevention and on climate adaptation.",
            "Minst tre byer deltar, og hver by stiller med en kontaktperson og sine data. Resultatene er åpne "
            "for alle byene i programmet.",
            "At least three cities take part, each with a contact person and its data. The results are open to "
            "every city in the programme.",
            "Programledelsen for Framtidens byer, Miljøverndepartementet",
            D(2009, 2, 2),
            D(2009, 12, 31),
        ),
    ),
    (
        D(2009, 1, 23),
        Offered(
            "MD",
            "Utslippsstatistikk og klimaregnskapsmodell for kommunene",
            "Emission statistics and a climate accounting model for the municipalities",
            Kind.DATA_OR_TOOL,
            ("atp", "energy", "consumption"),
            "Bedre statistikk over klimagassutslippene i hver kommune, og en felles modell for klimaregnskap "
            "for kommunens egen virksomhet, utviklet sammen med byene.",
            "Better statistics of the greenhouse gas emissions of each municipality, and a common model for the "
            "climate accounts of the municipality's own activities, developed with the cities.",
            "Byene som er med, prøver modellen på egne tall og gir innspill. Statistikken publiseres for alle "
            "kommuner.",
            "The cities taking part try the model on their own figures and comment on it. The statistics are "
            "published for every municipality.",
            "Programledelsen for Framtidens byer, Miljøverndepartementet",
            D(2009, 3, 2),
            D(2009, 12, 31),
        ),
    ),
    (
        D(2009, 1, 26),
        Offered(
            "SD",
            "Belønningsordningen for bedre kollektivtransport og mindre bilbruk",
            "Reward scheme for better public transport and less car use",
            Kind.GRANT,
            ("atp",),
            "Statlige midler til byområder som styrker kollektivtransporten og demper biltrafikken, gitt som "
            "fireårige avtaler for 2010–2013. Midlene kan gå til flere avganger, bedre framkommelighet for buss "
            "og bane og tiltak for gående og syklende.",
            "State funds for urban areas that strengthen public transport and curb car traffic, given as "
            "four-year agreements for 2010–2013. The funds may go to more departures, priority for buses and "
            "trams, and measures for walking and cycling.",
            "Byområdet søker sammen med fylkeskommunen. En avtale forutsetter tiltak som begrenser biltrafikken, "
            "som parkeringsregulering eller vegprising, og årlig rapportering av trafikkutviklingen. Søknadsfrist "
            "15.06.2009.",
            "The urban area applies together with the county authority. An agreement requires measures that "
            "restrain car traffic, such as parking regulation or road pricing, and a yearly report on traffic. "
            "Apply by 15.06.2009.",
            "Rådgiver for belønningsordningen, Samferdselsdepartementet",
            D(2009, 2, 2),
            D(2009, 12, 31),
            D(2009, 6, 15),
        ),
    ),
    (
        D(2009, 1, 27),
        Offered(
            "Enova",
            "Rammeavtale med byene i Framtidens byer",
            "Framework agreement with the cities of Framtidens byer",
            Kind.FRAMEWORK_AGREEMENT,
            ("energy",),
            "En flerårig rammeavtale om støtte til fjernvarme, energieffektivisering og utfasing av oljefyr i "
            "kommunale bygg, i stedet for en søknad per prosjekt. Enova gir også råd om hvordan prosjektene kan "
            "settes sammen.",
            "A framework agreement over several years on support for district heating, energy efficiency and "
            "phasing out oil boilers in municipal buildings, instead of one application per project. Enova also "
            "advises on how to put the projects together.",
            "Kommunen legger fram en samlet plan for energitiltakene med forventet energiresultat i kWh. Støtten "
            "utbetales etter hvert som resultatene dokumenteres, og avtalen følges opp med årlig rapportering. "
            "Interesse meldes innen 29.05.2009.",
            "The municipality presents one plan for its energy measures with the expected energy result in kWh. "
            "The support is paid as the results are documented, and the agreement is followed up with a yearly "
            "report. Express interest by 29.05.2009.",
            "Rådgiver for kommuner, Enova",
            D(2009, 2, 2),
            D(2009, 10, 31),
            D(2009, 5, 29),
        ),
    ),
    (
        D(2009, 1, 28),
        Offered(
            "Husbanken",
            "Kurs i passivhus for kommunale byggherrer",
            "Passive-house courses for municipal developers",
            Kind.COURSE,
            ("energy",),
            "En kursrekke høsten 2009 og våren 2010 for byggherrer og prosjektledere i kommunene om hvordan "
            "passivhus prosjekteres, bestilles og følges opp, sammen med Enova og KS. Husbanken kan gi "
            "kompetansetilskudd til kommuner som gjør et eget byggeprosjekt til læringsprosjekt.",
            "A series of courses in autumn 2009 and spring 2010 for developers and project managers in the "
            "municipalities on how passive houses are designed, commissioned and followed up, with Enova and KS. "
            "Husbanken may give a competence grant to municipalities that make one of their own building "
            "projects a learning project.",
            "Påmelding innen 14.08.2009. Kursene er gratis for byene i Framtidens byer; kommunen dekker reise og "
            "opphold.",
            "Register by 14.08.2009. The courses are free for the cities of Framtidens byer; the municipality pays "
            "travel and accommodation.",
            "Rådgiver for energi og miljø, Husbanken",
            D(2009, 3, 2),
            D(2009, 12, 31),
            D(2009, 8, 14),
        ),
    ),
    (
        D(2009, 1, 28),
        Offered(
            "Husbanken",
            "Faglig bistand til områdeutvikling",
            "Expert help with area development",
            Kind.PILOT_SUPPORT,
            ("atp", "energy"),
            "Faglig bistand og prosjekttilskudd til byer som vil utvikle et avgrenset område med høy kvalitet i "
            "boliger, energibruk og uterom, etter mønster av en by- og boligutstilling.",
            "Expert help and a project grant for cities that develop a defined area with high quality in "
            "housing, energy use and public spaces, after the pattern of a city and housing exhibition.",
            "Området og målene er avklart i kommunens planer, og kommunen stiller med en prosjektleder. "
            "Erfaringene deles med de andre byene. Søknadsfrist 30.09.2009.",
            "The area and its goals are settled in the municipality's plans, and the municipality provides a "
            "project manager. The experience is shared with the other cities. Apply by 30.09.2009.",
            "Rådgiver for by- og stedsutvikling, Husbanken",
            D(2009, 3, 2),
            D(2009, 12, 31),
            D(2009, 9, 30),
        ),
    ),
    (
        D(2009, 1, 29),
        Offered(
            "DSB",
            "Veiledning om klimatilpasning i kommunal planlegging",
            "Guidance on climate adaptation in municipal planning",
            Kind.GUIDANCE,
            ("adaptation",),
            "Råd og veiledning om hvordan klimaendringene tas inn i risiko- og sårbarhetsanalysene og i "
            "kommuneplanen, med arbeidsmøter i byene etter avtale. DSB koordinerer statens arbeid med "
            "klimatilpasning og setter byene i kontakt med de rette fagetatene.",
            "Advice and guidance on taking climate change into the risk and vulnerability analyses and the "
            "municipal master plan, with workshops in the cities by arrangement. DSB coordinates the state's "
            "work on climate adaptation and puts the cities in touch with the right agencies.",
            "Uten kostnad for kommunen. Kommunen inviterer fylkesmannen til arbeidsmøtene.",
            "Free of charge. The municipality invites the county governor to the workshops.",
            "Rådgiver for klimatilpasning, DSB",
            D(2009, 2, 2),
            D(2009, 12, 31),
        ),
    ),
    (
        D(2009, 1, 29),
        Offered(
            "NVE",
            "Veiledning om flom- og skredfare i arealplanleggingen",
            "Guidance on flood and landslide hazards in land-use planning",
            Kind.GUIDANCE,
            ("adaptation",),
            "Veiledning om hvordan fare for flom, skred og kvikkleire utredes og tas inn i arealplanene, med "
            "flomsonekart og aktsomhetskart som grunnlag. NVE kan gi faglig bistand til kommunens kartlegging.",
            "Guidance on how flood, landslide and quick-clay hazards are assessed and taken into land-use plans, "
            "based on flood zone maps and hazard maps. NVE can give expert help with the municipality's mapping.",
            "Veiledningen er uten kostnad. Bistand til kartlegging gis først der faren er størst og flest bor.",
            "The guidance is free. Help with mapping goes first to where the hazard is greatest and most people live.",
            "Rådgiver for arealplaner, NVE",
            D(2009, 2, 2),
            D(2009, 12, 31),
        ),
    ),
    (
        D(2009, 1, 30),
        Offered(
            "Difi",
            "Veiledning om miljøkrav i offentlige anskaffelser",
            "Guidance on environmental requirements in public procurement",
            Kind.GUIDANCE,
            ("consumption",),
            "Veiledning og maler for klima- og miljøkrav i kommunens anskaffelser, med eksempler fra andre "
            "kommuner, og råd i konkrete innkjøp.",
            "Guidance and templates for climate and environmental requirements in the municipality's "
            "procurement, with examples from other municipalities, and advice on particular purchases.",
            "Uten kostnad. Kommunen deler kravene den lager, så andre kan bruke dem.",
            "Free of charge. The municipality shares the requirements it drafts, for others to use.",
            "Rådgiver for miljø i anskaffelser, Difi",
            D(2009, 2, 2),
            D(2009, 12, 31),
        ),
    ),
    (
        D(2009, 1, 30),
        Offered(
            "Difi",
            "Kurs i miljøvennlige offentlige innkjøp",
            "Courses in green public procurement",
            Kind.COURSE,
            ("consumption",),
            "Kurs for innkjøpere og ledere i kommunene om hvordan klima- og miljøkrav stilles og følges opp i "
            "anskaffelsene, sammen med KS.",
            "Courses for buyers and managers in the municipalities on setting and following up climate and "
            "environmental requirements in procurement, with KS.",
            "Påmelding innen 01.09.2009. To plasser per by er gratis.",
            "Register by 01.09.2009. Two places per city are free.",
            "Rådgiver for miljø i anskaffelser, Difi",
            D(2009, 3, 2),
            D(2009, 12, 31),
            D(2009, 9, 1),
        ),
    ),
]


def current_instruments(opened, due):
    """The current round's instruments, open from the day the round opened and through the year it is due."""
    year_end = D(due.year, 12, 31)
    shore_power, protection = D(due.year, 2, 1), D(due.year, 2, 1)
    reward, sites = D(due.year, 3, 1), D(due.year, 4, 15)
    return [
        Offered(
            "SD",
            "Belønningsmidler til nullutslipp i kollektivtrafikken",
            "Reward funds for zero-emission public transport",
            Kind.GRANT,
            ("atp",),
            "Statlige midler til byområder som kjøper inn nullutslippsbusser og -båter og gir flere avganger, "
            "som del av en belønnings- eller byvekstavtale.",
            "State funds for urban areas that buy zero-emission buses and boats and run more departures, as "
            "part of a reward or urban growth agreement.",
            "Byområdet søker samlet, kommunene sammen med fylkeskommunen, med mål om nullvekst i "
            f"personbiltrafikken og tiltak som begrenser bilbruken. Søknadsfrist {reward:%d.%m.%Y}.",
            "The urban area applies as a whole, the municipalities with the county authority, with the goal of "
            f"no growth in car traffic and measures that restrain car use. Apply by {reward:%d.%m.%Y}.",
            "Rådgiver for byområdene, Samferdselsdepartementet",
            opened,
            year_end,
            reward,
        ),
        Offered(
            "Enova",
            "Støtte til energitiltak i kommunale bygg",
            "Support for energy measures in municipal buildings",
            Kind.GRANT,
            ("energy",),
            "Investeringsstøtte til nye og rehabiliterte kommunale bygg som går lenger enn byggteknisk "
            "forskrift: plusshus, lokal energiproduksjon og styring av energibruken.",
            "Investment support for new and refurbished municipal buildings that go beyond the building "
            "regulations: plus houses, local energy production and control of energy use.",
            "Søknaden sendes før byggestart. Støtten avhenger av det dokumenterte energiresultatet og kan ikke "
            "kombineres med annen statlig støtte til samme tiltak. Søknadene behandles fortløpende.",
            "Apply before building starts. The support depends on the documented energy result and cannot be "
            "combined with other state support for the same measure. Applications are handled as they come.",
            "Rådgiver for offentlige bygg, Enova",
            opened,
            year_end,
        ),
        Offered(
            "Enova",
            "Støtte til utslippsfrie bygge- og anleggsplasser",
            "Support for zero-emission construction sites",
            Kind.GRANT,
            ("consumption", "energy"),
            "Støtte til merkostnaden ved elektriske og andre utslippsfrie anleggsmaskiner, og til midlertidig "
            "strømtilknytning på byggeplassen.",
            "Support for the extra cost of electric and other zero-emission construction machinery, and for a "
            "temporary power connection on the site.",
            f"Kravet om utslippsfri byggeplass står i kontrakten. Søknadsfrist {sites:%d.%m.%Y}.",
            f"The contract requires a zero-emission site. Apply by {sites:%d.%m.%Y}.",
            "Rådgiver for bygg og anlegg, Enova",
            opened,
            year_end,
            sites,
        ),
        Offered(
            "Enova",
            "Støtte til landstrøm",
            "Support for shore power",
            Kind.GRANT,
            ("atp",),
            "Investeringsstøtte til landstrøm for ferjer, hurtigbåter og cruiseskip i havnene.",
            "Investment support for shore power for ferries, express boats and cruise ships in the ports.",
            "Havnen eller kommunen søker, med avtaler med rederiene som skal bruke anlegget. Søknadsfrist "
            f"{shore_power:%d.%m.%Y}.",
            f"The port or the municipality applies, with agreements with the shipping companies that will use it. "
            f"Apply by {shore_power:%d.%m.%Y}.",
            "Rådgiver for transport, Enova",
            opened,
            year_end,
            shore_power,
        ),
        Offered(
            "Husbanken",
            "Faglig bistand til boligbygging ved kollektivknutepunkter",
            "Expert help with housing near public transport hubs",
            Kind.PILOT_SUPPORT,
            ("atp",),
            "Faglig bistand og tilskudd til å planlegge tette boligområder med gode bomiljøer rundt stasjoner og "
            "knutepunkter.",
            "Expert help and grants for planning dense housing areas with good living conditions around stations "
            "and hubs.",
            "Området er avsatt til boliger i kommuneplanen, og erfaringene deles med de andre byene.",
            "The area is zoned for housing in the master plan, and the experience is shared with the other cities.",
            "Rådgiver for by- og stedsutvikling, Husbanken",
            opened,
            year_end,
        ),
        Offered(
            "NVE",
            "Bistand til flom- og skredsikring",
            "Help with flood and landslide protection",
            Kind.GRANT,
            ("adaptation",),
            "Tilskudd og faglig bistand til å kartlegge og sikre bebyggelse mot flom, skred og kvikkleire. NVE "
            "kan dekke inntil 80 prosent av kostnadene.",
            "Grants and expert help for mapping and protecting built-up areas against floods, landslides and "
            "quick clay. NVE may cover up to 80 per cent of the cost.",
            "Kommunen dekker resten og eier og vedlikeholder sikringstiltaket. Tiltakene prioriteres etter nytte "
            f"og hvor mange som er utsatt. Søknadsfrist {protection:%d.%m.%Y}.",
            "The municipality pays the rest and owns and maintains the protection. Measures are ranked by benefit "
            f"and by how many people are exposed. Apply by {protection:%d.%m.%Y}.",
            "Rådgiver for sikring, NVE",
            opened,
            year_end,
            protection,
        ),
        Offered(
            "NVE",
            "Faresonekart for flom, skred og kvikkleire",
            "Hazard maps for floods, landslides and quick clay",
            Kind.DATA_OR_TOOL,
            ("adaptation",),
            "Kart over faresoner og aktsomhetsområder for flom, skred og kvikkleire, åpne for alle kommuner, med "
            "veiledning i å bruke dem i arealplanene.",
            "Maps of hazard zones and areas of caution for floods, landslides and quick clay, open to every "
            "municipality, with guidance on using them in land-use plans.",
            "Åpne data, uten kostnad.",
            "Open data, free of charge.",
            "Rådgiver for arealplaner, NVE",
            opened,
        ),
        Offered(
            "DSB",
            "Veiledning om havnivåstigning og stormflo i planleggingen",
            "Guidance on sea-level rise and storm surge in planning",
            Kind.GUIDANCE,
            ("adaptation",),
            "Veiledning om hvilke havnivåer og stormflonivåer kommunen bør legge til grunn i arealplanene, med "
            "tall for hver kommune og råd om sikkerhetsmargin.",
            "Guidance on the sea levels and storm-surge levels the municipality should plan for, with figures for "
            "each municipality and advice on a safety margin.",
            "Uten kostnad. DSB gir råd i konkrete planer etter avtale.",
            "Free of charge. DSB advises on particular plans by arrangement.",
            "Rådgiver for klimatilpasning, DSB",
            opened,
        ),
    ]


# The requests. A step is (moment, move, what goes with it): "acknowledge" (a comment), "offer", "refer",
# "refuse" (the answer's fields and a comment), "withdraw" (a comment), "agree" (the agreement's title).
# The city's contact asks, unless `raised_by` names the coordinator who raised it on the city's behalf.
@dataclass(frozen=True)
class Asked:
    city: str
    measure: str | None  # None: for the programme as a whole
    body: str
    instrument: str | None  # None: something not in the register
    need: str
    needed_by: datetime.date | None
    asked: object
    steps: list = field(default_factory=list)
    raised_by: str | None = None


ENOVA_2009 = "Rammeavtale med byene i Framtidens byer"
REWARD_2009 = "Belønningsordningen for bedre kollektivtransport og mindre bilbruk"

REQUESTS_2009 = [
    Asked(
        "bergen",
        "Kartlegging av skredfare",
        "DSB",
        "Veiledning om klimatilpasning i kommunal planlegging",
        "Bergen skal kartlegge skredfaren i de bratte bydelene og ber om faglig bistand til hvordan kartleggingen "
        "bør gjøres og brukes i kommuneplanen.",
        D(2009, 6, 1),
        when(D(2009, 2, 16), 10, 30),
        [
            (when(D(2009, 2, 17), 9, 0), "acknowledge", {"comment": "Mottatt. Vi ser på det sammen med NVE."}),
            (
                when(D(2009, 2, 27), 11, 0),
                "refer",
                {
                    "referred_instrument": ("NVE", "Veiledning om flom- og skredfare i arealplanleggingen"),
                    "comment": "Fra 2009 har NVE det statlige ansvaret for å forebygge skredulykker, også for "
                    "kartleggingen. Ta kontakt med NVE; DSB hjelper gjerne med risiko- og sårbarhetsanalysen.",
                },
            ),
        ],
    ),
    Asked(
        "trondheim",
        "Utbygging av fjernvarme fra Heimdal varmesentral",
        "Enova",
        ENOVA_2009,
        "Trondheim ønsker en rammeavtale med Enova om utbyggingen av fjernvarmen fra Heimdal varmesentral og "
        "energitiltak i kommunale bygg i 2009–2012, i stedet for en søknad per prosjekt.",
        D(2009, 6, 30),
        when(D(2009, 2, 18), 10, 0),
        [
            (
                when(D(2009, 2, 23), 9, 30),
                "acknowledge",
                {"comment": "Mottatt. Vi tar det med i arbeidet med rammeavtalen for byene og svarer før sommeren."},
            ),
            (
                when(D(2009, 6, 10), 14, 0),
                "offer",
                {
                    "offer": "Støtte til fjernvarmeutbyggingen fra Heimdal og til energieffektivisering i "
                    "kommunale bygg, gjennom rammeavtalen for 2009–2012.",
                    "offer_amount": Decimal(25_000_000),
                    "offer_from": D(2009, 11, 1),
                    "offer_conditions": "Kommunen dokumenterer energiresultatet for hvert delprosjekt og "
                    "rapporterer årlig. Tilknytningsplikten til fjernvarmen gjelder i de nye byggeområdene.",
                    "comment": "Tilbudet inngår i rammeavtalen som forhandles med byene i høst.",
                },
            ),
            (when(D(2009, 10, 20), 16, 0), "agree", {"agreement": "Rammeavtale med Enova om energi i bygg"}),
        ],
    ),
    Asked(
        "tromso",
        None,
        "DSB",
        None,
        "Tromsø ønsker hjelp til å bruke klimaframskrivingene i rulleringen av kommuneplanen: et arbeidsmøte med "
        "planleggerne og beredskapsrådgiveren i kommunen.",
        D(2009, 6, 1),
        when(D(2009, 2, 24), 13, 0),
        [
            (
                when(D(2009, 3, 20), 10, 0),
                "offer",
                {
                    "offer": "Et arbeidsmøte i Tromsø i mai 2009 med DSB, NVE og fylkesmannen om "
                    "klimaframskrivingene for Tromsø og hvordan de tas inn i kommuneplanen.",
                    "offer_from": D(2009, 5, 4),
                    "offer_conditions": "Kommunen inviterer fylkesmannen og deler referatet med nettverket for "
                    "klimatilpasning.",
                },
            ),
        ],
    ),
    Asked(
        "fredrikstad",
        "Miljøkrav i kommunens anskaffelser",
        "Difi",
        "Veiledning om miljøkrav i offentlige anskaffelser",
        "Fra gjennomgangen av forbruk og avfall: Fredrikstad vil stille klima- og miljøkrav i kommunens "
        "rammeavtaler og trenger veiledning i hvilke krav som virker og kan følges opp.",
        D(2009, 4, 1),
        when(D(2009, 2, 25), 10, 0),
        [
            (
                when(D(2009, 3, 6), 13, 0),
                "offer",
                {
                    "offer": "Veiledning i å sette og følge opp miljøkrav i de tre rammeavtalene kommunen "
                    "fornyer i 2009, og to plasser på Difis kurs i miljøvennlige innkjøp.",
                    "offer_from": D(2009, 4, 1),
                    "offer_conditions": "Kommunen deler kravene den lager, så de andre byene kan bruke dem.",
                },
            ),
        ],
        raised_by="koordinator-forbruk",
    ),
    Asked(
        "skien",
        "Fjernvarme i Skien sentrum",
        "Enova",
        ENOVA_2009,
        "Skien ønsker å være med i rammeavtalen med Enova for utbyggingen av fjernvarme i sentrum.",
        None,
        when(D(2009, 3, 2), 10, 0),
        [
            (
                when(D(2009, 3, 4), 11, 0),
                "acknowledge",
                {"comment": "Mottatt. Vi trenger en plan for utbyggingen med forventet energiresultat."},
            ),
            (
                when(D(2009, 4, 14), 13, 0),
                "withdraw",
                {"comment": "Utbyggingen er overtatt av det lokale energiselskapet, som søker Enova selv."},
            ),
        ],
    ),
    Asked(
        "oslo",
        "Flere avganger på trikk og T-bane",
        "SD",
        REWARD_2009,
        "Oslo søker sammen med Akershus fylkeskommune om en fireårig belønningsavtale for 2010–2013, for å gi "
        "flere avganger på trikk og T-bane.",
        D(2009, 12, 1),
        when(D(2009, 3, 16), 11, 0),
        [
            (
                when(D(2009, 3, 18), 9, 30),
                "acknowledge",
                {"comment": "Mottatt. Søknaden behandles etter fristen 15.06.2009, sammen med de andre byområdene."},
            ),
            (
                when(D(2009, 9, 10), 10, 0),
                "offer",
                {
                    "offer": "En belønningsavtale for 2010–2013 om midler til flere avganger og bedre "
                    "framkommelighet for trikk og T-bane.",
                    "offer_amount": Decimal(150_000_000),
                    "offer_from": D(2010, 1, 1),
                    "offer_conditions": "Oslo og Akershus forplikter seg til tiltak som begrenser biltrafikken, "
                    "blant annet færre parkeringsplasser i sentrum, og rapporterer trafikkutviklingen hvert år. "
                    "Utbetalingene for 2011–2013 forutsetter at målene for trafikken nås.",
                    "comment": "Tilbudet forhandles videre med byområdene i høst.",
                },
            ),
            (
                when(D(2009, 12, 10), 16, 0),
                "agree",
                {"agreement": "Belønningsordningen for bedre kollektivtransport og mindre bilbruk"},
            ),
        ],
    ),
    Asked(
        "drammen",
        "Fortetting rundt Drammen stasjon",
        "Husbanken",
        "Faglig bistand til områdeutvikling",
        "Drammen ønsker faglig bistand og tilskudd til å utvikle området rundt Drammen stasjon med boliger og "
        "arbeidsplasser, med høye krav til energibruk og uterom.",
        D(2009, 12, 31),
        when(D(2009, 3, 20), 10, 0),
        [
            (
                when(D(2009, 3, 24), 14, 0),
                "acknowledge",
                {"comment": "Mottatt. Vi vurderer det sammen med et tilsvarende ønske fra Trondheim."},
            ),
            (
                when(D(2009, 6, 3), 11, 0),
                "offer",
                {
                    "offer": "Faglig bistand gjennom hele planleggingen, og prosjekttilskudd til utredninger i "
                    "området rundt stasjonen.",
                    "offer_amount": Decimal(4_000_000),
                    "offer_from": D(2010, 1, 1),
                    "offer_conditions": "Kommunen stiller med en prosjektleder, områdeplanen vedtas innen "
                    "utgangen av 2010, og erfaringene deles med de andre byene.",
                },
            ),
        ],
    ),
    Asked(
        "stavanger",
        "Passivhus i nye kommunale bygg",
        "Husbanken",
        "Kurs i passivhus for kommunale byggherrer",
        "Stavanger ønsker kurs for byggherrene og prosjektlederne i kommunen før de første passivhusene bygges, "
        "og faglig oppfølging av ett av byggene.",
        D(2009, 9, 1),
        when(D(2009, 4, 6), 13, 0),
        [
            (
                when(D(2009, 5, 12), 10, 0),
                "offer",
                {
                    "offer": "Seks plasser på kursrekken i passivhus høsten 2009, og faglig oppfølging av ett "
                    "kommunalt passivhus som læringsprosjekt.",
                    "offer_amount": Decimal(300_000),
                    "offer_from": D(2009, 9, 1),
                    "offer_conditions": "Kommunen bruker et av byggeprosjektene som kurseksempel og deler "
                    "erfaringene i nettverket for energi i bygg.",
                },
            ),
        ],
    ),
    Asked(
        "tromso",
        "Bedre bussbetjening av Tromsøya",
        "SD",
        REWARD_2009,
        "Tromsø søker om belønningsmidler til flere avganger og bedre framkommelighet for bussene på Tromsøya "
        "fra 2010.",
        D(2010, 1, 1),
        when(D(2009, 8, 17), 10, 0),
        [
            (when(D(2009, 8, 19), 9, 30), "acknowledge", {"comment": ""}),
            (
                when(D(2009, 9, 2), 14, 0),
                "refuse",
                {
                    "refusal_reason": "Søknadsfristen for avtaleperioden 2010–2013 var 15.06.2009, og midlene er "
                    "fordelt mellom byområdene som søkte innen fristen. Tromsø kan søke ved neste utlysning, helst "
                    "sammen med Troms fylkeskommune.",
                },
            ),
        ],
    ),
]


def current_requests(due):
    """The current round's requests; their moments are (working days before the load, hour, minute). Two are
    still waiting for their answer past the first reminder step (14 days after asking): Drammen's, that NVE
    acknowledged, and Fredrikstad's, that DSB has not even acknowledged; each body was reminded (demo.state).
    Enova published its offer to Oslo for the other cities, as the offer's conditions say."""
    year = due.year
    return [
        Asked(
            "drammen",
            "Flomsikring langs Drammenselva",
            "NVE",
            "Bistand til flom- og skredsikring",
            "Drammen ber om tilskudd og faglig bistand til flomvern langs Drammenselva på strekningen fra Bragernes "
            "til Gulskogen, og til å sikre kvikkleireområdene bak flomvollene.",
            D(year, 5, 1),
            (30, 10, 30),
            [
                (
                    (28, 11, 0),
                    "acknowledge",
                    {
                        "comment": "Mottatt. Vi vurderer strekningen sammen med de andre søknadene om sikring langs elva."
                    },
                ),
            ],
        ),
        Asked(
            "baerum",
            "Kommunale bygg som plusshus",
            "Enova",
            "Støtte til energitiltak i kommunale bygg",
            "Bærum ønsker støtte til to barnehager som bygges som plusshus.",
            D(year, 3, 1),
            (24, 10, 0),
            [
                (
                    (22, 9, 0),
                    "acknowledge",
                    {"comment": "Mottatt. Send gjerne energiberegningene når prosjekteringen er ferdig."},
                ),
                (
                    (12, 15, 0),
                    "withdraw",
                    {
                        "comment": "Barnehageprosjektene er utsatt i økonomiplanen. Vi sender en ny forespørsel når "
                        "de er vedtatt."
                    },
                ),
            ],
        ),
        Asked(
            "stavanger",
            "Havnivå og stormflo i Vågen",
            "NVE",
            "Bistand til flom- og skredsikring",
            "Stavanger ønsker tilskudd til å sikre kaiene og byggene rundt Vågen mot stormflo og høyere havnivå.",
            D(year, 6, 1),
            (21, 11, 0),
            [
                (
                    (16, 10, 0),
                    "refer",
                    {
                        "referred_instrument": ("DSB", "Veiledning om havnivåstigning og stormflo i planleggingen"),
                        "comment": "NVEs bistand gjelder flom og skred fra vassdrag og skråninger, ikke stormflo fra "
                        "sjøen. DSB veileder om hvilke havnivåer planene bør bygge på.",
                    },
                ),
            ],
        ),
        Asked(
            "fredrikstad",
            "Havnivåstigning og stormflo langs Glomma",
            "DSB",
            "Veiledning om havnivåstigning og stormflo i planleggingen",
            "Fredrikstad ber om veiledning om hvilken sikker høyde nye byggeområder langs Glomma og sjøen skal ha, "
            "og om hvordan de lavtliggende delene av sentrum bør sikres mot stormflo.",
            None,
            (20, 10, 0),
        ),
        Asked(
            "oslo",
            "Utslippsfrie bygge- og anleggsplasser",
            "Enova",
            "Støtte til utslippsfrie bygge- og anleggsplasser",
            "Oslo krever utslippsfrie bygge- og anleggsplasser i kommunens prosjekter fra neste år og ber om støtte "
            "til merkostnaden for elektriske gravemaskiner og hjullastere i de første prosjektene.",
            D(year, 3, 1),
            (20, 13, 0),
            [
                (
                    (11, 10, 0),
                    "offer",
                    {
                        "offer": "Støtte til merkostnaden for elektriske anleggsmaskiner og midlertidig "
                        "strømtilknytning i fire av kommunens byggeprosjekter.",
                        "offer_amount": Decimal(4_500_000),
                        "offer_from": D(year, 1, 1),
                        "offer_conditions": "Kravet om utslippsfri byggeplass står i kontraktene, og entreprenøren "
                        "rapporterer energibruk og maskintimer. Erfaringene deles med de andre byene.",
                    },
                ),
                ((9, 14, 0), "publish", {}),
            ],
        ),
        Asked(
            "skien",
            "Flere bussavganger og elektriske busser i Grenland",
            "SD",
            "Belønningsmidler til nullutslipp i kollektivtrafikken",
            "Skien søker om belønningsmidler til flere bussavganger og elektriske busser på linjene mellom Skien og "
            "Porsgrunn.",
            D(year, 8, 1),
            (14, 9, 30),
            [
                ((12, 10, 0), "acknowledge", {"comment": ""}),
                (
                    (7, 14, 0),
                    "refuse",
                    {
                        "refusal_reason": "Belønningsmidlene gis til byområdet samlet, på grunnlag av en felles "
                        "søknad fra kommunene og fylkeskommunen med mål om nullvekst i personbiltrafikken. En søknad "
                        "fra Skien alene kan ikke behandles; vi tar gjerne imot en felles søknad fra Grenland innen "
                        "fristen.",
                    },
                ),
            ],
        ),
        Asked(
            "bergen",
            "Nye skoler som plusshus",
            "Enova",
            "Støtte til energitiltak i kommunale bygg",
            "Bergen bygger to nye skoler som plusshus og søker støtte til solcellene, energibrønnene og "
            "styringssystemet, som går ut over kravene i byggteknisk forskrift.",
            D(year, 3, 1),
            (9, 10, 0),
            [
                ((8, 9, 30), "acknowledge", {"comment": "Mottatt. Vi trenger energiberegningene for begge skolene."}),
                (
                    (4, 13, 0),
                    "offer",
                    {
                        "offer": "Investeringsstøtte til de to plusshusskolene: solceller, energibrønner og styring "
                        "av energibruken.",
                        "offer_amount": Decimal(18_000_000),
                        "offer_from": D(year, 1, 1),
                        "offer_conditions": "Byggestart innen tolv måneder. Støtten utbetales i tre deler etter "
                        "dokumentert framdrift, den siste når energiresultatet er målt etter ett års drift.",
                        "comment": "Tilbudet kan inngå i piloten om plusshusskoler som nå forhandles.",
                    },
                ),
            ],
        ),
        Asked(
            "trondheim",
            "Kartlegging og sikring av kvikkleire",
            "NVE",
            "Bistand til flom- og skredsikring",
            "Fra gjennomgangen av klimatilpasning: Trondheim kartlegger og sikrer kvikkleireområder i "
            "byggesonene og ber om tilskudd og faglig bistand, bygget på NVEs kartlegging.",
            D(year, 4, 1),
            (3, 15, 30),
            [
                (
                    (2, 10, 0),
                    "acknowledge",
                    {"comment": "Mottatt. Vi går gjennom områdene mot vår egen kartlegging og svarer etter fristen."},
                ),
            ],
            raised_by="koordinator-klima",
        ),
        Asked(
            "kristiansand",
            "Landstrøm for ferjene til Danmark",
            "Enova",
            "Støtte til landstrøm",
            "Kristiansand havn vil bygge landstrøm for ferjene til Danmark og ber om investeringsstøtte. Avtalene "
            "med rederiene forhandles nå.",
            D(year, 2, 1),
            (2, 11, 0),
        ),
    ]
