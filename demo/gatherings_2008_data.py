"""What happened at the network gatherings of autumn 2008: their days, agendas, who presented, where
the site visits went, and what the participants answered afterwards (demo.gatherings_2008 replays it)."""

import datetime
from dataclasses import dataclass

from meetings.models import AgendaItem, Feedback

Kind = AgendaItem.Kind
Pace = Feedback.Pace
Enough = Feedback.Enough
# When the answers to the survey came in: (days after the gathering ended, hour, minute), in order.
ANSWERED = [
    (0, 15, 40),
    (0, 20, 10),
    (1, 8, 25),
    (1, 10, 5),
    (1, 13, 50),
    (2, 9, 15),
    (2, 14, 30),
    (3, 8, 55),
    (3, 11, 40),
    (4, 10, 20),
    (4, 15, 5),
    (5, 9, 35),
    (6, 13, 10),
]


@dataclass(frozen=True)
class Item:
    """An agenda item; it starts when the one before it ends. `keywords` pick the measures a site visit shows."""

    minutes: int
    kind: str
    title: str
    presenter: str = ""
    city: str = ""  # the city's name
    place: str = ""
    keywords: tuple = ()


@dataclass(frozen=True)
class Gathering:
    theme: str
    host: str
    label: str
    venue: str
    description: str
    days: tuple  # (first day, start hour, start minute), one per day
    agenda: tuple  # the items of each day
    declined: frozenset  # usernames who answered that they would not come
    absent: frozenset  # usernames who said they would come and did not
    answers: tuple  # (rating, pace, enough discussion, host usefulness, comment), in the order respondents answered
    minutes: str


def welcome(city):
    return Item(15, Kind.PLENARY, f"Velkommen til {city}", f"{city} kommune", city)


def own_work(city, minutes=45):
    return Item(
        minutes, Kind.PRESENTATION, f"Klimaarbeidet i {city} og handlingsprogrammet så langt", f"{city} kommune", city
    )


def programme(city):
    return Item(30, Kind.PRESENTATION, f"Handlingsprogrammet så langt: {city}", f"{city} kommune", city)


def site_visit(city, minutes, title, place, *keywords):
    return Item(minutes, Kind.SITE_VISIT, f"Befaring: {title}", f"{city} kommune", city, place, keywords)


MD_FRAME = Item(
    30, Kind.PRESENTATION, "Rammer og forventninger til byenes handlingsprogrammer", "Miljøverndepartementet"
)
LUNCH = Item(45, Kind.BREAK, "Lunsj")
COFFEE = Item(15, Kind.BREAK, "Kaffepause")


def summing_up(presenter):
    return Item(30, Kind.PLENARY, "Oppsummering og veien videre", presenter)


