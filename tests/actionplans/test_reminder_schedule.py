"""Reminder schedule: when each step is due, who gets it, and that it is sent once.

Rules (the issue): a deadline is the end of its day in Oslo; steps 14, 7 and 2
days before, on the day, 1 and 7 days after, at 09:00 Oslo time; a step on a
weekend or Norwegian public holiday moves to the working day before, except an
overdue step, which moves to the working day after; only the latest due step is
sent; each (deadline, city, step, recipient) at most once.

Time travel uses integer timestamps: time-machine sets the process time zone
when given a datetime with a ZoneInfo (or UTC) tzinfo, which would undo the
`process_tz` fixture.
"""

import bisect
import datetime
import io
import os
import time
from zoneinfo import ZoneInfo

import holidays
import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from actionplans import reminders, services
from actionplans.models import DEFAULT_REMINDER_OFFSETS, Reminder
from outbox import sender as outbox_sender
from outbox.models import OutgoingMail
from tests import factories
from tests.conftest import upload
from tests.mailserver import free_port
from tests.outbox.helpers import delivering

OSLO = ZoneInfo("Europe/Oslo")
UTC = datetime.UTC
Kind = Reminder.Kind
CITY, SUMMARY = Kind.CITY, Kind.OVERDUE_SUMMARY

OSLO_CONTACT = "kontakt-oslo@example.org"
BERGEN_CONTACT = "kontakt-bergen@example.org"
MANAGER = "departementet@example.org"

# Process time zones to run under, with the abbreviations time.strftime("%Z") may give.
PROCESS_TZS = {"UTC": {"UTC"}, "America/Chicago": {"CST", "CDT"}}


def reminder_mails():
    """The reminders among the mails sent (the outbox's kinds; receipts and notices are other tests')."""
    ids = {m.message_id for m in OutgoingMail.objects.filter(kind__in=reminders.MAIL_KINDS)}
    return [m for m in mail.outbox if m.extra_headers.get("Message-ID") in ids]


def oslo_time(*args):
    return datetime.datetime(*args, tzinfo=OSLO)


def travel(moment, tick=False):
    """Travel to `moment` without touching the process time zone."""
    return time_machine.travel(int(moment.timestamp()), tick=tick)


def make_round(due_date):
    return factories.RoundFactory(
        name="Handlingsprogram 2027", slug="handlingsprogram-2027", deadline__due_date=due_date
    )


@pytest.fixture(params=list(PROCESS_TZS))
def process_tz(request):
    """Run under another process time zone than Django's (which sets TZ=Europe/Oslo)."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    try:
        yield request.param
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


# --- An independent oracle for the step days -------------------------------------------------

ORACLE_YEARS = range(2025, 2030)  # due dates 2026–2028 plus steps reaching into the years around
ORACLE_HOLIDAYS = frozenset(holidays.Norway(years=ORACLE_YEARS))
WORKING_DAYS = [
    day
    for day in (datetime.date(ORACLE_YEARS[0], 1, 1) + datetime.timedelta(n) for n in range(5 * 366))
    if day.year in ORACLE_YEARS and day.isoweekday() <= 5 and day not in ORACLE_HOLIDAYS
]


def oracle_day(due_date, offset):
    """The working day on or before the step's calendar day; on or after it for an overdue step."""
    day = due_date + datetime.timedelta(days=offset)
    if offset > 0:
        return WORKING_DAYS[bisect.bisect_left(WORKING_DAYS, day)]
    return WORKING_DAYS[bisect.bisect_right(WORKING_DAYS, day) - 1]


def last_sunday(year, month):
    day = datetime.date(year, month, 31)
    return day - datetime.timedelta(days=(day.isoweekday() % 7))


def oslo_utcoffset_at_nine(day):
    """EU summer time: from the last Sunday of March to the last Sunday of October (01:00 UTC)."""
    summer = last_sunday(day.year, 3) <= day < last_sunday(day.year, 10)
    return datetime.timedelta(hours=2 if summer else 1)


