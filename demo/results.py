"""What came of the 2009 programmes: the cities' report of 01.05.2010 on the use of the grant, and the
yearly report of 2011, each on the measures of the 2009 programmes; and the current round's first yearly
report, opened with drafts for the cities that have submitted.

The figures are made up but consistent: each measure comes a little further from one report to the
next, by a rule of its own (a hash of its title), so that some are done, most under way, a few stopped.
Replayed on the days it happened (`demo.clock`), through the services; safe to run again."""

import datetime
import hashlib
from decimal import Decimal

from actionplans import services as actionplans_services
from actionplans.models import Measure, Round
from demo.clock import at, when, working_day_before, working_days_back
from opendata.models import Publication
from opendata.services import publish_round
from results import services
from results.models import ProgressReport, ProgressStatus, ReportingRound

ROUND_2009 = "handlingsprogram-2009"
REPORTS_2009 = [
    # slug, name, kind, opened, due, the day most reports came in
    (
        "tilskudd-2009",
        "Rapport om bruk av tilskuddet 2009",
        ReportingRound.Kind.GRANT_USE,
        datetime.date(2010, 2, 1),
        datetime.date(2010, 5, 1),
        "Hver by rapporterer på bruken av tilskuddet fra 2009 (1 mill. kr per by, med like mye fra byen) "
        "og hvor langt tiltakene i handlingsprogrammet er kommet.",
    ),
    (
        "arsrapport-2011",
        "Årsrapport 2011",
        ReportingRound.Kind.YEARLY,
        datetime.date(2012, 1, 9),
        datetime.date(2012, 3, 1),
        "Status for tiltakene i handlingsprogrammene fra 2009 og for avtalene som er i kraft.",
    ),
]
# A city that asked for a week more for the 2010 report, and got it.
LATE_2010 = ("tromso", datetime.date(2010, 5, 7), "Bystyret behandler regnskapet for tilskuddet 6. mai.")
TEXTS = {
    ProgressStatus.NOT_STARTED: "Ikke startet: venter på finansiering.",
    ProgressStatus.UNDER_WAY: "Arbeidet pågår etter planen.",
    ProgressStatus.DONE: "Gjennomført.",
    ProgressStatus.STOPPED: "Stanset: prioritert ned i budsjettet.",
}


# What the consultant of the cross-theme review found credible of the cities' claims (March 2009).
ASSESSED_ON = datetime.date(2009, 3, 2)
REASONS = [
    (Decimal("1.0"), "Anslaget er godt begrunnet og i tråd med erfaringstall."),
    (Decimal("0.8"), "Effekten forutsetter at alle tiltakene i pakken gjennomføres; noe lavere anslag."),
    (Decimal("0.6"), "Overlapper med et annet tiltak i programmet; bare en del av kuttet regnes her."),
    (Decimal("0.5"), "Usikkert grunnlag: effekten er anslått uten lokale tall."),
]


def seed(demo):
    round_2009 = Round.objects.get(slug=ROUND_2009)
    manager = demo.users["departementet"]
    _assess(demo, round_2009)
    for step, (slug, name, kind, opened, due, description) in enumerate(REPORTS_2009):
        if ReportingRound.objects.filter(slug=slug).exists():
            continue
        with at(when(opened, 10)):
            reporting_round = services.open_round(
                name=name,
                slug=slug,
                kind=kind,
                programme_round=round_2009,
                due_date=due,
                description=description,
                by=manager,
            )
        _report(demo, reporting_round, step, due)
    # The 2009 programmes were public once the agreements were signed: published as open data.
    if not Publication.objects.filter(round=round_2009).exists():
        with at(when(datetime.date(2009, 6, 2), 10)):
            publish_round(round_2009, by=manager)


