"""How the portal holds up with a large programme: `make bench` (python -m benchmarks.run).

Builds, in a throwaway database (a SQLite file under var/, or a database
beside the one DATABASE_URL names), a programme of 13 cities and measures:

- the dashboard (/) and the review grid (/review/): time and number of
  queries, as the programme management, through Django's test client;
- the status PDF: time and peak memory, each run in a process of its own,
  next to WeasyPrint rendering the same HTML alone;

then grows it to 1,000 cities, 20,000 measures, 200 agreements and 500
meetings and measures again; then, at 10,000 cities, the sweep when nothing
is due and the outbox sending 10,000 mails beside Django's own sending of the
same mails (benchmarks/outbox.py). Besides: the minutes PDF at its largest allowed
size (benchmarks/minutes_pdf.py) and the content check of a 25 MB upload
(benchmarks/uploads.py: time and peak memory). Prints a table and the targets with PASS or
FAIL (exit status 1 if any fails). Not part of `make test`.
"""

import argparse
import datetime
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SMALL = {"cities": 13, "measures": 260, "agreements": 8, "meetings": 20}
LARGE = {"cities": 1000, "measures": 20_000, "agreements": 200, "meetings": 500}
# The outbox and the idle sweep are measured at the size of the largest networks (benchmarks/outbox.py).
HUGE = {**LARGE, "cities": 10_000}
MANAGER = "bench-departementet"
ROUND = "handlingsprogram-bench"
TARGET_PDF_RATIO = 1.5
TARGET_PDF_SECONDS = 15
TARGET_PDF_MB = 500
TARGET_QUERIES = 20
TARGET_MINUTES_PDF_SECONDS = 10
TARGET_UPLOAD_CHECK_MB = 25  # the check must not hold a 25 MB file in memory
TARGET_RATE_RATIO = 0.5  # the outbox's mails a second against Django's send_messages on one connection
TARGET_IDLE_SWEEP_SECONDS = 1.0


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("SQLITE_TEST_NAME", str(BASE_DIR / "var" / "bench.sqlite3"))
    # Report rendering logs refused URLs and WeasyPrint its progress; neither is news here.
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


# Building the programme ----------------------------------------------------