def test_oracle_knows_the_holidays_and_summer_time_of_2027():
    assert datetime.date(2027, 1, 1) in ORACLE_HOLIDAYS
    assert datetime.date(2027, 3, 25) in ORACLE_HOLIDAYS  # Maundy Thursday
    assert datetime.date(2027, 5, 17) in ORACLE_HOLIDAYS
    assert datetime.date(2027, 12, 24) not in ORACLE_HOLIDAYS
    assert last_sunday(2027, 3) == datetime.date(2027, 3, 28)
    assert last_sunday(2027, 10) == datetime.date(2027, 10, 31)
    assert oracle_day(datetime.date(2027, 1, 15), -14) == datetime.date(2026, 12, 31)
    assert oracle_day(datetime.date(2027, 1, 15), 1) == datetime.date(2027, 1, 18)


def test_default_reminder_steps_are_the_issue_s():
    assert DEFAULT_REMINDER_OFFSETS == (-14, -7, -2, 0, 1, 7)


def test_deadline_creates_the_default_reminder_steps(db):
    round_ = make_round(datetime.date(2027, 1, 15))
    assert [s.offset_days for s in round_.deadline.reminder_steps.all()] == [-14, -7, -2, 0, 1, 7]


# --- 1. Deadline arithmetic ----------------------------------------------------------------------


def test_send_moment_matches_oracle_for_every_due_date_2026_to_2028(process_tz):
    assert time.strftime("%Z") in PROCESS_TZS[process_tz]
    due_dates = [datetime.date(2026, 1, 1) + datetime.timedelta(n) for n in range(1096)]
    assert (due_dates[0], due_dates[-1]) == (datetime.date(2026, 1, 1), datetime.date(2028, 12, 31))
    nine = datetime.time(9, 0)
    checked, problems = 0, []
    for due in due_dates:
        for offset in DEFAULT_REMINDER_OFFSETS:
            moment = reminders.send_moment(due, offset)
            day = oracle_day(due, offset)
            local = moment.astimezone(OSLO)
            expected_utc = datetime.datetime.combine(day, nine, tzinfo=UTC) - oslo_utcoffset_at_nine(day)
            ok = (
                moment.utcoffset() is not None
                and local.date() == day
                and local.time() == nine
                and local.utcoffset() == oslo_utcoffset_at_nine(day)
                and moment == expected_utc
                and local.isoweekday() <= 5
                and local.date() not in ORACLE_HOLIDAYS
                and (local.date() > due if offset > 0 else local.date() <= due)
            )
            checked += 1
            if not ok:
                problems.append((due, offset, moment, day))
    assert checked == 1096 * 6
    assert problems == []


