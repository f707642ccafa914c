"""Reminders sent by real processes: a Celery worker and beat, a broker, and an SMTP server.

Each test starts `celery worker` and `celery beat` as subprocesses against the
test database (committed data: transactional tests), with beat sweeping every
two seconds, and captures the mail with an aiosmtpd server on loopback. A
city's reminder becomes due while they run; the test waits until exactly one
mail per recipient and step has arrived, then lets a few more sweeps run to
see that none comes twice: also when the Redis broker is stopped and started
again around the due time, when the worker is killed while sending, and when
Redis goes away while the worker is sending (it finishes, reconnects, goes on).

The brokers: kombu's filesystem transport (the embedded default) and Redis
(the configured one, on its own database number, or a private redis-server).
With CI=true a missing Redis fails these tests instead of skipping them.
The processes run the portal's Celery app through tests/processes.py, which
only moves the filesystem broker into the test's own folder.
"""

import asyncio
import email
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone

from actionplans import reminders
from actionplans.models import DEFAULT_REMINDER_OFFSETS, Reminder
from cities.models import Membership, Profile
from outbox.models import OutgoingMail
from tests import factories

pytestmark = [pytest.mark.processes, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI") == "true"
SWEEP_SECONDS = 2
STALE_SECONDS = 4
# Sweeps that must run after the last expected mail without sending anything.
QUIET_SWEEPS = 3
REDIS_TEST_DB = 15


def require(condition, reason):
    """In CI a missing service is a failure; elsewhere the test is skipped."""
    if not condition:
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, timeout, what, processes=()):
    """Poll `condition` until it is true; fail if one of `processes` dies or after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if condition():
            return
        for process in processes:
            if process.exited():
                pytest.fail(f"{process.name} exited while waiting for {what}; its log:\n{process.tail()}")
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


# --- Mail ------------------------------------------------------------------


class Mailbox:
    """An aiosmtpd handler that records each accepted message's recipients and subject.

    `hold_next_rcpt()` makes the next RCPT TO wait until `release()`: the
    sender is then stuck mid-conversation and its message is never accepted
    unless the conversation goes on.
    """

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()
        self._hold = False
        self.holding = threading.Event()
        self._released = threading.Event()
        self.delay = 0  # seconds before each message is accepted: a slow mail server

    def hold_next_rcpt(self):
        self._hold = True
        self.holding.clear()
        self._released.clear()

    def release(self):
        self._hold = False
        self._released.set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self._hold:
            self._hold = False
            self.holding.set()
            while not self._released.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append({"to": tuple(envelope.rcpt_tos), "subject": str(message["Subject"])})
        return "250 Message accepted for delivery"

    def received(self):
        with self._lock:
            return list(self.messages)

    def recipients(self):
        return sorted(address for message in self.received() for address in message["to"])


@pytest.fixture
def mailbox():
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.url = f"smtp://127.0.0.1:{controller.port}"
    try:
        yield handler
    finally:
        handler.release()
        controller.stop()


# --- Processes ---------------------------------------------------------------


class Process:
    """A subprocess in its own session, so that its process group (a worker and
    its pool) can be signalled as one. The main process is reaped only when
    the test is done with it: until then its pid, and so the group id, cannot
    be reused by a process that is not ours."""

    def __init__(self, name, args, env, log_path):
        self.name = name
        self.log_path = log_path
        self._log_file = open(log_path, "ab")  # closed in stop()
        self.popen = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            args, cwd=ROOT, env=env, stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.killed = False

    def log(self):
        return self.log_path.read_text(errors="replace")

    def tail(self, lines=40):
        return "\n".join(self.log().splitlines()[-lines:])

    def _done(self):
        """Whether the main process has ended, without reaping it."""
        if self.popen.returncode is not None:
            return True
        return os.waitid(os.P_PID, self.popen.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None

    def exited(self):
        """Whether it ended without the test ending it."""
        return not self.killed and self._done()

    def _wait_done(self, timeout):
        deadline = time.monotonic() + timeout
        while not self._done():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def _signal_group(self, sig):
        if self.popen.returncode is None:  # not reaped: the group id is still ours
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                pass

    def kill(self):
        """SIGKILL the whole group at once, as the OOM killer or a power cut would; wait until it is gone."""
        self.killed = True
        self._signal_group(signal.SIGKILL)
        assert self._wait_done(10), f"{self.name} survived SIGKILL"

    def terminate(self):
        """Ask for a warm shutdown: SIGTERM to the main process, as a process manager does."""
        self.killed = True
        if not self._done():
            self.popen.send_signal(signal.SIGTERM)

    def stop(self, grace=10):
        """Shut down warm, else by SIGKILL; then end what is left of the group and reap."""
        self.terminate()
        self._wait_done(grace)
        self._signal_group(signal.SIGKILL)
        self.popen.wait(grace)
        self._log_file.close()


def subprocess_database_url():
    """The URL of the test database pytest-django made, for the subprocesses."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    # PostgreSQL: the configured URL (credentials, host, options), on the test database.
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path="/" + urllib.parse.quote(name)).geturl()