GATHERINGS = [
    Gathering(
        theme="atp",
        host="Stavanger",
        label="areal og transport",
        venue="Sølvberget, Stavanger kulturhus",
        description=(
            "Høstens samling i nettverket for areal og transport, med Stavanger kommune som vertskap. "
            "Vertsbyen og tre andre byer legger fram arbeidet med handlingsprogrammene så langt, "
            "Samferdselsdepartementet orienterer om belønningsordningen for kollektivtransport, og vi drar "
            "på befaring til Jåttåvågen og langs sykkelveiene i sentrum. Rogaland fylkeskommune er invitert."
        ),
        days=((datetime.date(2008, 9, 18), 10, 0), (datetime.date(2008, 9, 19), 8, 30)),
        agenda=(
            (
                welcome("Stavanger"),
                own_work("Stavanger"),
                MD_FRAME,
                Item(
                    45,
                    Kind.PRESENTATION,
                    "Belønningsordningen for kollektivtransport: hva kan staten bidra med?",
                    "Samferdselsdepartementet",
                ),
                LUNCH,
                site_visit(
                    "Stavanger",
                    150,
                    "Jåttåvågen – fortetting ved jernbanestasjonen",
                    "Jåttåvågen stasjon og Forus",
                    "fortett",
                    "knutepunkt",
                    "jåttåvågen",
                    "kollektiv",
                ),
                COFFEE,
                programme("Sandnes"),
                programme("Drammen"),
                Item(45, Kind.DISCUSSION, "Diskusjon: parkeringspolitikk og kollektivtrafikk i byene"),
            ),
            (
                site_visit(
                    "Stavanger",
                    60,
                    "på sykkel langs sykkelveiene i sentrum",
                    "Fra Breiavatnet til Paradis og Hillevåg",
                    "sykkel",
                    "gange",
                ),
                programme("Kristiansand"),
                Item(60, Kind.DISCUSSION, "Erfaringsutveksling: hva tar byene med seg inn i handlingsprogrammene?"),
                summing_up("Nettverksleder (Samferdselsdepartementet)"),
                LUNCH,
            ),
        ),
        declined=frozenset({"kontakt-tromso", "kontakt-porsgrunn", "fylkeskommune-rogaland"}),
        absent=frozenset(),
        answers=(
            (
                4,
                Pace.TOO_TIGHT,
                Enough.PARTLY,
                5,
                "Jåttåvågen viste godt hvordan man kan bygge tett rundt en stasjon. Men programmet var så fullt "
                "at vi knapt rakk å snakke med de andre byene.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                5,
                "Fint opplegg fra Stavanger. Neste gang bør det settes av mer tid til diskusjon i grupper; "
                "to korte økter var for lite.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                4,
                "Samferdselsdepartementet fortalte mye om belønningsordningen, men vi fikk ikke svar på hva en by "
                "på vår størrelse konkret kan søke om, og når.",
            ),
            (
                3,
                Pace.TOO_TIGHT,
                Enough.NO,
                4,
                "Altfor mange innlegg etter hverandre. Vi savnet tid til å utveksle erfaringer om parkeringspolitikk.",
            ),
            (
                4,
                Pace.RIGHT,
                Enough.PARTLY,
                5,
                "Nyttig å høre hvor langt de andre byene har kommet med handlingsprogrammet. Gjerne mer av det.",
            ),
            (
                5,
                Pace.TOO_TIGHT,
                Enough.PARTLY,
                5,
                "Sykkelturen var høydepunktet. Skulle gjerne hatt mer tid til å diskutere det vi så underveis.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                4,
                "Staten bør komme bedre forberedt og være konkret: hva kan dere faktisk bidra med, og med hvilke "
                "midler? Det ble for generelt.",
            ),
            (4, Pace.TOO_TIGHT, Enough.PARTLY, 4, ""),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                5,
                "Gode presentasjoner, men vi trenger mer tid til å diskutere på tvers av byene – det er der vi "
                "lærer mest.",
            ),
            (
                3,
                Pace.RIGHT,
                Enough.PARTLY,
                4,
                "Interessant, men mye av stoffet om areal og transport kjente vi fra før. Flere eksempler fra "
                "byene neste gang.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                5,
                "For tett program og for lite tid til å snakke sammen i pausene. Samlingen kunne gjerne vært to "
                "hele dager.",
            ),
        ),
        minutes=(
            "Stavanger kommune la fram klimaarbeidet og utkastet til handlingsprogram, med vekt på fortetting "
            "rundt Jåttåvågen og satsingen på sykkel. Sandnes, Drammen og Kristiansand orienterte om sine "
            "handlingsprogrammer så langt. Byene har kommet ulikt langt, og programmene er bygget opp "
            "forskjellig.\n\n"
            "Miljøverndepartementet gikk gjennom rammene for handlingsprogrammene og hva departementet venter "
            "at de skal inneholde. Samferdselsdepartementet orienterte om belønningsordningen for "
            "kollektivtransport; flere byer spurte hvordan ordningen kan brukes i deres byområde.\n\n"
            "Befaringer: Jåttåvågen og Forus, og sykkelveiene fra Breiavatnet til Hillevåg.\n\n"
            "I diskusjonen ble parkeringspolitikk pekt ut som et tema byene vil arbeide videre med sammen."
        ),
    ),
    Gathering(
        theme="energy",
        host="Trondheim",
        label="energi i bygg",
        venue="Trondheim rådhus",
        description=(
            "Samling i nettverket for energi i bygg, med Trondheim kommune som vertskap. Byene presenterer "
            "handlingsprogrammene så langt, Enova og Husbanken forteller hva de kan bidra med, og vi besøker "
            "fjernvarmeanlegget på Heimdal og kommunale bygg med energioppfølging. Sør-Trøndelag "
            "fylkeskommune er invitert."
        ),
        days=((datetime.date(2008, 10, 8), 10, 0), (datetime.date(2008, 10, 9), 8, 30)),
        agenda=(
            (
                welcome("Trondheim"),
                own_work("Trondheim"),
                Item(
                    40,
                    Kind.PRESENTATION,
                    "Enova: støtteprogrammer for kommunene og energieffektivisering i bygg",
                    "Enova SF",
                ),
                Item(
                    35,
                    Kind.PRESENTATION,
                    "Husbanken: lån og tilskudd til energieffektive boliger og passivhus",
                    "Husbanken",
                ),
                LUNCH,
                site_visit(
                    "Trondheim",
                    180,
                    "fjernvarme fra avfallsforbrenning på Heimdal",
                    "Heimdal varmesentral",
                    "fjernvarme",
                    "varmesentral",
                    "bioenergi",
                    "oljefyr",
                ),
                COFFEE,
                programme("Oslo"),
                programme("Bærum"),
            ),
            (
                site_visit(
                    "Trondheim",
                    120,
                    "energioppfølging i kommunale bygg og planene for Brøset",
                    "Trondheim sentrum og Brøset",
                    "passiv",
                    "energieffekt",
                    "energioppfølging",
                    "brøset",
                    "bygg",
                ),
                programme("Tromsø"),
                LUNCH,
                Item(75, Kind.DISCUSSION, "Diskusjon i grupper: energikrav til nye og eksisterende bygg"),
                summing_up("Nettverksledere (Olje- og energidepartementet og Kommunal- og regionaldepartementet)"),
            ),
        ),
        # The programme management could not come: no talk from the ministry at this one.
        declined=frozenset({"kontakt-sarpsborg", "kontakt-kristiansand", "departementet"}),
        absent=frozenset({"kontakt-skien"}),
        answers=(
            (
                4,
                Pace.TOO_TIGHT,
                Enough.PARTLY,
                5,
                "Trondheim viste mye godt arbeid, særlig fjernvarmen på Heimdal. Programmet var likevel for tett "
                "til at vi fikk diskutert ordentlig.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                4,
                "Enova og Husbanken presenterte ordningene sine, men det var uklart hva de konkret kan tilby byene "
                "utover de vanlige støtteprogrammene.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                5,
                "Gode befaringer. Vi ønsker oss mer tid til erfaringsutveksling mellom byene, gjerne i mindre grupper.",
            ),
            (
                5,
                Pace.TOO_TIGHT,
                Enough.PARTLY,
                5,
                "Svært lærerikt å se energioppfølgingen i de kommunale byggene. Mindre tid på bussen og mer tid "
                "til samtale hadde vært bra.",
            ),
            (
                4,
                Pace.RIGHT,
                Enough.PARTLY,
                4,
                "Gode innlegg fra byene, men vi ville gjerne diskutert dem mer. Fint om presentasjonene legges ut "
                "i portalen.",
            ),
            (
                3,
                Pace.TOO_TIGHT,
                Enough.NO,
                4,
                "Staten må bli tydeligere på hva et samarbeid innebærer. Vi reiste hjem uten å vite hva vi kan "
                "vente oss av Enova.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                4,
                "For mange programpunkter. Gruppediskusjonen på dag to ble altfor kort.",
            ),
            (4, Pace.TOO_TIGHT, Enough.PARTLY, 5, ""),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                4,
                "Nyttig, men det trengs mer tid til spørsmål og diskusjon etter hvert innlegg.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.PARTLY,
                4,
                "Fint å høre om Husbankens ordninger, men vi savner konkrete svar på hvordan de kan brukes i "
                "prosjektene våre.",
            ),
            (
                4,
                Pace.RIGHT,
                Enough.PARTLY,
                4,
                "Godt å være invitert som fylkeskommune. Vi vil gjerne bidra mer i nettverket, særlig om regional "
                "planlegging og energi.",
            ),
        ),
        minutes=(
            "Trondheim kommune la fram klimaarbeidet og utkastet til handlingsprogram, med fjernvarme, "
            "energioppfølging i kommunale bygg og planene for en klimavennlig bydel på Brøset. Oslo, Bærum og "
            "Tromsø orienterte om sine handlingsprogrammer så langt.\n\n"
            "Enova orienterte om støtteprogrammene for kommuner og for energieffektivisering i bygg, og "
            "Husbanken om lån og tilskudd til energieffektive boliger og passivhus. Byene spurte etter mer "
            "konkrete svar på hva samarbeid med Enova og Husbanken kan gi.\n\n"
            "Befaringer: Heimdal varmesentral, kommunale bygg i sentrum og Brøset.\n\n"
            "I gruppediskusjonen var energikrav til kommunens egne nybygg og kompetanse om passivhus de "
            "viktigste temaene. Sør-Trøndelag fylkeskommune deltok."
        ),
    ),
    Gathering(
        theme="consumption",
        host="Fredrikstad",
        label="forbruk og avfall",
        venue="Fredrikstad rådhus",
        description=(
            "Samling i nettverket for forbruksmønster og avfall i Fredrikstad. Vertsbyen viser fram "
            "klimaarbeidet og handlingsprogrammet så langt, Sarpsborg og Skien presenterer sine utkast, og "
            "Miljøverndepartementet og Difi orienterer om miljøkrav i offentlige innkjøp. Befaring hos FREVAR "
            "på Øra. Østfold fylkeskommune er invitert."
        ),
        days=((datetime.date(2008, 10, 28), 10, 0), (datetime.date(2008, 10, 29), 8, 30)),
        agenda=(
            (
                welcome("Fredrikstad"),
                own_work("Fredrikstad"),
                MD_FRAME,
                Item(
                    45,
                    Kind.PRESENTATION,
                    "Miljøkrav i offentlige innkjøp: hva kan staten bidra med?",
                    "Miljøverndepartementet og Direktoratet for forvaltning og IKT (Difi)",
                ),
                LUNCH,
                site_visit(
                    "Fredrikstad",
                    150,
                    "FREVAR – biogass fra avløpsslam og gjenvinning på Øra",
                    "FREVAR, Øra industriområde",
                    "biogass",
                    "avfall",
                    "gjenvinning",
                    "kildesort",
                ),
                COFFEE,
                programme("Sarpsborg"),
                Item(45, Kind.DISCUSSION, "Diskusjon: avfallsforebygging – hva kan byene gjøre sammen?"),
            ),
            (
                site_visit(
                    "Fredrikstad",
                    45,
                    "miljøsertifisering og innkjøp i kommunens egne virksomheter",
                    "Fredrikstad sentrum",
                    "innkjøp",
                    "miljøfyrtårn",
                    "sertifiser",
                    "forbruk",
                ),
                programme("Skien"),
                Item(60, Kind.DISCUSSION, "Erfaringsutveksling mellom byene: innkjøp og forbruk i egen virksomhet"),
                COFFEE,
                summing_up("Nettverksleder (Miljøverndepartementet)"),
                LUNCH,
            ),
        ),
        declined=frozenset({"kontakt-tromso", "kontakt-bergen", "ks"}),
        absent=frozenset({"fylkeskommune-ostfold"}),
        answers=(
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                5,
                "FREVAR var en flott befaring, og biogassanlegget ga oss mange ideer. Men det ble for lite tid "
                "til å snakke sammen på tvers av byene.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.PARTLY,
                4,
                "Innlegget om miljøkrav i innkjøp var for overordnet. Vi trenger konkrete maler og hjelp fra "
                "staten, ikke bare oppfordringer.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                4,
                "Programmet var for tett. Sett av en hel økt til erfaringsutveksling neste gang.",
            ),
            (
                3,
                Pace.TOO_TIGHT,
                Enough.NO,
                4,
                "Vi savnet en tydelig beskjed om hva Difi og departementet kan bidra med overfor kommunene.",
            ),
            (
                4,
                Pace.RIGHT,
                Enough.PARTLY,
                5,
                "Nyttig å se hvordan Fredrikstad arbeider med miljøsertifisering i egne virksomheter.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                5,
                "Mye bra innhold, men for lite rom for diskusjon. Avfallsforebygging fortjener mer tid.",
            ),
            (
                5,
                Pace.TOO_TIGHT,
                Enough.PARTLY,
                5,
                "Godt organisert av vertsbyen. Gjerne færre innlegg og lengre diskusjoner.",
            ),
            (4, Pace.TOO_TIGHT, Enough.NO, 4, ""),
            (
                4,
                Pace.RIGHT,
                Enough.PARTLY,
                4,
                "Interessant å høre Sarpsborg og Skien. Vi skulle gjerne hatt tid til å diskutere forskjellene "
                "mellom programmene.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                4,
                "Staten informerte, men det var lite konkret om hva vi kan få til av samarbeid. Mer tid til "
                "spørsmål og diskusjon hadde hjulpet.",
            ),
        ),
        minutes=(
            "Fredrikstad kommune la fram klimaarbeidet og utkastet til handlingsprogram, med biogass, "
            "gjenvinning og miljøsertifisering av kommunens egne virksomheter. Sarpsborg og Skien orienterte "
            "om sine handlingsprogrammer så langt.\n\n"
            "Miljøverndepartementet gikk gjennom rammene og forventningene til handlingsprogrammene. "
            "Departementet og Difi orienterte om miljøkrav i offentlige innkjøp og om veiledningen som "
            "finnes; byene ønsket mer praktisk hjelp, som maler for kravspesifikasjoner.\n\n"
            "Befaringer: FREVAR på Øra og kommunale virksomheter i sentrum.\n\n"
            "I diskusjonen kom det fram at flere byer vil se på avfallsforebygging sammen. Østfold "
            "fylkeskommune var påmeldt, men kunne ikke møte."
        ),
    ),
    Gathering(
        theme="adaptation",
        host="Bergen",
        label="klimatilpasning",
        venue="Bergen rådhus",
        description=(
            "Samling i nettverket for klimatilpasning, med Bergen kommune som vertskap. Tema er "
            "havnivåstigning, overvann og skred. DSB og NVE forteller hva de kan bidra med, og vi går på "
            "befaring på Bryggen og i Fana. Hordaland fylkeskommune er invitert."
        ),
        days=((datetime.date(2008, 11, 12), 9, 30), (datetime.date(2008, 11, 13), 8, 30)),
        agenda=(
            (
                welcome("Bergen"),
                own_work("Bergen"),
                MD_FRAME,
                Item(
                    30,
                    Kind.PRESENTATION,
                    "Klimatilpasning i kommunal planlegging og beredskap: hva kan DSB bidra med?",
                    "Direktoratet for samfunnssikkerhet og beredskap (DSB)",
                ),
                Item(
                    30,
                    Kind.PRESENTATION,
                    "Flom- og skredfare: kartlegging, veiledning og sikring fra NVE",
                    "Norges vassdrags- og energidirektorat (NVE)",
                ),
                LUNCH,
                site_visit(
                    "Bergen",
                    90,
                    "Bryggen og Vågen – stormflo og havnivåstigning",
                    "Bryggen og Vågen",
                    "havnivå",
                    "stormflo",
                    "bryggen",
                    "sjø",
                ),
                COFFEE,
                programme("Drammen"),
                programme("Tromsø"),
                programme("Stavanger"),
                Item(60, Kind.DISCUSSION, "Diskusjon: overvann og flomveier i den tette byen"),
            ),
            (
                site_visit(
                    "Bergen",
                    150,
                    "skredsikring etter raset på Hatlestad og overvannstiltak i Fana",
                    "Hatlestad terrasse, Fana",
                    "skred",
                    "flom",
                    "overvann",
                ),
                LUNCH,
                Item(90, Kind.DISCUSSION, "Erfaringsutveksling mellom byene: klimatilpasning i arealplanene"),
                COFFEE,
                summing_up("Nettverksleder (Miljøverndepartementet) og koordinator (DSB)"),
            ),
        ),
        declined=frozenset({"kontakt-porsgrunn", "kontakt-sarpsborg"}),
        absent=frozenset(),
        answers=(
            (
                4,
                Pace.TOO_TIGHT,
                Enough.PARTLY,
                5,
                "Befaringen på Bryggen gjorde havnivåstigningen svært håndfast. Programmet var likevel tett, og "
                "diskusjonene ble korte.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.PARTLY,
                5,
                "Bra at det var satt av mer tid til diskusjon enn i Stavanger, men det holdt fortsatt ikke.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                4,
                "DSB og NVE ga en god oversikt, men vi fikk ikke klare svar på hvilken hjelp byene konkret kan få "
                "til å kartlegge flom- og skredfare.",
            ),
            (
                5,
                Pace.RIGHT,
                Enough.YES,
                5,
                "En svært lærerik samling. Befaringen i Fana viste hvor mye det koster å rydde opp etter et skred.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                4,
                "For mange innlegg første dag. Mer tid til erfaringsutveksling, takk.",
            ),
            (
                3,
                Pace.TOO_TIGHT,
                Enough.PARTLY,
                4,
                "Statens rolle i klimatilpasningen er fortsatt uklar. Hvem gjør hva, og hva kan kommunene regne med?",
            ),
            (4, Pace.TOO_TIGHT, Enough.PARTLY, 5, ""),
            (
                4,
                Pace.RIGHT,
                Enough.PARTLY,
                5,
                "Nyttig å høre Drammen fortelle om flommene i Drammenselva. Gjerne flere slike eksempler, og tid til "
                "å diskutere dem.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                4,
                "Vi ønsker mer tid i grupper, der vi kan diskutere overvann i dybden.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.PARTLY,
                5,
                "Vertsbyen hadde lagt ned mye arbeid. Tidsplanen sprakk likevel, og diskusjonen etter lunsj ble "
                "kortet ned.",
            ),
            (
                4,
                Pace.TOO_TIGHT,
                Enough.NO,
                4,
                "Det var lite konkret fra statens side om veiledning og midler. Vi trenger tydeligere svar før "
                "handlingsprogrammet skal ferdigstilles.",
            ),
            (
                4,
                Pace.RIGHT,
                Enough.PARTLY,
                4,
                "Nyttig for fylkeskommunen å være med. Regional planlegging bør få en tydeligere plass på senere "
                "samlinger.",
            ),
        ),
        minutes=(
            "Bergen kommune la fram klimaarbeidet og utkastet til handlingsprogram, med stormflo og "
            "havnivåstigning i sentrum, overvann og sikring mot skred. Drammen, Tromsø og Stavanger orienterte "
            "om sine handlingsprogrammer så langt.\n\n"
            "Miljøverndepartementet gikk gjennom rammene og forventningene til handlingsprogrammene. DSB "
            "orienterte om veiledning i klimatilpasning og beredskap, og NVE om kartlegging av flom- og "
            "skredfare og om sikringstiltak. Byene ba om tydeligere svar på hva de kan få av hjelp.\n\n"
            "Befaringer: Bryggen og Vågen, og Hatlestad i Fana.\n\n"
            "I erfaringsutvekslingen var klimatilpasning i arealplanene og håndtering av overvann de viktigste "
            "temaene. Hordaland fylkeskommune deltok."
        ),
    ),
]