@pytest.mark.parametrize(
    ("due_date", "offset", "expected_utc"),
    [
        # Easter Sunday 28.03.2027 is also the night summer time starts.
        (datetime.date(2027, 3, 28), -14, datetime.datetime(2027, 3, 12, 8, 0, tzinfo=UTC)),  # Sun → Fri
        (datetime.date(2027, 3, 28), -7, datetime.datetime(2027, 3, 19, 8, 0, tzinfo=UTC)),  # Sun → Fri
        (datetime.date(2027, 3, 28), -2, datetime.datetime(2027, 3, 24, 8, 0, tzinfo=UTC)),  # Good Fri → Wed
        (datetime.date(2027, 3, 28), 0, datetime.datetime(2027, 3, 24, 8, 0, tzinfo=UTC)),  # Easter → Wed
        (datetime.date(2027, 3, 28), 1, datetime.datetime(2027, 3, 30, 7, 0, tzinfo=UTC)),  # Easter Mon → Tue, CEST
        (datetime.date(2027, 3, 28), 7, datetime.datetime(2027, 4, 5, 7, 0, tzinfo=UTC)),  # Sun → Mon, CEST
        # 14 calendar days back across the change is 09:00 CET, not 14×24 hours (10:00 CET).
        (datetime.date(2027, 4, 7), -14, datetime.datetime(2027, 3, 24, 8, 0, tzinfo=UTC)),
        (datetime.date(2027, 4, 7), -7, datetime.datetime(2027, 3, 31, 7, 0, tzinfo=UTC)),
        (datetime.date(2027, 4, 7), -2, datetime.datetime(2027, 4, 5, 7, 0, tzinfo=UTC)),
        (datetime.date(2027, 3, 21), 7, datetime.datetime(2027, 3, 30, 7, 0, tzinfo=UTC)),  # Easter Sun+Mon → Tue
        # Summer time ends on Sunday 31.10.2027.
        (datetime.date(2027, 10, 29), -2, datetime.datetime(2027, 10, 27, 7, 0, tzinfo=UTC)),
        (datetime.date(2027, 10, 29), 0, datetime.datetime(2027, 10, 29, 7, 0, tzinfo=UTC)),
        (datetime.date(2027, 10, 29), 1, datetime.datetime(2027, 11, 1, 8, 0, tzinfo=UTC)),  # Sat → Mon, CET
        (datetime.date(2027, 10, 29), 7, datetime.datetime(2027, 11, 5, 8, 0, tzinfo=UTC)),
        (datetime.date(2027, 11, 1), -14, datetime.datetime(2027, 10, 18, 7, 0, tzinfo=UTC)),
        (datetime.date(2027, 11, 1), -7, datetime.datetime(2027, 10, 25, 7, 0, tzinfo=UTC)),
        (datetime.date(2027, 11, 1), -2, datetime.datetime(2027, 10, 29, 7, 0, tzinfo=UTC)),  # Sat → Fri, CEST
        (datetime.date(2027, 11, 1), 0, datetime.datetime(2027, 11, 1, 8, 0, tzinfo=UTC)),
        (datetime.date(2027, 11, 14), -14, datetime.datetime(2027, 10, 29, 7, 0, tzinfo=UTC)),  # Sun 31.10 → Fri
        # New Year and Christmas.
        (datetime.date(2027, 1, 15), -14, datetime.datetime(2026, 12, 31, 8, 0, tzinfo=UTC)),  # 01.01 → Thu 31.12
        (datetime.date(2027, 1, 15), 1, datetime.datetime(2027, 1, 18, 8, 0, tzinfo=UTC)),  # Sat → Mon
        (datetime.date(2026, 12, 24), 1, datetime.datetime(2026, 12, 28, 8, 0, tzinfo=UTC)),  # 25, 26, 27 → Mon
        (datetime.date(2026, 12, 27), 0, datetime.datetime(2026, 12, 24, 8, 0, tzinfo=UTC)),  # 27, 26, 25 → Thu
    ],
)
def test_send_moment_around_summer_time_changes_and_holidays(process_tz, due_date, offset, expected_utc):
    moment = reminders.send_moment(due_date, offset)

    assert moment == expected_utc
    local = moment.astimezone(OSLO)
    assert local.time() == datetime.time(9, 0)
    assert local.utcoffset() == expected_utc.astimezone(OSLO).utcoffset()
    assert local.date() == oracle_day(due_date, offset)


def test_send_moment_in_winter_and_summer_has_the_oslo_offset():
    assert reminders.send_moment(datetime.date(2027, 3, 26), 0).utcoffset() == datetime.timedelta(hours=1)
    assert reminders.send_moment(datetime.date(2027, 3, 31), 0).utcoffset() == datetime.timedelta(hours=2)
    assert reminders.send_moment(datetime.date(2027, 10, 29), 0).utcoffset() == datetime.timedelta(hours=2)
    assert reminders.send_moment(datetime.date(2027, 11, 1), 0).utcoffset() == datetime.timedelta(hours=1)


# --- 2. Submission at the end of the due day ---------------------------------------------------------


@pytest.mark.parametrize(
    ("due_date", "moment", "on_time"),
    [
        (datetime.date(2027, 1, 15), oslo_time(2027, 1, 15, 23, 59, 59), True),
        (datetime.date(2027, 1, 15), oslo_time(2027, 1, 16, 0, 0, 0), False),
        (datetime.date(2027, 6, 30), oslo_time(2027, 6, 30, 23, 59, 59), True),
        (datetime.date(2027, 6, 30), oslo_time(2027, 7, 1, 0, 0, 0), False),
    ],
)
def test_submission_is_on_time_until_midnight_oslo_in_any_process_tz(
    process_tz, oslo, contact_oslo, due_date, moment, on_time
):
    programme = factories.ProgrammeFactory(round=make_round(due_date), city=oslo)
    upload(programme, contact_oslo)

    with travel(moment):
        assert os.environ["TZ"] == process_tz
        assert time.strftime("%Z") in PROCESS_TZS[process_tz]
        services.submit_programme(programme, by=contact_oslo)

    programme.refresh_from_db()
    assert programme.submitted_at == moment
    assert programme.submitted_on_time is on_time