class Celery:
    """Starts the worker and beat the way the Procfile does, against the test database."""

    def __init__(self, tmp_path, mailbox, broker_url):
        self.tmp_path = tmp_path
        self.mailbox = mailbox
        self.broker_url = broker_url
        self.extra_env = {}
        self.processes = []
        self.workers = []
        self.beat = None

    def env(self):
        env = dict(os.environ)
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        env.update(
            DJANGO_SETTINGS_MODULE="portal.settings",
            DATABASE_URL=subprocess_database_url(),
            CELERY_BROKER_URL=self.broker_url,
            CELERY_TASK_ALWAYS_EAGER="false",
            EMAIL_URL=self.mailbox.url,
            REMINDER_SWEEP_SECONDS=str(SWEEP_SECONDS),
            OUTBOX_SWEEP_SECONDS=str(SWEEP_SECONDS),
            # A claim older than this is a dead worker's (600 s in production).
            OUTBOX_STALE_SECONDS=str(STALE_SECONDS),
            PYTHONUNBUFFERED="1",
            # The filesystem broker in a folder of this test's own (see tests/processes.py).
            PORTAL_TEST_BROKER_FOLDER=str(self.tmp_path / "celery"),
        )
        env.update(self.extra_env)
        return env

    def _start(self, name, *args):
        process = Process(
            name,
            [sys.executable, "-m", "celery", "-A", "tests.processes", *args],
            self.env(),
            self.tmp_path / f"{name}.log",
        )
        self.processes.append(process)
        return process

    def start_worker(self):
        """A prefork worker with one child, as in the Procfile; returns once it is ready."""
        number = len(self.workers) + 1
        worker = self._start(
            f"worker{number}",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "1",
            "--hostname",
            f"reminders-test-{number}-{uuid.uuid4().hex[:8]}@%h",
        )
        self.workers.append(worker)
        wait_until(lambda: " ready." in worker.log(), 60, f"{worker.name} to be ready", [worker])
        return worker

    def start_beat(self):
        self.beat = self._start(
            "beat", "beat", "--loglevel", "INFO", "--schedule", str(self.tmp_path / "beat-schedule")
        )
        wait_until(lambda: "Starting..." in self.beat.log(), 30, "beat to start", [self.beat])
        return self.beat

    @property
    def worker(self):
        return self.workers[-1]

    def sweeps_done(self):
        """Sweeps the workers have finished, from their logs."""
        lines = [line for worker in self.workers for line in worker.log().splitlines()]
        return sum("sweep_reminders[" in line and " succeeded in " in line for line in lines)

    def wait_for_sweeps(self, n, timeout=30):
        """Wait until the workers have finished `n` more sweeps than they have now."""
        target = self.sweeps_done() + n
        wait_until(lambda: self.sweeps_done() >= target, timeout, f"{n} sweeps", self.running())

    def running(self):
        return [p for p in self.processes if not p.killed]

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.stop()

    def report(self):
        for process in self.processes:
            print(f"----- {process.name} ({process.log_path}) -----\n{process.tail()}")


@pytest.fixture
def celery(transactional_db, tmp_path, mailbox, broker):
    """The processes of one test, stopped before the test database is flushed and the broker stopped."""
    processes = Celery(tmp_path, mailbox, broker)
    try:
        yield processes
    finally:
        mailbox.release()  # a sender held mid-conversation could not shut down warm
        processes.stop()
        # Shown by pytest only when the test fails.
        processes.report()
        print(f"----- mail -----\n{mailbox.received()}")