class Builder:
    """Adds cities, programmes, measures, reviews, agreements and meetings in bulk, up to the sizes asked for."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        from actionplans.models import Deadline, MeasureCategory, Round
        from cities.models import County, Membership, Organisation, ThemeArea

        self.random = random.Random(2009)  # noqa: S311 -- made-up figures, the same on every run
        self.now = datetime.datetime.now(datetime.UTC)
        self.counties = County.objects.bulk_create([County(name=f"Fylke {n}", number=f"{n:02d}") for n in range(11)])
        self.themes = ThemeArea.objects.bulk_create(
            [
                ThemeArea(code=code, name_nb=nb, name_en=en, order=n)
                for n, (code, nb, en) in enumerate(
                    [
                        ("atp", "Areal og transport", "Land use and transport"),
                        ("energy", "Energi i bygg", "Energy in buildings"),
                        ("consumption", "Forbruksmønster og avfall", "Consumption and waste"),
                        ("adaptation", "Klimatilpasning", "Climate adaptation"),
                    ],
                    1,
                )
            ]
        )
        self.categories = MeasureCategory.objects.bulk_create(
            [
                MeasureCategory(theme_area=theme, name_nb=f"Kategori {theme.code} {n}", name_en=f"Category {n}")
                for theme in self.themes
                for n in range(3)
            ]
        )
        self.organisations = Organisation.objects.bulk_create(
            [
                Organisation(name=name, short_name=short, kind=kind)
                for short, name, kind in [
                    ("MD", "Miljøverndepartementet", Organisation.Kind.MINISTRY),
                    ("KS", "KS", Organisation.Kind.ASSOCIATION),
                    ("ENOVA", "Enova SF", Organisation.Kind.STATE_AGENCY),
                ]
            ]
        )
        self.manager = get_user_model().objects.create_user(MANAGER, f"{MANAGER}@example.org", "bench")
        Membership.objects.create(
            user=self.manager, role=Membership.Role.PROGRAMME_MANAGEMENT, organisation=self.organisations[0]
        )
        self.round = Round.objects.create(name="Handlingsprogram (benchmark)", slug=ROUND)
        self.due = (self.now + datetime.timedelta(days=30)).date()
        Deadline.objects.create(round=self.round, due_date=self.due)
        self.size = {"cities": 0, "measures": 0, "agreements": 0, "meetings": 0}

    def grow_to(self, size):
        first, last = self.size["cities"], size["cities"]
        cities = self._cities(first, last)
        programmes = self._programmes(cities, first)
        self._measures(programmes, size["measures"] - self.size["measures"])
        self._reviews([p for p in programmes if p.status == "submitted"])
        self._agreements(size["agreements"] - self.size["agreements"], size["cities"])
        self._meetings(size["meetings"] - self.size["meetings"], size["cities"])
        self.size = dict(size)

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
            ]
        )
        started = [p for p, status in zip(programmes, statuses, strict=True) if status != "not_started"]
        drafts = Draft.objects.bulk_create(
            [
                Draft(
                    programme=p,
                    number=1,
                    file=f"drafts/{p.pk}/bench.pdf",
                    original_name="handlingsprogram.pdf",
                    extension=".pdf",
                    content_type="application/pdf",
                    size=123_456,
                    sha256="0" * 64,
                    uploaded_by=self.manager,
                    uploaded_at=self.now - datetime.timedelta(days=20),
                )
                for p in started
            ]
        )
        draft_of = {d.programme_id: d for d in drafts}
        submitted = []
        for n, (p, status) in enumerate(zip(programmes, statuses, strict=True), first):
            if status == "submitted":
                p.status, p.submitted_draft, p.submitted_by = "submitted", draft_of[p.pk], self.manager
                p.submitted_at = self.now - datetime.timedelta(days=n % 9, hours=n % 7)
                p.submitted_on_time = n % 7 != 0
                submitted.append(p)
        ActionProgramme.objects.bulk_update(
            submitted,
            ["status", "submitted_draft", "submitted_by", "submitted_at", "submitted_on_time"],
            batch_size=500,
        )
        return programmes

    def _measures(self, programmes, count):
        from actionplans.models import Measure

        measures = []
        for n in range(count):
            programme = programmes[n % len(programmes)]
            theme = self.themes[n % len(self.themes)]
            measures.append(
                Measure(
                    programme=programme,
                    theme_area=theme,
                    category=self.categories[(n % len(self.themes)) * 3 + n % 3] if n % 4 else None,
                    title=f"Tiltak {n}: {theme.name_nb.lower()}",
                    description="Beskrivelse av tiltaket, med mål, virkemidler og ansvar. " * 3,
                    expected_effect=Decimal(self.random.randrange(0, 50_000)) / 10,
                    cost_estimate=Decimal(self.random.randrange(100, 50_000) * 1000),
                    status=("planned", "ongoing", "done")[n % 3],
                    candidate_kind="pilot_project" if n % 25 == 0 else "",
                )
            )
        Measure.objects.bulk_create(measures, batch_size=2000)

    def _reviews(self, submitted):
        from actionplans.models import Review

        statuses = ["not_started", "in_progress", "comments_sent", "completed", "completed"]
        Review.objects.bulk_create(
            [
                Review(
                    programme=p,
                    theme_area=theme,
                    status=statuses[(p.pk + t) % len(statuses)],
                    assessment="Vurdering av temaet.",
                    completed_at=self.now if statuses[(p.pk + t) % len(statuses)] == "completed" else None,
                )
                for p in submitted
                for t, theme in enumerate(self.themes)
            ],
            batch_size=2000,
        )

    def _agreements(self, count, cities):
        from agreements.models import Agreement, Party
        from cities.models import City

        statuses = Agreement.Status.values
        kinds = ["long_term_economic", "pilot_project", "competence_building", "joint_study", "shared_data"]
        agreements = Agreement.objects.bulk_create(
            [
                Agreement(
                    title=f"Avtale {self.size['agreements'] + n}",
                    kind=kinds[n % len(kinds)],
                    status=statuses[n % len(statuses)],
                    value=Decimal(1_000_000 * (n % 50 + 1)) if n % 3 else None,
                    created_by=self.manager,
                )
                for n in range(count)
            ]
        )
        city_ids = list(City.objects.values_list("pk", flat=True)[:cities])
        parties = []
        for n, agreement in enumerate(agreements):
            for city_id in {city_ids[n % len(city_ids)], city_ids[(7 * n + 3) % len(city_ids)]}:
                parties.append(Party(agreement=agreement, city_id=city_id))
            parties.append(Party(agreement=agreement, organisation=self.organisations[n % len(self.organisations)]))
        Party.objects.bulk_create(parties)
        through = Agreement.theme_areas.through
        through.objects.bulk_create(
            [through(agreement=a, themearea=self.themes[n % len(self.themes)]) for n, a in enumerate(agreements)]
        )

    def _meetings(self, count, cities):
        from cities.models import City
        from meetings.models import ActionItem, Decision, Meeting, Minutes

        kinds = Meeting.Kind.values
        hosts = list(City.objects.all()[: max(cities, 1)])
        meetings = []
        for n in range(count):
            # Half held in the past year, half planned for the next.
            days = (n * 365 // max(count, 1)) - 182
            starts = self.now + datetime.timedelta(days=days, hours=n % 8)
            meetings.append(
                Meeting(
                    kind=kinds[n % len(kinds)],
                    title=f"Møte {self.size['meetings'] + n}",
                    host_city=hosts[n % len(hosts)],
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


# Measuring -------------------------------------------------------------------


def measure_page(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # templates compiled, caches warm
    times, queries = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        queries.append(len(captured))
    return {"seconds": statistics.median(times), "queries": max(queries)}


def child(mode, *args):
    """Run one measurement in a fresh process; its result as a dict."""
    from django.db import connection

    env = {**os.environ, "BENCH_DB_NAME": str(connection.settings_dict["NAME"])}
    output = subprocess.run(  # noqa: S603 -- this very script, with our own arguments
        [sys.executable, "-m", "benchmarks.run", "--child", mode, *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure_pdf(runs, html_file):
    """The status report (data, HTML and PDF) and WeasyPrint alone on the same HTML, each in its own processes."""
    report = [child("report", html_file) for _ in range(runs)]
    alone = [child("weasyprint", html_file) for _ in range(runs)]

    def summary(results):
        return {
            "seconds": statistics.median(r["seconds"] for r in results),
            "html_seconds": statistics.median(r["html_seconds"] for r in results),
            "peak_mb": max(r["peak_mb"] for r in results),
            "pages": results[0]["pages"],
        }

    return summary(report), summary(alone)


def run_child(mode, html_file):
    """In the child process: time one rendering and report it with the process's peak memory, as JSON."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from pypdf import PdfReader

    from actionplans.models import Round
    from lib.pdf import render_pdf
    from reporting import reports

    connection.settings_dict["NAME"] = os.environ["BENCH_DB_NAME"]
    render_pdf("<p>warm-up</p>")  # WeasyPrint imported, fonts found: both modes start alike
    if mode == "report":
        user = get_user_model().objects.get(username=MANAGER)
        round_ = Round.objects.select_related("deadline").get(slug=ROUND)
        start = time.perf_counter()
        html = reports.status_report_html(user, round_, language="nb")
        html_seconds = time.perf_counter() - start
        pdf = render_pdf(html)
        seconds = time.perf_counter() - start
        Path(html_file).write_text(html)
    else:
        html = Path(html_file).read_text()
        start = time.perf_counter()
        pdf = render_pdf(html)
        seconds = html_seconds = time.perf_counter() - start
    import io

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    result = {"seconds": seconds, "html_seconds": html_seconds, "peak_mb": peak_mb(), "pages": pages}
    print(json.dumps(result))