# --- 3. Sixty days of 15-minute sweeps -----------------------------------------------------------------


def sent_rows():
    return [
        (r.email, r.kind, r.offset_days, r.queued_at.astimezone(OSLO))
        for r in Reminder.objects.filter(queued_at__isnull=False).order_by("queued_at", "scheduled_at", "pk")
    ]


def simulate(
    start, days, *, every=datetime.timedelta(minutes=15), events=None, skip=(), doubled_on=(), quiet_every=None
):
    """Sweep and send at every tick from `start` for `days` days.

    `events` maps a tick to a callable run at that moment before its sweep;
    ticks inside a (from, to) interval in `skip` have no sweep; on the Oslo
    days in `doubled_on` every sweep (and send) runs twice. With `quiet_every`, the
    other days (those where nothing falls due) are swept at that coarser interval,
    which must divide a day. Returns the number of sweeps.
    """
    events = dict(events or {})
    now = start.astimezone(UTC)
    end = now + datetime.timedelta(days=days)
    sweeps = 0
    with travel(now) as traveller:
        while now < end:
            traveller.move_to(int(now.timestamp()))
            if now in events:
                events.pop(now)(now)
            if not any(begin <= now < until for begin, until in skip):
                for _ in range(2 if now.astimezone(OSLO).date() in doubled_on else 1):
                    reminders.sweep(now)
                    with delivering():
                        reminders.queue_pending()
                    sweeps += 1
            quiet = quiet_every is not None and now.astimezone(OSLO).date() not in doubled_on
            now += quiet_every if quiet else every
    assert events == {}, "an event's moment was not on a tick"
    return sweeps


