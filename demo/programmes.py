"""The rounds 2009 and the current one, with drafts, measures, submissions and a review under way."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

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
from lib.files import inspect_upload

OSLO = ZoneInfo("Europe/Oslo")


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


def historic_round(cities, users):
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
        upload(programme, city, round_, recorder, moment)
        services.submit_programme(programme, by=recorder, now=moment)


def current_round(cities, themes, users):
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
        upload(programme, cities[slug], round_, contact, timezone.now())
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
    review(bergen, themes, users)


def review(programme, themes, users):
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


def upload(programme, city, round_, by, moment):
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


def _demo_pdf(city, round_):
    import weasyprint

    html = (
        f"<h1>{round_.name}</h1><h2>{city.name} kommune</h2>"
        "<p>Demoutkast av handlingsprogrammet for Framtidens byer.</p>"
    )
    return weasyprint.HTML(string=html).write_pdf()