# Reporting ---------------------------------------------------------------------


def report(results, extra):
    sizes = list(results)
    label = {size: f"{results[size]['cities']:,} cities".replace(",", " ") for size in sizes}
    lines = [f"{'':26}" + "".join(f"{label[s]:>32}" for s in sizes)]

    def row(name, cell):
        lines.append(f"{name:26}" + "".join(f"{cell(results[s]):>32}" for s in sizes))

    row("dashboard (/)", lambda r: f"{r['home']['seconds'] * 1000:.0f} ms, {r['home']['queries']} queries")
    row("review grid (/review/)", lambda r: f"{r['grid']['seconds'] * 1000:.0f} ms, {r['grid']['queries']} queries")
    row(
        "status PDF",
        lambda r: f"{r['pdf']['seconds']:.2f} s, {r['pdf']['peak_mb']:.0f} MB, {r['pdf']['pages']} pages",
    )
    row("  of which data and HTML", lambda r: f"{r['pdf']['html_seconds']:.2f} s")
    row("WeasyPrint alone", lambda r: f"{r['alone']['seconds']:.2f} s, {r['alone']['peak_mb']:.0f} MB")
    small, large = results["small"], results["large"]
    ratio = small["pdf"]["seconds"] / small["alone"]["seconds"]
    targets = [
        (
            small["home"]["queries"] == large["home"]["queries"],
            f"dashboard: the same queries at both sizes ({small['home']['queries']} and {large['home']['queries']})",
        ),
        (
            small["grid"]["queries"] == large["grid"]["queries"],
            f"review grid: the same queries at both sizes ({small['grid']['queries']} and {large['grid']['queries']})",
        ),
        (
            max(r[page]["queries"] for r in results.values() for page in ("home", "grid")) < TARGET_QUERIES,
            f"both pages under {TARGET_QUERIES} queries (DESIGN.md)",
        ),
        (
            ratio <= TARGET_PDF_RATIO,
            f"status PDF at 13 cities within {TARGET_PDF_RATIO}× of WeasyPrint alone ({ratio:.2f}×)",
        ),
        (
            large["pdf"]["seconds"] < TARGET_PDF_SECONDS,
            f"status PDF at 1 000 cities under {TARGET_PDF_SECONDS} s ({large['pdf']['seconds']:.1f} s)",
        ),
        (
            large["pdf"]["peak_mb"] < TARGET_PDF_MB,
            f"status PDF at 1 000 cities under {TARGET_PDF_MB} MB ({large['pdf']['peak_mb']:.0f} MB peak)",
        ),
    ]
    lines.append("")
    lines.append(f"{'minutes PDF, largest':26}{extra['minutes_pdf']:>30.2f} s")
    outbox = extra["outbox"]
    django_rate, outbox_rate = outbox["sent"] / outbox["django_seconds"], outbox["sent"] / outbox["outbox_seconds"]
    lines.append(f"{'idle sweep, 10 000 cities':26}{outbox['idle_sweep']:>30.2f} s")
    lines.append(f"{'10 000 mails, Django':26}{outbox['django_seconds']:>22.2f} s, {django_rate:.0f} a second")
    lines.append(f"{'10 000 mails, outbox':26}{outbox['outbox_seconds']:>22.2f} s, {outbox_rate:.0f} a second")
    targets += [
        (
            outbox["idle_sweep"] < TARGET_IDLE_SWEEP_SECONDS,
            f"the sweep when nothing is due at 10 000 cities under {TARGET_IDLE_SWEEP_SECONDS:.0f} s "
            f"({outbox['idle_sweep']:.2f} s)",
        ),
        (
            outbox["received"] == 2 * outbox["sent"] == 2 * 10_000,
            f"every mail sent once by each ({outbox['sent']} by the outbox, {outbox['received']} received in all)",
        ),
        (
            outbox_rate >= TARGET_RATE_RATIO * django_rate,
            f"the outbox at no less than {TARGET_RATE_RATIO:.0%} of Django's rate on one connection "
            f"({outbox_rate / django_rate:.0%})",
        ),
    ]
    checks = [value for key, value in extra.items() if key.startswith("upload_check")]
    for check in checks:
        name = f"upload check, {check['file_mb']:.0f} MB {check['kind'].upper()}"
        lines.append(f"{name:26}{check['seconds']:>22.2f} s, {check['peak_mb']:.1f} MB peak")
    targets.append(
        (
            extra["minutes_pdf"] < TARGET_MINUTES_PDF_SECONDS,
            f"minutes PDF at its largest under {TARGET_MINUTES_PDF_SECONDS} s ({extra['minutes_pdf']:.1f} s)",
        )
    )
    targets += [
        (
            check["peak_mb"] < TARGET_UPLOAD_CHECK_MB,
            f"upload check of a {check['file_mb']:.0f} MB {check['kind'].upper()} under "
            f"{TARGET_UPLOAD_CHECK_MB} MB of memory ({check['peak_mb']:.1f} MB peak)",
        )
        for check in checks
    ]
    lines += ["", "Targets"] + [f"  {'PASS' if ok else 'FAIL'}  {text}" for ok, text in targets]
    print("\n".join(lines))
    return all(ok for ok, _ in targets)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="page requests per measurement (median)")
    parser.add_argument("--pdf-runs", type=int, default=3, help="PDF renderings per measurement (median)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("html_file", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return run_child(args.child, args.html_file)

    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)
    settings_dict = connection.settings_dict
    if settings_dict["ENGINE"] != "django.db.backends.sqlite3":
        settings_dict.setdefault("TEST", {})["NAME"] = f"{settings_dict['NAME']}_bench"
    old_name = settings_dict["NAME"]
    start = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"Benchmark database: {connection.settings_dict['NAME']} ({time.perf_counter() - start:.1f} s to migrate)")
    results = {}
    try:
        builder = Builder()
        client = Client()
        client.force_login(builder.manager)
        with tempfile.TemporaryDirectory() as tmp:
            for key, size in [("small", SMALL), ("large", LARGE)]:
                start = time.perf_counter()
                builder.grow_to(size)
                print(
                    f"Built {size['cities']} cities, {size['measures']} measures, {size['agreements']} agreements, "
                    f"{size['meetings']} meetings in {time.perf_counter() - start:.1f} s; measuring…",
                    flush=True,
                )
                pdf, alone = measure_pdf(args.pdf_runs, str(Path(tmp) / f"{key}.html"))
                results[key] = {
                    "cities": size["cities"],
                    "home": measure_page(client, "/", args.runs),
                    "grid": measure_page(client, "/review/", args.runs),
                    "pdf": pdf,
                    "alone": alone,
                }
        from benchmarks.minutes_pdf import measure_minutes_pdf
        from benchmarks.outbox import measure_idle_sweep, measure_outbox
        from benchmarks.uploads import measure_upload_check

        start = time.perf_counter()
        builder.grow_to(HUGE)
        print(f"Grew to {HUGE['cities']} cities in {time.perf_counter() - start:.1f} s; the sweep and the outbox…")
        outbox = {"idle_sweep": measure_idle_sweep(), **measure_outbox()}

        print("Measuring the largest minutes PDF and the upload check…", flush=True)
        extra = {"minutes_pdf": measure_minutes_pdf(args.pdf_runs), "outbox": outbox, **measure_upload_check()}
        print()
        passed = report(results, extra)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