def test_sixty_days_of_sweeps_send_each_step_once_to_whom_it_concerns(
    oslo, bergen, contact_oslo, contact_bergen, manager
):
    """Due Friday 15.01.2027: −14 falls on New Year's Day, so it moves to Thursday 31.12.2026.
    Bergen submits on Sunday 10.01. On Monday 11.01 (after −7 was sent) the deadline
    moves to Friday 22.01.2027: −14 (now 08.01) and −7 (now 15.01) were sent already and
    are not sent again; −2 is Wednesday 20.01, when sweeps are down 06:00–12:00, so it goes
    at 12:00; +1 is Saturday 23.01 and moves to Monday 25.01; +7 is Friday 29.01."""
    round_ = make_round(datetime.date(2027, 1, 15))
    deadline = round_.deadline
    oslo_programme = factories.ProgrammeFactory(round=round_, city=oslo)
    bergen_programme = factories.ProgrammeFactory(round=round_, city=bergen)
    with travel(oslo_time(2026, 12, 1, 10, 0)):
        upload(bergen_programme, contact_bergen)

    def submit_bergen(now):
        services.submit_programme(bergen_programme, by=contact_bergen, now=now)

    def extend(now):
        sent = set(Reminder.objects.filter(queued_at__isnull=False, city=oslo).values_list("offset_days", flat=True))
        assert sent == {-14, -7}
        services.extend_deadline(deadline, new_date=datetime.date(2027, 1, 22), reason="Valget", by=manager)

    # A sweep pair costs ~6 ms on SQLite and ~15 ms on PostgreSQL (ORM overhead; three times
    # that under coverage): on the days a step of either due date falls on and on the days of
    # the events, the sweeps run every 15 minutes as beat runs them, and twice each; on the
    # days between, where nothing falls due and every tick only re-plans a step already
    # recorded, every 3 hours.
    step_days = {
        reminders.send_moment(due, offset).date()
        for due in (datetime.date(2027, 1, 15), datetime.date(2027, 1, 22))
        for offset in DEFAULT_REMINDER_OFFSETS
    }
    doubled_on = step_days | {datetime.date(2027, 1, 10), datetime.date(2027, 1, 11)}
    assert sorted(doubled_on) == [
        datetime.date(2026, 12, 31),
        datetime.date(2027, 1, 8),
        datetime.date(2027, 1, 10),
        datetime.date(2027, 1, 11),
        datetime.date(2027, 1, 13),
        datetime.date(2027, 1, 15),
        datetime.date(2027, 1, 18),
        datetime.date(2027, 1, 20),
        datetime.date(2027, 1, 22),
        datetime.date(2027, 1, 25),
        datetime.date(2027, 1, 29),
    ]
    sweeps = simulate(
        oslo_time(2026, 12, 16),
        60,
        events={oslo_time(2027, 1, 10, 12, 0): submit_bergen, oslo_time(2027, 1, 11, 10, 0): extend},
        skip=[(oslo_time(2027, 1, 20, 6, 0), oslo_time(2027, 1, 20, 12, 0))],
        doubled_on=doubled_on,
        quiet_every=datetime.timedelta(hours=3),
    )

    # 11 busy days of 96 ticks swept twice, 24 ticks of 20.01 in the outage; 49 quiet days of 8 ticks.
    assert sweeps == 2 * (11 * 96 - 24) + 49 * 8
    oslo_programme.refresh_from_db()
    assert oslo_programme.effective_due_date == datetime.date(2027, 1, 22)
    expected = [
        (OSLO_CONTACT, CITY, -14, oslo_time(2026, 12, 31, 9, 0)),
        (BERGEN_CONTACT, CITY, -14, oslo_time(2026, 12, 31, 9, 0)),
        (OSLO_CONTACT, CITY, -7, oslo_time(2027, 1, 8, 9, 0)),
        (BERGEN_CONTACT, CITY, -7, oslo_time(2027, 1, 8, 9, 0)),
        (OSLO_CONTACT, CITY, -2, oslo_time(2027, 1, 20, 12, 0)),
        (OSLO_CONTACT, CITY, 0, oslo_time(2027, 1, 22, 9, 0)),
        (OSLO_CONTACT, CITY, 1, oslo_time(2027, 1, 25, 9, 0)),
        (MANAGER, SUMMARY, 1, oslo_time(2027, 1, 25, 9, 0)),
        (OSLO_CONTACT, CITY, 7, oslo_time(2027, 1, 29, 9, 0)),
        (MANAGER, SUMMARY, 7, oslo_time(2027, 1, 29, 9, 0)),
    ]
    actual = sent_rows()
    assert sorted(actual) == sorted(expected)
    assert len(set(actual)) == len(actual) == len(expected)
    assert Reminder.objects.count() == len(expected)  # nothing recorded and left unsent

    rows = list(Reminder.objects.order_by("queued_at", "scheduled_at", "pk"))
    assert {(r.email, r.offset_days): r.due_date for r in rows} == {
        (OSLO_CONTACT, -14): datetime.date(2027, 1, 15),
        (BERGEN_CONTACT, -14): datetime.date(2027, 1, 15),
        (OSLO_CONTACT, -7): datetime.date(2027, 1, 15),
        (BERGEN_CONTACT, -7): datetime.date(2027, 1, 15),
        (OSLO_CONTACT, -2): datetime.date(2027, 1, 22),
        (OSLO_CONTACT, 0): datetime.date(2027, 1, 22),
        (OSLO_CONTACT, 1): datetime.date(2027, 1, 22),
        (MANAGER, 1): datetime.date(2027, 1, 22),
        (OSLO_CONTACT, 7): datetime.date(2027, 1, 22),
        (MANAGER, 7): datetime.date(2027, 1, 22),
    }
    assert {r.offset_days: r.scheduled_at.astimezone(OSLO) for r in rows if r.email == OSLO_CONTACT} == {
        -14: oslo_time(2026, 12, 31, 9, 0),
        -7: oslo_time(2027, 1, 8, 9, 0),
        -2: oslo_time(2027, 1, 20, 9, 0),
        0: oslo_time(2027, 1, 22, 9, 0),
        1: oslo_time(2027, 1, 25, 9, 0),
        7: oslo_time(2027, 1, 29, 9, 0),
    }
    assert [r.late_cities for r in rows if r.kind == SUMMARY] == [["Oslo"], ["Oslo"]]

    # One mail per row, in the order the rows were sent.
    sent = reminder_mails()
    assert len(sent) == len(rows)
    assert [m.to for m in sent] == [[r.email] for r in rows]
    assert sorted((m.to[0], m.subject) for m in sent) == sorted(
        [
            (OSLO_CONTACT, "Oslo: fristen for handlingsprogrammet er om 15 dager"),
            (BERGEN_CONTACT, "Bergen: fristen for handlingsprogrammet er om 15 dager"),
            (OSLO_CONTACT, "Oslo: fristen for handlingsprogrammet er om 7 dager"),
            (BERGEN_CONTACT, "Bergen: fristen for handlingsprogrammet er om 7 dager"),
            (OSLO_CONTACT, "Oslo: fristen for handlingsprogrammet er om 2 dager"),
            (OSLO_CONTACT, "Oslo: fristen for handlingsprogrammet er i dag"),
            (OSLO_CONTACT, "Oslo: handlingsprogrammet er 3 dager forsinket"),
            (MANAGER, "Handlingsprogram 2027: 1 by har ikke sendt inn"),
            (OSLO_CONTACT, "Oslo: handlingsprogrammet er 7 dager forsinket"),
            (MANAGER, "Handlingsprogram 2027: 1 by har ikke sendt inn"),
        ]
    )


