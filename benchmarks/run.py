"""How the portal holds up as the programme grows: `make bench` (python -m benchmarks.run).

In a throwaway database (a SQLite file under var/, or a database beside the
one DATABASE_URL names), builds the programme of benchmarks/data.py at each
size of `--sizes` (default 13, 1,000 and 10,000 cities, about 20 measures a
city) and measures, at each size:

- every page of the list below over HTTP, served by gunicorn with DEBUG off
  (benchmarks/server.py), each request interleaved with one to the floor,
  `/healthz/` (a real view of the portal on the same server: one query), so
  that the machine's drift lands on both; p50 and each page's ratio to the
  floor; the size of the HTML; its queries (the same request in-process);
- the measures CSV and XLSX over HTTP, and the CSV's growth of the worker's
  peak memory, beside a plain `csv.writer` over the same query;
- regrouping the similar measures (the task the page reads from);
- the status PDF in a process of its own (time, peak memory, pages), and at
  the smallest size WeasyPrint alone on the same HTML;
- the reminder sweep when nothing is due and when a step is due for every city;

then, once: the outbox against Django's sending (benchmarks/outbox.py), the
largest minutes PDF (benchmarks/minutes_pdf.py), the content check of 25 MB
uploads (benchmarks/uploads.py) and a 25 MB upload over HTTP (time and the
worker's memory). Prints a table and each target with PASS or FAIL (exit
status 1 if any fails). `--short` is a quick check (13 and 1,000 cities,
fewer runs). Not part of `make test`.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

from benchmarks import checks
from benchmarks.data import MANAGER, ROUND, Builder, size_of

BASE_DIR = Path(__file__).resolve().parent.parent
SIZES = (13, 1000, 10_000)
SHORT_SIZES = (13, 1000)


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("SQLITE_TEST_NAME", str(BASE_DIR / "var" / "bench.sqlite3"))
    # Report rendering logs refused URLs and WeasyPrint its progress; neither is news here.
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


# The search is measured at this size (the issue's: 1,000 cities, 20,000 measures and their documents).
SEARCH_CITIES = 1000


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


class TreePeak:
    """The largest resident memory of this process and its children together (the PDF parts' processes,
    `lib.pdf.render_pdfs`), sampled every 50 ms while the block runs, in MB."""

    def __enter__(self):
        import threading

        self.mb, self._stop = peak_mb(), threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _sample(self):
        while not self._stop.wait(0.05):
            self.mb = max(self.mb, _tree_rss_mb())


def _tree_rss_mb():
    me, total = os.getpid(), 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            if int(pid) == me or parent == me:
                status = Path(f"/proc/{pid}/status").read_text()
                total += int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])
        except (OSError, StopIteration, ValueError, IndexError):
            continue  # a process that ended while it was read
    return total / 1024


# The status PDF, in processes of its own ----------------------------------------


def child(mode, *args, media_root=None):
    """Run one measurement in a fresh process; its result as a dict."""
    from django.db import connection

    env = {**os.environ, "BENCH_DB_NAME": str(connection.settings_dict["NAME"])}
    if media_root:
        env["MEDIA_ROOT"] = media_root
    output = subprocess.run(  # noqa: S603 -- this very script, with our own arguments
        [sys.executable, "-m", "benchmarks.run", "--child", mode, *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def measure_pdf(runs, html_file, *, alone):
    """The status report (data, HTML and PDF) and, if `alone`, WeasyPrint alone on the same HTML,
    interleaved, each rendering in its own process."""
    report, bare = [], []
    for _ in range(runs):
        report.append(child("report", html_file))
        if alone:
            bare.append(child("weasyprint", html_file))

    def summary(results):
        return {
            "seconds": statistics.median(r["seconds"] for r in results),
            "peak_mb": max(r["peak_mb"] for r in results),
            "pages": results[0]["pages"],
        }

    return summary(report), summary(bare) if alone else None


def run_child(mode, html_file):
    """In the child process: time one rendering and report it with the process's peak memory, as JSON."""
    setup_django()
    import io

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader

    from actionplans.models import Round
    from lib.pdf import render_pdf
    from reporting import reports

    connection.settings_dict["NAME"] = os.environ["BENCH_DB_NAME"]
    if mode == "xlsx":
        return run_xlsx_child()
    render_pdf("<p>warm-up</p>")  # WeasyPrint imported, fonts found: both modes start alike
    if mode == "report":
        user = get_user_model().objects.get(username=MANAGER)
        round_ = Round.objects.select_related("deadline").get(slug=ROUND)
        Path(html_file).write_text(reports.status_report_html(user, round_, language="nb"))
        with CaptureQueriesContext(connection), TreePeak() as tree:  # nothing kept: DEBUG is off
            start = time.perf_counter()
            pdf = reports.render_status_report(user, round_, language="nb")
            seconds = time.perf_counter() - start
    else:
        html = Path(html_file).read_text()
        with TreePeak() as tree:
            start = time.perf_counter()
            pdf = render_pdf(html)
            seconds = time.perf_counter() - start
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(json.dumps({"seconds": seconds, "peak_mb": max(tree.mb, peak_mb()), "pages": pages}))