class RedisServer:
    """A private redis-server on loopback that a test may stop and start again."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.tmp_path = tmp_path
        self.process = None
        self.starts = 0

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.starts += 1
        self.process = Process(
            f"redis{self.starts}",
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.tmp_path),
            ],
            dict(os.environ),
            self.tmp_path / f"redis{self.starts}.log",
        )
        wait_until(self.answers, 15, "redis-server to answer", [self.process])

    def answers(self):
        try:
            return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1).ping()
        except redis.RedisError:
            return False

    def stop(self):
        if self.process is not None:
            self.process.stop()
            self.process = None


@pytest.fixture
def redis_server(tmp_path):
    require(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def configured_redis_url():
    """The configured Redis broker on a database of its own, flushed; None if the broker is not Redis."""
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        return None
    url = urllib.parse.urlsplit(settings.CELERY_BROKER_URL)._replace(path=f"/{REDIS_TEST_DB}").geturl()
    try:
        redis.Redis.from_url(url, socket_timeout=5).flushdb()
    except redis.RedisError as exc:
        require(False, f"the configured Redis broker {settings.CELERY_BROKER_URL} does not answer: {exc}")
    return url


@pytest.fixture(params=["filesystem", "redis"])
def broker(request):
    """The broker URL. filesystem: the embedded default, in the test's own folder.
    redis: the configured Redis if the broker is Redis, else a private redis-server.
    private-redis: the private redis-server (`redis_server`), which the test may stop."""
    if request.param == "filesystem":
        yield "filesystem://"
    elif request.param == "redis" and (url := configured_redis_url()):
        yield url
        redis.Redis.from_url(url, socket_timeout=5).flushdb()  # what the killed worker left unacknowledged
    else:
        yield request.getfixturevalue("redis_server").url


# --- Data ---------------------------------------------------------------------


CITIES = ["Tromsø", "Bodø", "Alta", "Harstad", "Narvik", "Mo i Rana", "Hammerfest", "Vadsø", "Kirkenes", "Finnsnes"]


def create_overdue_city(cities=CITIES[:1]):
    """Cities that have not submitted a programme due a month ago, two contacts each, and a manager.

    Every default step lies in the past, whatever the weekday and holidays,
    and the latest one (a week after the due day) is the one due now: each
    contact gets that city reminder and the manager that overdue summary.
    Returns the expected mail as {address: (kind, step, a word of its subject)}.
    """
    now = timezone.now()
    due = timezone.localdate(now, reminders.OSLO) - timedelta(days=30)
    step = reminders.latest_due_step(due, DEFAULT_REMINDER_OFFSETS, now)
    assert step is not None and step[0] == max(DEFAULT_REMINDER_OFFSETS)
    offset = step[0]

    round_ = factories.RoundFactory(name="Handlingsprogram prosess", slug="prosess", deadline__due_date=due)
    expected = {}
    for number, name in enumerate(cities):
        city = factories.CityFactory(name=name, slug=f"by-{number}")
        factories.ProgrammeFactory(round=round_, city=city)
        for username, language in ((f"kontakt-{number}", "nb"), (f"contact-{number}", "en")):
            user = factories.UserFactory(username=username)
            Profile.objects.create(user=user, language=language)
            factories.MembershipFactory(user=user, role=Membership.Role.CITY_CONTACT, city=city)
            expected[user.email] = (Reminder.Kind.CITY, offset, name)
    manager = factories.UserFactory(username="departementet")
    factories.MembershipFactory(
        user=manager,
        role=Membership.Role.PROGRAMME_MANAGEMENT,
        organisation=factories.OrganisationFactory(short_name="MD"),
    )
    expected[manager.email] = (Reminder.Kind.OVERDUE_SUMMARY, offset, round_.name)
    return expected


def assert_sent_once(mailbox, expected):
    """One mail to each expected address, each about its step, each row queued once and its mail sent."""
    messages = mailbox.received()
    assert all(len(m["to"]) == 1 for m in messages), messages
    assert mailbox.recipients() == sorted(expected), messages
    for message in messages:
        _, _, word = expected[message["to"][0]]
        assert word in message["subject"], message
    rows = {r.email: (r.kind, r.offset_days, r.queued_at) for r in Reminder.objects.all()}
    assert {address: row[:2] for address, row in rows.items()} == {a: e[:2] for a, e in expected.items()}
    assert all(row[2] is not None for row in rows.values()), rows
    mails = dict(OutgoingMail.objects.values_list("address", "status"))
    assert mails == dict.fromkeys(expected, OutgoingMail.Status.SENT)


def wait_for_mail(celery, mailbox, expected, timeout=60):
    """Wait for the expected mail, then for a few more sweeps that must send nothing."""
    wait_until(
        lambda: len(mailbox.received()) >= len(expected),
        timeout,
        f"{len(expected)} mails (got {mailbox.recipients()})",
        celery.running(),
    )
    target = celery.sweeps_done() + QUIET_SWEEPS

    def quiet():
        assert len(mailbox.received()) == len(expected), f"more mail than expected: {mailbox.received()}"
        return celery.sweeps_done() >= target

    wait_until(quiet, 30, f"{QUIET_SWEEPS} more sweeps", celery.running())
    assert_sent_once(mailbox, expected)


# --- Tests --------------------------------------------------------------------


def test_a_reminder_due_while_worker_and_beat_run_is_sent_once(celery, mailbox):
    celery.start_worker()
    celery.start_beat()
    celery.wait_for_sweeps(1)  # beat → broker → worker turns before anything is due

    expected = create_overdue_city()

    wait_for_mail(celery, mailbox, expected)


@pytest.mark.parametrize("broker", ["private-redis"], indirect=True)
def test_a_reminder_due_while_redis_is_down_is_sent_once_it_is_back(redis_server, celery, mailbox):
    celery.start_worker()
    celery.start_beat()
    celery.wait_for_sweeps(1)

    redis_server.stop()
    wait_until(
        lambda: "Connection to broker lost" in celery.worker.log(), 30, "the worker to lose Redis", celery.running()
    )
    expected = create_overdue_city()
    # The sweep is due now, but beat cannot queue it: twice.
    failed = celery.beat.log().count("Couldn't apply scheduled task")
    wait_until(
        lambda: celery.beat.log().count("Couldn't apply scheduled task") >= failed + 2,
        30,
        "beat to fail to queue two sweeps",
        celery.running(),
    )
    assert mailbox.received() == []

    redis_server.start()

    wait_for_mail(celery, mailbox, expected, timeout=90)


def test_two_workers_share_the_mail_and_send_each_once(celery, mailbox):
    """Batches of three to a slow mail server: while one worker sends a batch, the other's sweeps
    and drains claim the next ones (skip_locked on PostgreSQL; the status check on SQLite)."""
    mailbox.delay = 0.1
    celery.extra_env["OUTBOX_BATCH"] = "3"
    workers = [celery.start_worker(), celery.start_worker()]
    celery.start_beat()

    expected = create_overdue_city(CITIES)

    wait_for_mail(celery, mailbox, expected, timeout=90)
    # Both took part: each ran the outbox's tasks while the mail went out.
    for worker in workers:
        assert any("outbox." in line and " succeeded in " in line for line in worker.log().splitlines()), worker.tail()


def test_a_worker_killed_while_sending_leaves_the_mail_to_the_next(celery, mailbox):
    mailbox.hold_next_rcpt()
    first = celery.start_worker()
    celery.start_beat()

    expected = create_overdue_city()

    wait_until(mailbox.holding.is_set, 60, "the worker to start sending", celery.running())
    first.kill()  # mid-conversation, with the batch claimed
    mailbox.release()
    # A negative wait, so a fixed one: no condition marks "no DATA will ever come
    # from the dead client". Half a second lets the server finish the RCPT it held.
    time.sleep(0.5)
    assert mailbox.received() == []
    assert OutgoingMail.objects.exclude(status=OutgoingMail.Status.SENT).count() == len(expected)

    celery.start_worker()  # whose sweep finds the claim stale after STALE_SECONDS, and sends

    wait_for_mail(celery, mailbox, expected)


@pytest.mark.parametrize("broker", ["private-redis"], indirect=True)
def test_a_worker_that_loses_redis_while_sending_finishes_reconnects_and_goes_on(redis_server, celery, mailbox):
    mailbox.hold_next_rcpt()
    celery.start_worker()
    celery.start_beat()
    expected = create_overdue_city()
    wait_until(mailbox.holding.is_set, 60, "the worker to start sending", celery.running())

    redis_server.stop()  # with the batch claimed and the SMTP conversation under way
    wait_until(
        lambda: "Connection to broker lost" in celery.worker.log(), 30, "the worker to lose Redis", celery.running()
    )
    mailbox.release()
    # The send needs no broker: the batch goes out while Redis is away.
    wait_until(lambda: len(mailbox.received()) >= len(expected), 30, "the held batch to be sent", celery.running())
    redis_server.start()

    # Still the same worker, back on the new Redis: it takes sweeps from beat again, and nothing came twice.
    wait_for_mail(celery, mailbox, expected, timeout=90)
    assert "Unrecoverable error" not in celery.worker.log()