# --- 4. A long outage ------------------------------------------------------------------------------


def test_outage_over_all_earlier_steps_sends_only_the_latest_step(process_tz, oslo, contact_oslo, manager):
    """Due Wednesday 13.01.2027; +1 is Thursday 14.01. No sweeps from 24.12.2026 (20 days
    before) until 14.01 09:00: only +1 goes out, to the city and as the summary."""
    factories.ProgrammeFactory(round=make_round(datetime.date(2027, 1, 13)), city=oslo)

    with travel(oslo_time(2026, 12, 23, 9, 0)):
        assert reminders.sweep() == 0
    with travel(oslo_time(2027, 1, 14, 9, 0)):
        assert reminders.sweep() == 2
        with delivering():
            assert reminders.queue_pending() == 2
    with travel(oslo_time(2027, 1, 14, 9, 15)):
        assert reminders.sweep() == 0
        with delivering():
            assert reminders.queue_pending() == 0

    assert sorted(sent_rows()) == [
        (MANAGER, SUMMARY, 1, oslo_time(2027, 1, 14, 9, 0)),
        (OSLO_CONTACT, CITY, 1, oslo_time(2027, 1, 14, 9, 0)),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == [MANAGER, OSLO_CONTACT]


def test_latest_due_step_after_an_outage_is_the_last_one_due():
    due = datetime.date(2027, 1, 13)
    offsets = list(DEFAULT_REMINDER_OFFSETS)
    assert reminders.latest_due_step(due, offsets, oslo_time(2026, 12, 30, 8, 59)) is None
    assert reminders.latest_due_step(due, offsets, oslo_time(2026, 12, 30, 9, 0)) == (-14, oslo_time(2026, 12, 30, 9))
    assert reminders.latest_due_step(due, offsets, oslo_time(2027, 1, 14, 9, 0)) == (1, oslo_time(2027, 1, 14, 9))
    assert reminders.latest_due_step(due, offsets, oslo_time(2027, 6, 1, 9, 0)) == (7, oslo_time(2027, 1, 20, 9))


# --- 5. A city's own approved extension --------------------------------------------------------------


def test_city_with_own_extension_is_reminded_of_its_own_date(oslo, bergen, contact_oslo, contact_bergen, manager):
    """The round is due Friday 15.01.2027; Oslo has its own Friday 29.01.2027."""
    round_ = make_round(datetime.date(2027, 1, 15))
    oslo_programme = factories.ProgrammeFactory(round=round_, city=oslo)
    factories.ProgrammeFactory(round=round_, city=bergen)
    with travel(oslo_time(2026, 12, 1, 10, 0)):
        request = services.request_extension(
            oslo_programme, new_date=datetime.date(2027, 1, 29), reason="Bystyret", by=contact_oslo
        )
        services.decide_extension(request, approve=True, comment="", by=manager)
    oslo_programme.refresh_from_db()
    assert oslo_programme.effective_due_date == datetime.date(2027, 1, 29)
    mail.outbox.clear()

    simulate(oslo_time(2026, 12, 16), 56, every=datetime.timedelta(hours=1))

    assert sorted(sent_rows()) == sorted(
        [
            (BERGEN_CONTACT, CITY, -14, oslo_time(2026, 12, 31, 9, 0)),
            (BERGEN_CONTACT, CITY, -7, oslo_time(2027, 1, 8, 9, 0)),
            (BERGEN_CONTACT, CITY, -2, oslo_time(2027, 1, 13, 9, 0)),
            (BERGEN_CONTACT, CITY, 0, oslo_time(2027, 1, 15, 9, 0)),
            (BERGEN_CONTACT, CITY, 1, oslo_time(2027, 1, 18, 9, 0)),
            (BERGEN_CONTACT, CITY, 7, oslo_time(2027, 1, 22, 9, 0)),
            (MANAGER, SUMMARY, 1, oslo_time(2027, 1, 18, 9, 0)),
            (MANAGER, SUMMARY, 7, oslo_time(2027, 1, 22, 9, 0)),
            (OSLO_CONTACT, CITY, -14, oslo_time(2027, 1, 15, 9, 0)),
            (OSLO_CONTACT, CITY, -7, oslo_time(2027, 1, 22, 9, 0)),
            (OSLO_CONTACT, CITY, -2, oslo_time(2027, 1, 27, 9, 0)),
            (OSLO_CONTACT, CITY, 0, oslo_time(2027, 1, 29, 9, 0)),
            (OSLO_CONTACT, CITY, 1, oslo_time(2027, 2, 1, 9, 0)),  # Saturday 30.01 → Monday
            (OSLO_CONTACT, CITY, 7, oslo_time(2027, 2, 5, 9, 0)),
        ]
    )
    rows = Reminder.objects.all()
    assert {r.due_date for r in rows if r.email == OSLO_CONTACT} == {datetime.date(2027, 1, 29)}
    assert {r.due_date for r in rows if r.email == BERGEN_CONTACT} == {datetime.date(2027, 1, 15)}
    # Oslo is not late at the round's overdue steps, so the summaries list Bergen only.
    assert [r.late_cities for r in rows.filter(kind=SUMMARY).order_by("offset_days")] == [["Bergen"], ["Bergen"]]
    assert len(reminder_mails()) == 14


# --- 6. manage.py send_reminders --------------------------------------------------------------------------


@pytest.fixture
def due_15_january(oslo, contact_oslo, manager):
    return factories.ProgrammeFactory(round=make_round(datetime.date(2027, 1, 15)), city=oslo)


@pytest.mark.parametrize(
    ("at", "lines"),
    [
        ("2027-01-13T09:00+01:00", ["13.01.2027 09:00 Handlingsprogram 2027 -2 Oslo → kontakt-oslo@example.org"]),
        ("2027-01-13T08:00Z", ["13.01.2027 09:00 Handlingsprogram 2027 -2 Oslo → kontakt-oslo@example.org"]),
        ("2027-01-13T07:59Z", ["08.01.2027 09:00 Handlingsprogram 2027 -7 Oslo → kontakt-oslo@example.org"]),
        # Without an offset the time is Oslo's: 08:59 there is before the −2 step.
        ("2027-01-13T08:59", ["08.01.2027 09:00 Handlingsprogram 2027 -7 Oslo → kontakt-oslo@example.org"]),
        pytest.param("2027-01-13", ["13.01.2027 09:00 Handlingsprogram 2027 -2 Oslo → kontakt-oslo@example.org"]),
        ("2027-01-13T12:00", ["13.01.2027 09:00 Handlingsprogram 2027 -2 Oslo → kontakt-oslo@example.org"]),
        (
            "2027-01-18T09:00+01:00",
            [
                "18.01.2027 09:00 Handlingsprogram 2027 +1 Oslo → kontakt-oslo@example.org",
                "18.01.2027 09:00 Handlingsprogram 2027 +1 Oslo → departementet@example.org",
            ],
        ),
    ],
)
def test_send_reminders_dry_run_prints_the_plan_and_records_nothing(due_15_january, at, lines):
    out = io.StringIO()

    call_command("send_reminders", "--dry-run", "--at", at, stdout=out)

    n = len(lines)
    assert out.getvalue().splitlines() == [
        *lines,
        f"Dry run: {n} reminder(s) would be recorded; nothing was sent.",
    ]
    assert Reminder.objects.count() == 0
    assert mail.outbox == []


def test_send_reminders_records_and_sends_once(due_15_january):
    moment = oslo_time(2027, 1, 13, 9, 0)
    with travel(moment):
        first, second = io.StringIO(), io.StringIO()
        with delivering():
            call_command("send_reminders", "--at", "2027-01-13T09:00+01:00", stdout=first)
            call_command("send_reminders", "--at", "2027-01-13T09:00+01:00", stdout=second)

    assert first.getvalue().splitlines() == [
        "13.01.2027 09:00 Handlingsprogram 2027 -2 Oslo → kontakt-oslo@example.org",
        "1 reminder(s) recorded, 1 queued in the outbox.",
    ]
    assert second.getvalue().splitlines() == ["0 reminder(s) recorded, 0 queued in the outbox."]
    assert sent_rows() == [(OSLO_CONTACT, CITY, -2, moment)]
    assert [m.to for m in mail.outbox] == [[OSLO_CONTACT]]


@pytest.mark.parametrize(
    "at",
    [
        "yesterday",
        "2027-13-01",
        "13.01.2027",
        "2027-02-30",
        pytest.param("2027-02-30T09:00"),
        pytest.param("2027-01-13T25:00"),
    ],
)
def test_send_reminders_bad_at_is_a_command_error(due_15_january, at):
    with pytest.raises(CommandError, match="--at: not an ISO date or datetime"):
        call_command("send_reminders", "--dry-run", "--at", at, stdout=io.StringIO())

    assert Reminder.objects.count() == 0


# --- A row recorded while the mail server was down ------------------------------------------------------


def test_reminder_queued_while_the_mail_server_is_down_is_withdrawn_when_the_city_submits(
    oslo, contact_oslo, smtp, settings
):
    programme = factories.ProgrammeFactory(round=make_round(datetime.date(2027, 1, 15)), city=oslo)
    upload(programme, contact_oslo)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # the mail server is away at 09:00

    with travel(oslo_time(2027, 1, 13, 9, 0)):
        assert reminders.sweep() == 1
        with delivering():
            assert reminders.queue_pending() == 1
    queued = OutgoingMail.objects.get(kind="reminder")
    assert queued.status == OutgoingMail.Status.QUEUED
    with travel(oslo_time(2027, 1, 13, 10, 0)):
        services.submit_programme(programme, by=contact_oslo)
    settings.EMAIL_PORT = port  # and back at 10:15
    with travel(oslo_time(2027, 1, 13, 10, 15)):
        assert reminders.sweep() == 0
        with delivering():
            reminders.queue_pending()
        outbox_sender.sweep()

    assert [m for m in smtp.messages if m["id"] == queued.message_id] == []  # (the city's receipt went)
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.WITHDRAWN
    assert not Reminder.objects.exists()  # planned again from what is true, should the city reopen


def test_reminders_queued_for_the_old_date_are_withdrawn_when_the_deadline_moves(
    oslo, contact_oslo, manager, smtp, settings
):
    round_ = make_round(datetime.date(2027, 1, 15))
    factories.ProgrammeFactory(round=round_, city=oslo)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()
    with travel(oslo_time(2027, 1, 13, 9, 0)):
        reminders.sweep()
        with delivering():
            reminders.queue_pending()
        services.extend_deadline(round_.deadline, new_date=datetime.date(2027, 2, 15), reason="Utsatt", by=manager)
    settings.EMAIL_PORT = port
    with travel(oslo_time(2027, 1, 13, 9, 15)):
        outbox_sender.sweep()

    assert smtp.recipients() == []
    assert OutgoingMail.objects.get(kind="reminder").status == OutgoingMail.Status.WITHDRAWN