def run_xlsx_child():
    """In the child process: build the measures XLSX as the background export job does (the task's
    own function), and report its time, peak memory and size, as JSON."""
    import openpyxl  # noqa: F401 -- imported before the clock starts, as a worker has it
    from django.contrib.auth import get_user_model

    from benchmarks.data import MANAGER
    from reporting import jobs
    from reporting.models import ExportJob

    job = ExportJob.objects.create(user=get_user_model().objects.get(username=MANAGER), table="measures", language="nb")
    before = peak_mb()
    start = time.perf_counter()
    jobs.run_export_job(job.pk)
    seconds = time.perf_counter() - start
    job.refresh_from_db()
    if job.status != ExportJob.Status.DONE:
        raise RuntimeError(f"The export job ended {job.status}: {job.error}")
    print(json.dumps({"seconds": seconds, "growth_mb": peak_mb() - before, "mb": job.file.size / 2**20}))


def measure_background_xlsx(media_root):
    """The measures XLSX built as the export job does, in a process of its own (as a worker)."""
    return child("xlsx", "-", media_root=media_root)


# One size ---------------------------------------------------------------------------


def measure_size(builder, cities, args, media_root):
    from django.db import connection

    from benchmarks import pages, sweeps
    from benchmarks.server import Gunicorn, database_url

    start = time.perf_counter()
    builder.grow_to(size_of(cities))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics for the planner, as autovacuum would make
            cursor.execute("ANALYZE")
    print(f"{cities} cities built in {time.perf_counter() - start:.1f} s; measuring…", flush=True)
    result = {"cities": cities, "regroup_seconds": pages.regroup(builder.round)}
    with Gunicorn(database_url(connection.settings_dict), media_root) as server:
        result["pages"] = pages.measure_pages(server, builder, args.runs)
        result["exports"] = pages.measure_exports(server, builder, max(3, args.runs // 2))
    if result["exports"]["xlsx"]["background"]:
        result["exports"]["xlsx_job"] = measure_background_xlsx(media_root)
    result["queries"] = pages.count_queries(builder)
    with tempfile.TemporaryDirectory() as tmp:
        result["pdf"], result["alone"] = measure_pdf(
            args.pdf_runs if cities <= 1000 else 1, str(Path(tmp) / "report.html"), alone=cities == min(args.sizes)
        )
    if cities == SEARCH_CITIES:
        from benchmarks.search import measure_search, report

        result["search"] = measure_search(builder, runs=max(3, args.runs // 3))
        print(report(result["search"]), flush=True)
    result["sweep_idle"] = sweeps.idle()
    result["sweep_due"] = sweeps.due_for_every_city(builder)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", help="numbers of cities, comma-separated (default 13,1000,10000)")
    parser.add_argument("--short", action="store_true", help="a quick check: 13 and 1,000 cities, fewer runs")
    parser.add_argument("--runs", type=int, help="requests per page (median; default 9, short 3)")
    parser.add_argument("--pdf-runs", type=int, help="status PDF renderings up to 1,000 cities (default 3, short 1)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("html_file", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return run_child(args.child, args.html_file)
    args.sizes = sorted({int(n) for n in args.sizes.split(",")} if args.sizes else SHORT_SIZES if args.short else SIZES)
    args.runs = args.runs or (3 if args.short else 9)
    args.pdf_runs = args.pdf_runs or (1 if args.short else 3)

    setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)
    settings_dict = connection.settings_dict
    if settings_dict["ENGINE"] != "django.db.backends.sqlite3":
        settings_dict.setdefault("TEST", {})["NAME"] = f"{settings_dict['NAME']}_bench"
    old_name = settings_dict["NAME"]
    start = time.perf_counter()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"Benchmark database: {connection.settings_dict['NAME']} ({time.perf_counter() - start:.1f} s to migrate)")
    try:
        from benchmarks.server import collect_static

        collect_static()
        with tempfile.TemporaryDirectory() as media_root:
            builder = Builder()
            results = [measure_size(builder, cities, args, media_root) for cities in args.sizes]
            extra = checks.measure_once(builder, media_root, short=args.short)
        print()
        passed = checks.report(results, extra)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
