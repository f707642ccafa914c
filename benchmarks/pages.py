"""The pages and exports the benchmark asks for, over HTTP, and their queries in-process."""

import csv
import io
import statistics
import time

FLOOR = "/healthz/"


def pages_of(builder):
    """(name, path, username) of every HTML page measured."""
    from actionplans.models import ActionProgramme
    from benchmarks.data import MANAGER

    submitted = ActionProgramme.objects.filter(round=builder.round, status="submitted").order_by("pk").first()
    coordinator = "bench-koordinator-atp"
    return [
        ("dashboard", "/", MANAGER),
        ("programme list", "/programmes/", MANAGER),
        ("review grid", "/review/", MANAGER),
        ("review queue (one theme)", "/review/themes/atp/", coordinator),
        ("theme across cities", "/review/themes/atp/compare/", coordinator),
        ("cross-theme review", f"/programmes/{submitted.pk}/review/", coordinator),
        ("review of one theme", f"/programmes/{submitted.pk}/review/atp/", coordinator),
        ("similar measures", "/review/similar/", coordinator),
        ("effect totals", "/review/totals/", coordinator),
        ("agreements pipeline", "/agreements/", MANAGER),
        ("city page", "/cities/by-0000/", MANAGER),
    ]


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _cookies(names):
    from benchmarks.server import session_cookie

    return {name: session_cookie(_user(name)) for name in names}


def measure_pages(server, builder, runs):
    """{name: {'p50', 'floor', 'ratio', 'kb'}}: each page asked `runs` times, each time right after
    the floor, so that the two share the machine's state."""
    listed = pages_of(builder)
    cookies = _cookies({user for _n, _p, user in listed})
    results = {}
    for name, path, user in listed:
        status, size, _s, headers = server.get(path, cookies[user])  # templates compiled, caches warm
        if status != 200:
            raise RuntimeError(f"{path} answered {status} {headers.get('Location', '')}: {server.output()}")
        times, floors = [], []
        for _ in range(runs):
            floors.append(server.get(FLOOR)[2])
            status, size, seconds, _c = server.get(path, cookies[user])
            if status != 200:
                raise RuntimeError(f"{path} answered {status}: {server.output()}")
            times.append(seconds)
        p50, floor = statistics.median(times), statistics.median(floors)
        results[name] = {"p50": p50, "floor": floor, "ratio": p50 / floor, "kb": size / 1024}
    return results


def count_queries(builder):
    """{name: queries} of one request to each page, through Django's test client in this process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    clients = {}
    for name, path, user in pages_of(builder):
        if user not in clients:
            clients[user] = Client()
            clients[user].force_login(_user(user))
        clients[user].get(path)
        with CaptureQueriesContext(connection) as captured:
            clients[user].get(path)
        counts[name] = len(captured)
    return counts


def regroup(round_):
    """Seconds to regroup the similar measures of `round_`, as the task does after a change; None
    where the portal has no stored groups to make."""
    try:
        from actionplans.similarity import regroup_round
    except ImportError:
        return None
    start = time.perf_counter()
    regroup_round(round_)
    return time.perf_counter() - start


def raw_csv_seconds():
    """A plain csv.writer over the measures of every programme, the columns the export writes."""
    from actionplans.models import Measure

    rows = Measure.objects.values_list(
        "programme__city__name",
        "programme__round__name",
        "theme_area__name_nb",
        "category__name_nb",
        "title",
        "status",
        "expected_effect",
        "cost_estimate",
        "state_cooperation_wanted",
        "candidate_kind",
    ).order_by("programme__city__name", "pk")
    start = time.perf_counter()
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows.iterator(chunk_size=2000):
        writer.writerow(row)
        if out.tell() > 1 << 20:
            out.seek(0)
            out.truncate()
    return time.perf_counter() - start


def measure_exports(server, builder, runs):
    """The measures CSV and XLSX as the programme management downloads them: p50 seconds, size,
    and for the CSV the growth of the worker's peak memory; beside a plain csv.writer."""
    from benchmarks.data import MANAGER

    cookie = _cookies([MANAGER])[MANAGER]
    result = {}
    for fmt in ("csv", "xlsx"):
        path = f"/exports/measures.{fmt}"
        server.get("/exports/measures.csv?theme=none-such", cookie)  # the code imported, nothing big held
        before = server.reset_peak()
        times = []
        for _ in range(runs if fmt == "csv" else 1):
            status, size, seconds, headers = server.get(path, cookie)
            times.append(seconds)
        result[fmt] = {
            "status": status,
            # Over EXPORT_XLSX_INLINE_ROWS the address is a page that starts a background job.
            "background": headers.get("Content-Type", "").startswith("text/html"),
            "p50": statistics.median(times),
            "mb": size / 2**20,
            "growth_mb": server.peak_mb() - before,
        }
    result["raw_csv"] = statistics.median(raw_csv_seconds() for _ in range(3))
    return result