def _assess(demo, round_2009):
    """The consultant assesses the effect of the measures that claim one, so that the programme's total
    is a defensible number beside the sum of the claims."""
    measures = Measure.objects.filter(
        programme__round=round_2009, expected_effect__gt=0, assessed_effect__isnull=True
    ).order_by("pk")
    with at(when(ASSESSED_ON, 13)):
        for measure in measures:
            share, reason = REASONS[_seed_of(measure.title) % len(REASONS)]
            effect = (measure.expected_effect * share).quantize(Decimal("0.1"))
            actionplans_services.assess_measure(measure, effect=effect, reason=reason, by=demo.users["konsulent"])


def seed_current(demo):
    """The current round's yearly report, opened this autumn: drafts for the cities that have submitted."""
    round_ = Round.objects.current()
    slug = f"arsrapport-{demo.today.year}"
    if round_ is None or ReportingRound.objects.filter(slug=slug).exists():
        return
    with at(when(working_days_back(demo.today, 2), 10)):
        services.open_round(
            name=f"Årsrapport {demo.today.year}",
            slug=slug,
            kind=ReportingRound.Kind.YEARLY,
            programme_round=round_,
            due_date=datetime.date(demo.today.year + 1, 3, 1),
            description="Status for tiltakene i årets handlingsprogrammer, for byene som har sendt inn.",
            by=demo.users["departementet"],
        )


def _report(demo, reporting_round, step, due):
    reports = ProgressReport.objects.filter(reporting_round=reporting_round, city__isnull=False).select_related(
        "city", "reporting_round"
    )
    for n, report in enumerate(reports.order_by("city__name")):
        contact = demo.users[f"kontakt-{report.city.slug}"]
        day = working_days_back(working_day_before(due - datetime.timedelta(days=1)), n % 6)
        if step == 0 and report.city.slug == LATE_2010[0]:
            with at(when(working_days_back(due, 5), 14)):
                extension = services.request_extension(report, new_date=LATE_2010[1], reason=LATE_2010[2], by=contact)
            with at(when(working_days_back(due, 4), 9)):
                services.decide_extension(extension, approve=True, by=demo.users["departementet"])
            report.refresh_from_db()
            day = working_day_before(LATE_2010[1])
        measures = [(m, _progress(m, step)) for m in services.measures_to_report(report)]
        agreements = [(party, _obligation(party, step)) for party in services.parties_to_report(report)]
        with at(when(day, 13, 5 * (n % 10))):
            services.save_report(report, measures=measures, agreements=agreements, by=contact, submit=True)
    for report in ProgressReport.objects.filter(reporting_round=reporting_round, organisation__isnull=False):
        # The state's and KS's side of the agreements in force: reported by the programme management.
        agreements = [(party, _obligation(party, step)) for party in services.parties_to_report(report)]
        with at(when(working_day_before(due - datetime.timedelta(days=2)), 11)):
            services.save_report(
                report, measures=[], agreements=agreements, by=demo.users["departementet"], submit=True
            )


def _seed_of(text):
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def _progress(measure, step):
    """How far `measure` had come by report `step` (0: 2010, 1: 2011)."""
    rule = _seed_of(measure.title) % 20
    if rule == 0:
        status, share = (ProgressStatus.NOT_STARTED, 0) if step == 0 else (ProgressStatus.STOPPED, 10)
    elif rule == 1:
        status, share = ProgressStatus.NOT_STARTED, 0
    else:
        share = min(100, 15 + rule * 3 + step * 35)
        status = ProgressStatus.DONE if share == 100 else ProgressStatus.UNDER_WAY
    cost = measure.cost_estimate
    effect = measure.expected_effect
    return {
        "status": status,
        "share_done": share,
        "spent": (cost * share / 100).quantize(Decimal(1)) if cost else None,
        "effect_now": (effect * share / 100).quantize(Decimal("0.1")) if effect else None,
        "text": TEXTS[status],
    }


def _obligation(party, step):
    share = 40 + step * 40
    return {
        "status": ProgressStatus.UNDER_WAY if share < 100 else ProgressStatus.DONE,
        "share_done": share,
        "text": "Oppfølgingen går etter avtalen." if step == 0 else "Det meste av det avtalte er gjort.",
    }
