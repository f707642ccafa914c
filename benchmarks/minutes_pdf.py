"""The minutes PDF at its largest: does it render within its time budget?

`measure_minutes_pdf()` builds, in the database it is given (the benchmark's
throwaway one; see benchmarks/run.py), a meeting whose minutes have the
longest main points the form takes (20,000 characters) and as many
decisions and action items as the minutes form takes (limits.MAX_DECISIONS,
limits.MAX_ACTION_ITEMS), each of the longest text it allows, renders the PDF as the minutes view does, and returns
the seconds it took. The budget is TARGET_SECONDS.

Alone: `python -m benchmarks.minutes_pdf` (makes and drops its own throwaway database).
"""

import datetime
import random
import sys
import time

from benchmarks.run import setup_django

TARGET_SECONDS = 10
WORDS = (
    "byen kommunen tiltak klimagassutslipp kollektivtrafikk sykkelvei parkering arealplan energi bygg "
    "passivhus avfall forbruk klimatilpasning overvann nettverk samling koordineringsgruppen staten "
    "avtale belønningsordning Enova fylkeskommunen rapportering utslippsregnskap"
).split()


def _text(rng, length):
    """Plain prose of exactly `length` characters, in paragraphs, as minutes are written."""
    parts, size = [], 0
    while size < length:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + ". "
        if rng.random() < 0.15:
            sentence += "\n\n"
        parts.append(sentence)
        size += len(sentence)
    return "".join(parts)[:length]


def build_minutes(*, decisions=None, action_items=None):
    """A held meeting with published minutes at the limits; returns the minutes."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from lib import limits
    from meetings.models import ActionItem, Decision, Meeting, Minutes

    decisions = limits.MAX_DECISIONS if decisions is None else decisions
    action_items = limits.MAX_ACTION_ITEMS if action_items is None else action_items
    rng = random.Random(2009)  # noqa: S311 -- made-up text, the same on every run
    user = get_user_model().objects.create_user("bench-referent", "referent@example.org", "bench")
    starts = timezone.now().replace(microsecond=0) - datetime.timedelta(days=7)
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.GRAND_GATHERING,
        title="Storsamling (benchmark)",
        venue="Rådhuset",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=7),
        status=Meeting.Status.HELD,
        created_by=user,
    )
    minutes = Minutes.objects.create(
        meeting=meeting,
        main_points=_text(rng, limits.MAIN_POINTS),
        status=Minutes.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    Decision.objects.bulk_create(
        [Decision(minutes=minutes, order=n, text=_text(rng, limits.NOTE)) for n in range(decisions)]
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                minutes=minutes,
                text=_text(rng, limits.TASK),
                owner=user,
                due_date=starts.date() + datetime.timedelta(days=30 + n),
            )
            for n in range(action_items)
        ]
    )
    return minutes


def measure_minutes_pdf(runs=3):
    """Median seconds to render the largest minutes as PDF (data read, HTML and PDF), as the view does."""
    import statistics

    from lib.pdf import render_pdf
    from meetings import reports

    meeting = build_minutes().meeting
    render_pdf("<p>warm-up</p>")  # WeasyPrint imported and fonts found, as in a running server
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        minutes = reports.minutes_with_parts(meeting)
        reports.render_minutes_pdf(minutes, language="nb")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    setup_django()
    from django.db import connection

    from lib import limits

    settings_dict = connection.settings_dict
    if settings_dict["ENGINE"] != "django.db.backends.sqlite3":
        settings_dict.setdefault("TEST", {})["NAME"] = f"{settings_dict['NAME']}_bench"
    old_name = settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        seconds = measure_minutes_pdf()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    ok = seconds < TARGET_SECONDS
    print(
        f"minutes PDF ({limits.MAIN_POINTS} characters of main points, {limits.MAX_DECISIONS} decisions of "
        f"{limits.NOTE}, {limits.MAX_ACTION_ITEMS} action items of {limits.TASK}): {seconds:.2f} s"
    )
    print(f"  {'PASS' if ok else 'FAIL'}  under {TARGET_SECONDS} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
